// Input no route checks by itself, answered as what it is on every route: a signed-in form post whose
// multipart body cannot be parsed is a 400 (not a 500), and an id past the database's integer range
// names nothing (404), on either engine.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabasePath, removeDatabase } from "../support/database";
import { PASSWORD, makeUser, makeWorkspace } from "../support/fixtures";
import { HttpClient } from "../support/http-client";
import { startServer, type RunningServer } from "../support/server";

const dbFile = freshDatabasePath("unreadable-input");
let server: RunningServer;
let web: HttpClient;

beforeAll(async () => {
  const owner = await makeUser("olga@unreadable.test");
  await makeWorkspace("ilegible", owner.id);
  server = await startServer(dbFile);
  web = new HttpClient(server.url);
  await web.signIn("olga@unreadable.test", PASSWORD);
});

afterAll(async () => {
  await server?.stop();
  removeDatabase(dbFile);
});

describe("unreadable input on signed-in pages", () => {
  for (const path of ["/w/ilegible/members", "/w/ilegible/settings", "/w/ilegible/processes", "/w/ilegible/tokens", "/w/ilegible/segmentation"]) {
    it(`answers a malformed multipart post to ${path} with 400`, async () => {
      const res = await web.request(path, {
        method: "POST",
        headers: { "Content-Type": "multipart/form-data; boundary=----vivencia" },
        body: "------vivencia\r\nContent-Disposition: form-data; name=\"intent\"\r\n\r\nno end boundary",
      });
      expect(res.status).toBe(400);
      expect(server.output()).not.toMatch(/TypeError/);
    });
  }

  for (const path of ["/w/ilegible/customers/2147483648", "/w/ilegible/surveys/99999999999", "/w/ilegible/cases/2147483648"]) {
    it(`answers ${path} (an id past the integer range) with 404`, async () => {
      const res = await web.get(path);
      expect(res.status).toBe(404);
    });
  }
});
