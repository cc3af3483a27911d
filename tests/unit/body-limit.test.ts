// The body limit in front of every route (app/web/body-limit.server.ts), on a bare Node server: a
// body within its path's limit reaches the route byte for byte, with or without a Content-Length; a
// larger one is refused with 413 before the route runs, whether declared or only streamed; a page is
// posted forms only (415).
import http from "node:http";
import net from "node:net";
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PAGE_FORM_BYTES, bodyLimitFor, createBodyLimit, limitRequestBody, routePath, type BodyLimitMiddleware } from "~/web/body-limit.server";

let server: http.Server;
let base: string;
let routeCalls = 0;

// Besides the app's rules, one path whose bodies stream past a small hold limit (as the CSV upload's do).
const STREAMED_LIMIT = 64 * 1024;
const streamedLimit = createBodyLimit([{ path: /^\/upload$/, bytes: STREAMED_LIMIT }], 1024);
const limitFor = (url: string): BodyLimitMiddleware => (url.startsWith("/upload") ? streamedLimit : limitRequestBody);

beforeAll(async () => {
  // The "route": reads the whole body and says how long it was and its hash.
  server = http.createServer((req, res) => {
    limitFor(req.url ?? "")(req, res, () => {
      routeCalls++;
      const hash = createHash("sha256");
      let length = 0;
      req.on("data", (chunk: Buffer) => {
        length += chunk.length;
        hash.update(chunk);
      });
      req.on("end", () => res.end(JSON.stringify({ length, sha: hash.digest("hex") })));
      req.on("error", () => {
        res.statusCode = 400;
        res.end(JSON.stringify({ error: "read failed" }));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const FORM = { "Content-Type": "application/x-www-form-urlencoded" };
const sha = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

/** A body streamed without a Content-Length (Transfer-Encoding: chunked), in pieces of `piece` bytes. */
function chunked(bytes: Buffer, piece = 16 * 1024): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(at, at + piece));
      at += piece;
    },
  });
}

async function post(path: string, body: Buffer | ReadableStream<Uint8Array>, headers: Record<string, string> = FORM) {
  const init = { method: "POST", headers, body, duplex: "half" } as RequestInit;
  const res = await fetch(base + path, init);
  return { status: res.status, type: res.headers.get("Content-Type") ?? "", text: await res.text() };
}

describe("the limits by path", () => {
  it("reads paths without the query and single fetch's .data suffix", () => {
    expect(routePath("/s/abc.data?_routes=x")).toBe("/s/abc");
    expect(routePath("/_root.data")).toBe("/");
    expect(routePath("/w/acme/journeys?index")).toBe("/w/acme/journeys");
  });

  it("gives forms the page limit, uploads and editors more, the CSV upload its own", () => {
    expect(bodyLimitFor("/signup", "application/x-www-form-urlencoded").bytes).toBe(PAGE_FORM_BYTES);
    expect(bodyLimitFor("/w/acme/journeys", "multipart/form-data; boundary=x").bytes).toBe(8 * 1024 * 1024);
    expect(bodyLimitFor("/w/acme/crm/import", "multipart/form-data; boundary=x")).toEqual({ bytes: 129 * 1024 * 1024, routeAnswersDeclaredOversize: true });
    expect(bodyLimitFor("/w/acme/crm/import", "application/x-www-form-urlencoded")).toEqual({ bytes: PAGE_FORM_BYTES, routeAnswersDeclaredOversize: false });
    expect(bodyLimitFor("/api/v1/customers", "application/json").bytes).toBe(4 * 1024 * 1024);
  });
});

describe("limitRequestBody", () => {
  it("hands a body within the limit to the route intact, with a Content-Length or chunked", async () => {
    const bytes = Buffer.from(Array.from({ length: 200 * 1024 }, (_, i) => 97 + (i % 26)));
    const small = bytes.subarray(0, 5_000);
    for (const [sent, body] of [[bytes, bytes], [bytes, chunked(bytes)], [small, chunked(small, 1)]] as const) {
      const answer = await post("/signup", body);
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.text)).toEqual({ length: sent.length, sha: sha(sent) });
    }
  });

  it("refuses a body declared over the limit with 413 before the route runs", async () => {
    const before = routeCalls;
    const answer = await post("/signup", Buffer.alloc(PAGE_FORM_BYTES + 1, "x"));
    expect(answer.status).toBe(413);
    expect(answer.type).toMatch(/text\/html/);
    expect(answer.text).toMatch(/256 KB/);
    expect(routeCalls).toBe(before);
  });

  it("refuses a chunked body once it streams past the limit, before the route runs", async () => {
    const before = routeCalls;
    const answer = await post("/api/v1/events", chunked(Buffer.alloc(3 * 1024 * 1024, "x")), { "Content-Type": "application/json" });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.text)).toMatchObject({ error: "too_large", message: expect.stringMatching(/2 MB/) });
    expect(routeCalls).toBe(before);
  });

  it("answers 415 to a page posted something other than a form; the API takes any type", async () => {
    expect((await post("/login", Buffer.from("{}"), { "Content-Type": "application/json" })).status).toBe(415);
    expect((await post("/s/token", Buffer.from("x"), { "Content-Type": "text/plain" })).status).toBe(415);
    expect((await post("/api/v1/customers", Buffer.from("[]"), { "Content-Type": "text/plain" })).status).toBe(200);
  });

  it("streams a body past the hold limit to the route, and fails its read once past the path's limit", async () => {
    const within = Buffer.alloc(STREAMED_LIMIT, "y");
    const answer = await post("/upload", chunked(within));
    expect(JSON.parse(answer.text)).toEqual({ length: within.length, sha: sha(within) });
    const before = routeCalls;
    const over = await post("/upload", chunked(Buffer.alloc(4 * STREAMED_LIMIT, "y")));
    expect(routeCalls).toBe(before + 1);
    expect(over.status).toBe(400);
    expect(JSON.parse(over.text)).toEqual({ error: "read failed" });
  });

  it("lets bodiless requests through untouched", async () => {
    const res = await fetch(`${base}/logout`, { method: "POST" });
    expect(res.status).toBe(200);
    expect(JSON.parse(await res.text())).toEqual({ length: 0, sha: sha(Buffer.alloc(0)) });
  });
});
