// The web boundary's hardening over real HTTP, against the built server: security headers on pages
// (a CSP whose nonce is on every script of the page), on respondent pages (framed by this site and
// the embed origins an admin sets in Settings, no referrer), on the API and on single-fetch data;
// state-changing requests from other sites refused with 403, never a 500; redirect targets that can
// only stay on this site, even when malformed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#db/client";
import { users } from "#db/schema/index";
import { createApiToken } from "~/data/api-tokens.server";
import { createPulse } from "~/data/clienting.server";
import { workspaceEmbedOrigins } from "~/data/workspaces.server";
import { freshDatabasePath, removeDatabase } from "../support/database";
import { PASSWORD, importSample, makeUser, makeWorkspace } from "../support/fixtures";
import { HttpClient } from "../support/http-client";
import { startServer, type RunningServer } from "../support/server";
import { makeCustomer, makeInvitation, makeSurveyFixture, type SurveyFixture } from "../support/survey-fixtures";

const dbFile = freshDatabasePath("web-hardening");
let server: RunningServer;
let wsId: number;
let survey: SurveyFixture;
let invitationToken: string;
let pulseToken: string;
let apiToken: string;
/** The admin, signed in once (the sign-in rate limit counts attempts per account). */
let admin: HttpClient;
const SLUG = "hardened";
const ADMIN = "admin@hardened.test";
// Open-redirect attempts: each must land on a path of this site. "/%09/…" is tried both decoded (a
// tab: what a link's query gives the form) and literally (a proxy or another app might decode it).
const REDIRECT_ATTEMPTS = [
  "//evil.example",
  "/\\evil.example",
  decodeURIComponent("/%09/evil.example"),
  "/%09/evil.example",
  "https://evil.example",
  "javascript:alert(document.cookie)",
  "/\n/evil.example",
  "/\r\n/evil.example",
  "\\\\evil.example",
  "///evil.example",
  "/.//evil.example",
  "/%5Cevil.example",
  " //evil.example",
  "http:evil.example",
  "data:text/html,<script>alert(1)</script>",
  "/\u2028/evil.example",
  // The sign-in test stops above (each sign-in checks a password); the language switch tries all.
  "//evil.example/path",
  "/\\/evil.example",
  "/\t/evil.example",
  "/%2F%2Fevil.example",
  "/./\\evil.example",
  "\t//evil.example",
  "https:/\\evil.example",
  "JaVaScRiPt:alert(1)",
  "evil.example",
  "/w/x\u0000//evil.example",
  `/${"a".repeat(5000)}`,
];
const SIGN_IN_ATTEMPTS = REDIRECT_ATTEMPTS.slice(0, 16);
// Users to sign in with, one per sign-in: the sign-in rate limit counts attempts per account.
const redirectUsers = SIGN_IN_ATTEMPTS.map((_, i) => `redirect${i}@hardened.test`);
const otherUsers = ["newline", "same-origin", "typed", "curl", "proxy", "path"].map((name) => `${name}@hardened.test`);

beforeAll(async () => {
  const owner = await makeUser(ADMIN);
  wsId = (await makeWorkspace(SLUG, owner.id)).id;
  await importSample(wsId);
  survey = await makeSurveyFixture(wsId, { touchpointKey: "bank-branch-welcome" });
  invitationToken = (await makeInvitation(survey, await makeCustomer(wsId, "C-1", "premium", "Rosa"))).token;
  pulseToken = (await createPulse(wsId, { title: "Pulso", opensOn: "2020-01-01", closesOn: null }, owner.id)).publicToken;
  apiToken = await createApiToken(wsId, "kiosk", owner.id);
  // The same password hash for every other user: hashing is deliberately slow (scrypt, 64 MiB).
  await getDb()
    .insert(users)
    .values([...redirectUsers, ...otherUsers].map((email) => ({ email, name: email.split("@")[0], passwordHash: owner.passwordHash })));
  // One trusted proxy hop: X-Forwarded-Proto / -Host from the test count (HSTS, forwarded origins).
  server = await startServer(dbFile, { TRUST_PROXY: "1" });
  admin = new HttpClient(server.url);
  await admin.signIn(ADMIN, PASSWORD);
});

