// One customer's records as the timeline and the data export read them (customer-records.server.ts),
// on a real database: every read scoped to the workspace as well as the customer (rows written under
// another workspace with the same customer id stay out), all of them oldest first or a page newest
// first, and the two views built on them keeping their shapes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#db/client";
import { crmEvents, invitations, responses } from "#db/schema/index";
import { exportCustomer } from "~/data/customer-privacy.server";
import { customerEvents, customerInvitations, customerResponses } from "~/data/customer-records.server";
import { customerTimeline } from "~/data/customer-timeline.server";
import { freshDatabasePath, removeDatabase } from "../support/database";
import { importSample, makeUser, makeWorkspace } from "../support/fixtures";
import { makeCustomer, makeSurveyFixture, newToken, ratingAnswers, recordFixtureAnswers, type SurveyFixture } from "../support/survey-fixtures";

const dbFile = freshDatabasePath("customer-records");
const DAY = 86_400_000;
const T0 = Date.parse("2026-01-10T09:00:00Z");
const day = (n: number) => new Date(T0 + n * DAY);

let a = 0;
let b = 0;
let customerId = 0;
let survey: SurveyFixture;

beforeAll(async () => {
  const owner = await makeUser("owner@records.test");
  a = (await makeWorkspace("records-a", owner.id)).id;
  b = (await makeWorkspace("records-b", owner.id)).id;
  await importSample(a);
  survey = await makeSurveyFixture(a, { touchpointKey: "bank-online-application" });
  customerId = await makeCustomer(a, "R-1", "premium", "Rosa");
  const db = getDb();

  // Events on days 0, 2 and 4 (two on day 2: the id orders them), responses on days 1 and 3,
  // invitations sent on days 5 and 6 but made in the other order (the second was scheduled).
  await db.insert(crmEvents).values([
    { workspaceId: a, customerId, dedupeKey: "e0", externalId: "E-0", type: "visit", occurredAt: day(0) },
    { workspaceId: a, customerId, dedupeKey: "e2a", type: "purchase", occurredAt: day(2), amount: 30, currency: "EUR", channel: "web", touchpointKey: "bank-online-application" },
    { workspaceId: a, customerId, dedupeKey: "e2b", type: "visit", occurredAt: day(2) },
    { workspaceId: a, customerId, dedupeKey: "e4", type: "visit", occurredAt: day(4) },
  ]);
  for (const [n, pick] of [
    [1, 5],
    [3, 1],
  ] as const) {
    const recorded = await recordFixtureAnswers(survey, ratingAnswers(survey.json, (min, max) => Math.min(max, Math.max(min, pick)), `día ${n}`), {
      customerExternalId: "R-1",
      completedAt: day(n),
    });
    expect(recorded.status).toBe("recorded");
  }
  const invitation = (sendDay: number, createdDay: number, state: "pending" | "opened") => ({
    workspaceId: a,
    deploymentId: survey.deploymentId,
    customerId,
    token: newToken(),
    state,
    sendAt: day(sendDay),
    expiresAt: day(sendDay + 3650),
    createdAt: day(createdDay),
    progress: state === "opened" ? JSON.stringify({ data: { comment: "a medias" }, page: 0 }) : null,
  });
  await db.insert(invitations).values([invitation(6, 0.5, "pending"), invitation(5, 1.5, "opened")]);

  // Rows of workspace B that carry the same customer id: no read of A may return them.
  await db.insert(crmEvents).values({ workspaceId: b, customerId, dedupeKey: "b", type: "visit", occurredAt: day(3) });
  await db.insert(invitations).values({ ...invitation(4, 4, "pending"), workspaceId: b });
  await db.insert(responses).values({
    workspaceId: b,
    surveyVersionId: survey.versionId,
    touchpointId: survey.touchpoint.id,
    customerId,
    lang: "es",
    source: "api",
    data: "{}",
    completedAt: day(2),
  });
}, 120_000);

afterAll(() => removeDatabase(dbFile));

const times = (rows: { at: Date }[]) => rows.map((r) => r.at.toISOString().slice(0, 10));

