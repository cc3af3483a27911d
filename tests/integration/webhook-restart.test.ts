// Deliveries waiting in the database when the server starts (queued before a restart, or retries
// due) go out at boot, without anyone opening a page.
import http from "node:http";
import type net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEndpoint, enqueueWebhookEvent } from "~/data/webhooks.server";
import { freshDatabasePath, removeDatabase } from "../support/database";
import { makeUser, makeWorkspace } from "../support/fixtures";
import { startServer, type RunningServer } from "../support/server";
import { waitFor } from "./act-fixtures";

const dbFile = freshDatabasePath("webhook-restart");
const received: string[] = [];
const receiver = http.createServer((req, res) => {
  let body = "";
  req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
  req.on("end", () => {
    received.push(body);
    res.end("ok");
  });
});
let server: RunningServer | undefined;

beforeAll(async () => {
  const port = await new Promise<number>((resolve) => receiver.listen(0, "127.0.0.1", () => resolve((receiver.address() as net.AddressInfo).port)));
  const owner = await makeUser("owner@restart.test");
  const ws = await makeWorkspace("restart", owner.id);
  const endpoint = await createEndpoint(ws.id, { url: `http://127.0.0.1:${port}/hook`, description: "", events: ["case.updated"] }, owner.id);
  expect(endpoint.ok).toBe(true);
  // Queued while no server runs: as if the one that queued it had stopped before delivering.
  expect(await enqueueWebhookEvent(ws.id, "case.updated", () => ({ note: "queued before the restart" }), new Date())).toBe(1);
});

afterAll(async () => {
  await server?.stop();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
  removeDatabase(dbFile);
});

describe("after a restart", () => {
  it("delivers what was waiting without any page being opened", async () => {
    server = await startServer(dbFile, { VIVENCIA_WEBHOOKS_ALLOW_LOCAL: "1" });
    await waitFor(() => received.length === 1, 20_000, "the waiting delivery");
    expect(JSON.parse(received[0])).toMatchObject({ type: "case.updated", data: { note: "queued before the restart" } });
  });
});