afterAll(async () => {
  await server?.stop();
  removeDatabase(dbFile);
});

/** The directives of a Content-Security-Policy header, by name. */
function directives(res: Response): Map<string, string> {
  const csp = res.headers.get("content-security-policy");
  expect(csp, "Content-Security-Policy header").toBeTruthy();
  return new Map(
    csp!
      .split(";")
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => {
        const [name, ...values] = d.split(/\s+/);
        return [name, values.join(" ")];
      }),
  );
}

/** Checks a page's security headers and that every <script> carries the policy's nonce; returns the nonce. */
async function expectPageHeaders(res: Response, frame: "none" | string[]): Promise<string> {
  expect(res.headers.get("content-type")).toMatch(/^text\/html/);
  const csp = directives(res);
  expect(csp.get("default-src")).toBe("'self'");
  expect(csp.get("object-src")).toBe("'none'");
  expect(csp.get("base-uri")).toBe("'self'");
  expect(csp.get("form-action")).toBe("'self'");
  expect(csp.get("img-src")).toBe("'self' data:");
  const scriptSrc = csp.get("script-src") ?? "";
  expect(scriptSrc).not.toContain("unsafe-inline");
  expect(scriptSrc).not.toContain("unsafe-eval");
  const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(scriptSrc)?.[1];
  expect(nonce, `a nonce in script-src: ${scriptSrc}`).toBeTruthy();
  expect(nonce!.length).toBeGreaterThanOrEqual(22);

  const html = await res.text();
  const scripts = html.match(/<script\b[^>]*>/gi) ?? [];
  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
  // No inline event handlers either: a nonce does not cover them.
  expect(html).not.toMatch(/<[^>]+\son[a-z]+=/i);

  expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  expect(res.headers.get("permissions-policy")).toMatch(/camera=\(\)/);
  expect(res.headers.get("permissions-policy")).toMatch(/microphone=\(\)/);
  expect(res.headers.get("permissions-policy")).toMatch(/geolocation=\(\)/);
  if (frame === "none") {
    expect(csp.get("frame-ancestors")).toBe("'none'");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
  } else {
    expect(csp.get("frame-ancestors")).toBe(["'self'", ...frame].join(" "));
    expect(res.headers.get("x-frame-options")).toBeNull();
    expect(res.headers.get("referrer-policy")).toBe("same-origin");
  }
  return nonce!;
}

function expectResourceHeaders(res: Response) {
  const csp = directives(res);
  expect(csp.get("default-src")).toBe("'none'");
  expect(csp.get("frame-ancestors")).toBe("'none'");
  expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  expect(res.headers.get("x-frame-options")).toBe("DENY");
  expect(res.headers.get("referrer-policy")).toBeTruthy();
}