describe("a customer's records", () => {
  it("all of them, oldest first, only the workspace's", async () => {
    const events = await customerEvents(a, customerId, "all");
    expect(times(events.map((e) => ({ at: e.occurredAt })))).toEqual(["2026-01-10", "2026-01-12", "2026-01-12", "2026-01-14"]);
    expect(events[1].id).toBeLessThan(events[2].id);
    expect(events[1]).toMatchObject({ type: "purchase", amount: 30, currency: "EUR", channel: "web" });
    expect(events[0]).toMatchObject({ externalId: "E-0", type: "visit" });
    expect(events[0]).not.toHaveProperty("dedupeKey");

    const invited = await customerInvitations(a, customerId, "all");
    // In the order they were made, not sent.
    expect(times(invited.map((i) => ({ at: i.sendAt })))).toEqual(["2026-01-16", "2026-01-15"]);
    expect(invited[0]).not.toHaveProperty("token");
    expect(invited[0].deploymentName).toBe(`${survey.touchpoint.name} (link)`);

    const answered = await customerResponses(a, customerId, "all");
    expect(times(answered.map((r) => ({ at: r.completedAt })))).toEqual(["2026-01-11", "2026-01-13"]);
    expect(answered[0]).toMatchObject({ touchpointKey: "bank-online-application", source: "api", comment: "día 1" });

    // Workspace B sees only what it wrote, though the customer id is the same.
    expect(await customerEvents(b, customerId, "all")).toHaveLength(1);
    expect(await customerInvitations(b, customerId, "all")).toHaveLength(1);
    expect(await customerResponses(b, customerId, "all")).toHaveLength(1);
  });

  it("a page: newest first, strictly before `before`, at most `limit`", async () => {
    const first = await customerEvents(a, customerId, { limit: 2 });
    expect(times(first.map((e) => ({ at: e.occurredAt })))).toEqual(["2026-01-14", "2026-01-12"]);
    const rest = await customerEvents(a, customerId, { before: day(2), limit: 10 });
    expect(times(rest.map((e) => ({ at: e.occurredAt })))).toEqual(["2026-01-10"]);
    // Invitations page by send time.
    expect(times((await customerInvitations(a, customerId, { limit: 10 })).map((i) => ({ at: i.sendAt })))).toEqual(["2026-01-16", "2026-01-15"]);
    expect(await customerInvitations(a, customerId, { before: day(5), limit: 10 })).toEqual([]);
    expect(times((await customerResponses(a, customerId, { before: day(3), limit: 10 })).map((r) => ({ at: r.completedAt })))).toEqual(["2026-01-11"]);
  });
});

describe("the views on them", () => {
  it("the timeline merges the kinds newest first and pages back", async () => {
    const first = await customerTimeline(a, customerId, undefined, 3);
    expect(first.items.map((i) => i.kind)).toEqual(["invitation", "invitation", "event"]);
    expect(first.nextBefore).toEqual(day(4));
    const second = await customerTimeline(a, customerId, first.nextBefore!, 10);
    expect(second.items.map((i) => i.kind)).toEqual(["response", "event", "event", "response", "event"]);
    expect(second.nextBefore).toBeNull();
    const response = second.items[0];
    expect(Object.keys(response)).toEqual(["kind", "id", "at", "touchpointName", "touchpointNameEn", "tier", "source", "gap", "gapAttributes", "nps", "csat"]);
    expect(response).toMatchObject({ touchpointName: survey.touchpoint.name, source: "api" });
    const invitation = first.items[0];
    expect(Object.keys(invitation)).toEqual(["kind", "id", "at", "state", "deploymentName", "eventId", "completedAt"]);
    expect(Object.keys(first.items[2])).toEqual(["kind", "at", "id", "externalId", "type", "occurredAt", "amount", "currency", "channel", "touchpointKey"]);
    // Nothing of workspace B's rows.
    expect((await customerTimeline(b, customerId)).items.map((i) => i.kind).sort()).toEqual(["event", "invitation", "response"]);
  });

  it("the export keeps its field names, and holds nothing for another workspace", async () => {
    const doc = (await exportCustomer(a, customerId))!;
    expect(Object.keys(doc.events[0])).toEqual(["externalId", "type", "occurredAt", "amount", "currency", "channel", "touchpointKey", "createdAt"]);
    expect(Object.keys(doc.invitations[0])).toEqual(["id", "deployment", "state", "sendAt", "expiresAt", "openedAt", "completedAt", "progress", "createdAt"]);
    expect(doc.invitations[1].progress).toEqual({ data: { comment: "a medias" }, page: 0 });
    expect(Object.keys(doc.responses[0])).toEqual([
      "id",
      "touchpoint",
      "touchpointName",
      "surveyVersionId",
      "source",
      "lang",
      "tier",
      "comment",
      "startedAt",
      "completedAt",
      "answers",
      "measurements",
    ]);
    expect(doc.responses[0]).toMatchObject({ touchpoint: "bank-online-application", completedAt: day(1).toISOString(), answers: { comment: "día 1" } });
    expect(doc.responses[0].measurements.length).toBeGreaterThan(0);
    expect(await exportCustomer(b, customerId)).toBeNull();
  });
});
