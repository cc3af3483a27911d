// Deliveries waiting in the database when the server starts (queued before a restart, and retries
// that fell due) go out at boot, without anyone opening a page.
import http from "node:http";
import type net from "node:net";
import { like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#db/client";
import { webhookDeliveries } from "#db/schema/index";
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
  // And a retry: tried once before the restart (the receiver failed), its next attempt now due.
  expect(await enqueueWebhookEvent(ws.id, "case.updated", () => ({ note: "a retry due after the restart" }), new Date())).toBe(1);
  await getDb()
    .update(webhookDeliveries)
    .set({ attempts: 1, error: "HTTP 503", responseCode: 503, lastAttemptAt: new Date(Date.now() - 60_000), nextAttemptAt: new Date(Date.now() - 1_000) })
    .where(like(webhookDeliveries.payload, "%a retry due%"));
});

afterAll(async () => {
  await server?.stop();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
  removeDatabase(dbFile);
});

describe("after a restart", () => {
  it("delivers what was waiting without any page being opened", async () => {
    server = await startServer(dbFile, { VIVENCIA_WEBHOOKS_ALLOW_LOCAL: "1" });
    await waitFor(() => received.length === 2, 20_000, "the waiting delivery and the retry");
    const notes = received.map((body) => (JSON.parse(body) as { type: string; data: { note: string } }).data.note).sort();
    expect(notes).toEqual(["a retry due after the restart", "queued before the restart"]);
    const [retried] = await getDb().select().from(webhookDeliveries).where(like(webhookDeliveries.payload, "%a retry due%"));
    expect(retried).toMatchObject({ status: "delivered", attempts: 2 });
  });
});