describe("security headers", () => {
  it("on the sign-in page: a fresh nonce per response on every script, no frames, no HSTS over plain HTTP", async () => {
    const first = await fetch(`${server.url}/login`);
    expect(first.status).toBe(200);
    const nonce = await expectPageHeaders(first, "none");
    expect(first.headers.get("strict-transport-security")).toBeNull();
    const second = await fetch(`${server.url}/login`);
    expect(await expectPageHeaders(second, "none")).not.toBe(nonce);
  });

  it("on signed-in pages: the workspace overview, insights and settings", async () => {
    for (const path of [`/w/${SLUG}`, `/w/${SLUG}/insights`, `/w/${SLUG}/settings`, "/workspaces"]) {
      const res = await admin.get(path);
      expect(res.status, path).toBe(200);
      await expectPageHeaders(res, "none");
    }
  });

  it("on a page that is not found, and with HSTS when the client came over HTTPS (a trusted proxy says so)", async () => {
    const missing = await fetch(`${server.url}/no-such-page`);
    expect(missing.status).toBe(404);
    await expectPageHeaders(missing, "none");
    const secure = await fetch(`${server.url}/login`, { headers: { "X-Forwarded-Proto": "https" } });
    expect(secure.headers.get("strict-transport-security")).toMatch(/^max-age=\d{7,}/);
    await secure.body?.cancel();
  });

  it("on the respondent pages: framed by this site and the embed origins set in Settings, no referrer", async () => {
    // Nothing set yet: this site only.
    await expectPageHeaders(await fetch(`${server.url}/s/${survey.publicToken}`), []);

    const saved = await admin.post(`/w/${SLUG}/settings`, {
      intent: "embed-origins",
      embedOrigins: "https://shop.example\nhttps://Partner.Example:8443/ , https://shop.example",
    });
    expect(saved.status).toBe(200);
    expect(await workspaceEmbedOrigins(wsId)).toBe("https://shop.example https://partner.example:8443");
    const origins = ["https://shop.example", "https://partner.example:8443"];

    for (const path of [`/s/${survey.publicToken}`, `/s/${invitationToken}`, `/p/${pulseToken}`]) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("cache-control")).toBe("no-store");
      await expectPageHeaders(res, origins);
    }
    // An unknown link belongs to no workspace: this site only, still without a referrer.
    const unknown = await fetch(`${server.url}/s/${"x".repeat(24)}`);
    expect(unknown.status).toBe(404);
    await expectPageHeaders(unknown, []);
    // Every other page stays unframeable.
    await expectPageHeaders(await fetch(`${server.url}/login`), "none");
  });

  it("refuses embed origins that are not https origins, with a message naming the entry, and keeps the saved list", async () => {
    const before = await workspaceEmbedOrigins(wsId);
    for (const typed of ["http://plain.example", "https://shop.example/survey", "https://*.shop.example", "https://a.example;script-src", "not a site"]) {
      const res = await admin.post(`/w/${SLUG}/settings`, { intent: "embed-origins", embedOrigins: typed });
      expect(res.status, typed).toBe(400);
      const html = await res.text();
      const first = typed.split(/[\s,]+/)[0];
      expect(html, typed).toContain(first.replace("&", "&amp;"));
      expect(html).toContain('aria-invalid="true"');
    }
    expect(await workspaceEmbedOrigins(wsId)).toBe(before);
  });

  it("on the API, single-fetch data, files and refusals: nothing runs or frames them", async () => {
    const api = await fetch(`${server.url}/api/v1/cases`, { headers: { Authorization: `Bearer ${apiToken}` } });
    expect(api.status).toBe(200);
    expect(api.headers.get("content-type")).toMatch(/json/);
    expectResourceHeaders(api);
    const refused = await fetch(`${server.url}/api/v1/cases`);
    expect(refused.status).toBe(401);
    expectResourceHeaders(refused);
    // The fast route, answered by server.js without Remix.
    const fast = await fetch(`${server.url}/api/v1/responses`, { method: "POST", body: "{}", headers: { "Content-Type": "application/json" } });
    expect(fast.status).toBe(401);
    expectResourceHeaders(fast);

    const data = await admin.get(`/w/${SLUG}.data`);
    expect(data.status).toBe(200);
    expect(data.headers.get("content-type")).toMatch(/^text\/x-script/);
    expectResourceHeaders(data);
    // A respondent page's data keeps its own referrer policy (its URL carries the token).
    const respondentData = await fetch(`${server.url}/s/${survey.publicToken}.data`);
    expect(respondentData.status).toBe(200);
    expectResourceHeaders(respondentData);
    expect(respondentData.headers.get("referrer-policy")).toBe("same-origin");

    const asset = await fetch(`${server.url}/favicon.svg`);
    expect(asset.status).toBe(200);
    expectResourceHeaders(asset);
    const health = await fetch(`${server.url}/healthz`);
    expectResourceHeaders(health);
  });
});

describe("state-changing requests from other sites", () => {
  const cases: [string, Record<string, string>][] = [
    ["an Origin of another site", { Origin: "https://evil.example" }],
    ["an Origin of this host on another port", { Origin: "http://127.0.0.1:1" }],
    ["an Origin of this host over another scheme", { Origin: "https://127.0.0.1" }],
    ["Origin: null", { Origin: "null" }],
    ["a malformed Origin", { Origin: "::not a url::" }],
    ["Sec-Fetch-Site: cross-site", { "Sec-Fetch-Site": "cross-site" }],
    ["Sec-Fetch-Site: same-site", { "Sec-Fetch-Site": "same-site" }],
    ["Sec-Fetch-Site: cross-site with our own Origin", { "Sec-Fetch-Site": "cross-site", Origin: "" }],
  ];

  async function post(client: HttpClient, path: string, form: Record<string, string>, headers: Record<string, string>) {
    const withOrigin = { ...headers };
    if (withOrigin.Origin === "") withOrigin.Origin = server.url;
    return client.request(path, { method: "POST", body: new URLSearchParams(form), headers: withOrigin });
  }

  it.each(cases)("are refused with a 403 and a short message: %s", async (_, headers) => {
    const before = await workspaceEmbedOrigins(wsId);
    const targets: [string, Record<string, string>][] = [
      ["/login", { email: ADMIN, password: PASSWORD }],
      [`/w/${SLUG}/settings`, { intent: "embed-origins", embedOrigins: "https://attacker.example" }],
      [`/w/${SLUG}/settings.data`, { intent: "embed-origins", embedOrigins: "https://attacker.example" }],
      ["/logout", {}],
      ["/lang", { lang: "en", redirectTo: "/" }],
      [`/s/${survey.publicToken}`, { intent: "progress", progress: '{"data":{},"page":0}' }],
    ];
    for (const [path, form] of targets) {
      const res = await post(admin, path, form, headers);
      expect(res.status, path).toBe(403);
      expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
      const body = await res.text();
      expect(body).toMatch(/another site/);
      expect(body.length).toBeLessThan(400);
      expectResourceHeaders(res);
    }
    // Nothing happened: the settings are unchanged and the session still works.
    expect(await workspaceEmbedOrigins(wsId)).toBe(before);
    expect((await admin.get("/workspaces")).status).toBe(200);
  });

  it("pass from this site's own pages, and from clients that send neither header", async () => {
    const sameOrigin = { Origin: server.url, "Sec-Fetch-Site": "same-origin" };
    const browser = new HttpClient(server.url);
    const signIn = await post(browser, "/login", { email: "same-origin@hardened.test", password: PASSWORD }, sameOrigin);
    expect(signIn.status).toBe(302);
    expect((await browser.get("/workspaces")).status).toBe(200);
    // A respondent page inside an allowed site's frame posts from its own document: same origin.
    const progress = await post(new HttpClient(server.url), `/s/${invitationToken}`, { intent: "progress", progress: '{"data":{},"page":0}' }, sameOrigin);
    expect(progress.status).toBe(200);
    // Typed into the address bar (no initiator) and plain HTTP clients.
    const typed = await post(new HttpClient(server.url), "/login", { email: "typed@hardened.test", password: PASSWORD }, { "Sec-Fetch-Site": "none" });
    expect(typed.status).toBe(302);
    const curl = await new HttpClient(server.url).post("/login", { email: "curl@hardened.test", password: PASSWORD });
    expect(curl.status).toBe(302);
    const signOut = await post(browser, "/logout", {}, sameOrigin);
    expect(signOut.status).toBe(302);
    expect((await browser.get("/workspaces")).status).toBe(302);
  });

  it("pass behind a trusted proxy that forwards the public host and scheme", async () => {
    const res = await new HttpClient(server.url).request("/login", {
      method: "POST",
      body: new URLSearchParams({ email: "proxy@hardened.test", password: PASSWORD }),
      headers: { Origin: "https://cx.example", "X-Forwarded-Host": "cx.example", "X-Forwarded-Proto": "https", "Sec-Fetch-Site": "same-origin" },
    });
    expect(res.status).toBe(302);
    expect(res.headers.get("strict-transport-security")).toBeTruthy();
  });

  it("do not apply to the bearer-token API, which other sites are meant to call", async () => {
    const headers = { Authorization: `Bearer ${apiToken}`, "Content-Type": "application/json", Origin: "https://integration.example", "Sec-Fetch-Site": "cross-site" };
    // Judged by the API itself (whatever it thinks of these bodies), never refused as cross-site.
    for (const path of ["/api/v1/responses", "/api/v1/customers"]) {
      const res = await fetch(`${server.url}${path}`, { method: "POST", headers, body: JSON.stringify({ touchpoint: "no-such-touchpoint", answers: {}, customers: [] }) });
      expect(res.status, path).not.toBe(403);
      expect(res.status, path).toBeLessThan(500);
      expect(res.headers.get("content-type"), path).toMatch(/json/);
    }
  });

  it("never reach Remix's own origin check (its 500 and stack trace)", () => {
    expect(server.output()).not.toMatch(/Aborting the action|does not match `origin`/);
  });
});

describe("redirect targets", () => {
  function expectSameSite(location: string | null, fallback: string) {
    expect(location).toBeTruthy();
    const url = new URL(location!, server.url);
    expect(url.origin).toBe(server.url);
    expect(location!.startsWith("/")).toBe(true);
    expect(location!.startsWith("//")).toBe(false);
    expect(location).not.toMatch(/[\\\s]/);
    expect(location).not.toMatch(/evil/i);
    expect(location).toBe(fallback);
  }

  // A sign-in checks a password (scrypt): a few at a time, and time enough on a busy machine.
  it(`after sign-in, ${SIGN_IN_ATTEMPTS.length} attempts to leave the site all land on the workspaces`, { timeout: 180_000 }, async () => {
    const attempt = async (i: number) => {
      const target = SIGN_IN_ATTEMPTS[i];
      const client = new HttpClient(server.url);
      const res = await client.post("/login", { email: redirectUsers[i], password: PASSWORD, redirectTo: target });
      expect(res.status, JSON.stringify(target)).toBe(302);
      expectSameSite(res.headers.get("location"), "/workspaces");
      // Signed in all the same.
      expect((await client.get("/workspaces")).status, JSON.stringify(target)).toBe(200);
    };
    for (let i = 0; i < SIGN_IN_ATTEMPTS.length; i += 3) {
      await Promise.all([i, i + 1, i + 2].filter((j) => j < SIGN_IN_ATTEMPTS.length).map(attempt));
    }
  });

  it(`the language switch sends all ${REDIRECT_ATTEMPTS.length} attempts home`, async () => {
    for (const target of REDIRECT_ATTEMPTS) {
      const res = await new HttpClient(server.url).post("/lang", { lang: "en", redirectTo: target });
      expect(res.status, JSON.stringify(target)).toBe(302);
      expectSameSite(res.headers.get("location"), "/");
    }
  });

  it("paths of this site are kept, with their query (non-ASCII percent-encoded)", async () => {
    const lang = await new HttpClient(server.url).post("/lang", { lang: "es", redirectTo: `/w/${SLUG}/insights?from=2026-01-01&tier=premium` });
    expect(lang.headers.get("location")).toBe(`/w/${SLUG}/insights?from=2026-01-01&tier=premium`);
    const accented = await new HttpClient(server.url).post("/lang", { lang: "es", redirectTo: "/w/café" });
    expect(accented.headers.get("location")).toBe("/w/caf%C3%A9");
    const login = await new HttpClient(server.url).post("/login", { email: "path@hardened.test", password: PASSWORD, redirectTo: `/w/${SLUG}/settings#embedding` });
    expect(login.headers.get("location")).toBe(`/w/${SLUG}/settings#embedding`);
  });

  it("a newline in redirectTo on sign-in answers a redirect home (not a 500) and signs in", async () => {
    const client = new HttpClient(server.url);
    const res = await client.post("/login", { email: "newline@hardened.test", password: PASSWORD, redirectTo: "/w/x\r\nSet-Cookie: evil=1" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/workspaces");
    expect(res.headers.getSetCookie().join("\n")).not.toContain("evil");
    expect((await client.get("/workspaces")).status).toBe(200);
  });
});
