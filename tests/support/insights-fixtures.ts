// A workspace with answered surveys for the insights tests: the bank sample journey, one survey per
// touchpoint (gap pair with NPS / CSAT / CES / stated importance, one zone of tolerance, one
// SERVQUAL with importance points), customers in tiers, responses recorded through the app's one
// write path (recordResponse: response + measurements + rollups) and purchases after them.
import { getDb } from "#db/client";
import { crmEvents } from "#db/schema/index";
import { recordResponse } from "~/data/responses.server";
import { SERVQUAL_DIMENSIONS } from "~/survey/types";
import type { SurveyBuildOptions } from "~/survey/templates";
import { importSample } from "./fixtures";
import { makeCustomer, makeSurveyFixture, type SurveyFixture } from "./survey-fixtures";

export const BANK_JOURNEY = "retail-bank-account-opening";
export const ZONE_TOUCHPOINT = "bank-online-application";
export const SERVQUAL_TOUCHPOINT = "bank-contact-center-call";
const DAY_MS = 86_400_000;

/** Mulberry32: seeded, so a failing test replays the same data. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type InsightsFixture = {
  workspaceId: number;
  surveys: Map<string, SurveyFixture>;
  customers: { externalId: string; tier: string; id: number }[];
  responses: number;
};

function buildOptions(key: string, i: number): SurveyBuildOptions {
  if (key === ZONE_TOUCHPOINT) return { template: "zone_of_tolerance", nps: true, csat: true, comment: true };
  if (key === SERVQUAL_TOUCHPOINT) return { template: "servqual", nps: true, comment: true };
  return { template: "gap_pair", nps: true, csat: i % 2 === 0, ces: i % 3 === 0, importance: i % 2 === 1, comment: true };
}

/** Answers to every measured question: ratings around a touchpoint-specific quality, points summing to 100. */
function answersFor(json: SurveyFixture["json"], quality: number, mood: number, rand: () => number): Record<string, unknown> {
  const answers: Record<string, unknown> = {};
  const clamp = (x: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, Math.round(x)));
  const noise = () => (rand() + rand() + rand() - 1.5) * 1.6;
  const pages = (json.pages ?? []) as { elements: { type: string; name: string; rateMin?: number; rateMax?: number; vivMeasure?: string }[] }[];
  for (const page of pages) {
    for (const el of page.elements) {
      if (el.type === "rating") {
        const min = el.rateMin ?? 1;
        const max = el.rateMax ?? 5;
        const mid = (min + max) / 2;
        const span = (max - min) / 2;
        const kind = el.vivMeasure;
        const level =
          kind === "expectation" || kind === "desired" ? mid + span * 0.55
          : kind === "adequate" ? mid
          : kind === "importance" ? mid + span * 0.3
          : mid + span * (0.25 + quality + mood * 0.35);
        answers[el.name] = clamp(level + noise(), min, max);
      } else if (el.type === "multipletext") {
        const cuts = SERVQUAL_DIMENSIONS.slice(1).map(() => Math.floor(rand() * 101)).sort((a, b) => a - b);
        const bounds = [0, ...cuts, 100];
        answers[el.name] = Object.fromEntries(SERVQUAL_DIMENSIONS.map((d, k) => [d, bounds[k + 1] - bounds[k]]));
      } else if (el.type === "comment" && rand() < 0.3) {
        answers[el.name] = mood < 0 ? "Tuve que esperar demasiado y nadie me explicó nada." : "Muy buena atención, gracias.";
      }
    }
  }
  return answers;
}

/**
 * Imports the bank journey, publishes a survey per touchpoint and records `perTouchpoint`
 * responses at each, spread over the `days` days ending `endDay` (UTC), 80% from known customers.
 * Touchpoints listed in `sparse` get only `sparseCount` responses (for the minimum-n tests).
 */
export async function seedInsights(
  workspaceId: number,
  options: { seed?: number; perTouchpoint?: number; days?: number; endDay: string; sparse?: string[]; sparseCount?: number; customers?: number; withJourney?: boolean },
): Promise<InsightsFixture> {
  const rand = random(options.seed ?? 1);
  if (options.withJourney !== false) await importSample(workspaceId, `${BANK_JOURNEY}.json`);
  const journey = await import("~/data/journeys.server").then((m) => m.loadJourney(workspaceId, BANK_JOURNEY));
  if (!journey) throw new Error("bank journey missing");
  const touchpointKeys = journey.stages.flatMap((s) => s.touchpoints.map((t) => t.key));
  const surveys = new Map<string, SurveyFixture>();
  for (const [i, key] of touchpointKeys.entries()) surveys.set(key, await makeSurveyFixture(workspaceId, { touchpointKey: key, build: buildOptions(key, i) }));

  const tiers = ["premium", "regular", "generic"] as const;
  const customers: { externalId: string; tier: (typeof tiers)[number]; id: number }[] = [];
  for (let i = 0; i < (options.customers ?? 60); i++) {
    const tier = tiers[i % 3];
    const externalId = `C-${String(i + 1).padStart(4, "0")}`;
    customers.push({ externalId, tier, id: await makeCustomer(workspaceId, externalId, tier, `Cliente ${i + 1}`) });
  }

  const end = Date.parse(`${options.endDay}T00:00:00Z`) + DAY_MS;
  const days = options.days ?? 120;
  const quality = [-0.55, -0.15, 0.1, -0.35, 0.05, -0.7, 0.2, -0.1, 0.3, -0.25, 0.15, -0.45, 0];
  const pending: Promise<unknown>[] = [];
  const events: (typeof crmEvents.$inferInsert)[] = [];
  let recorded = 0;
  touchpointKeys.forEach((key, i) => {
    const fixture = surveys.get(key)!;
    const count = options.sparse?.includes(key) ? (options.sparseCount ?? 4) : (options.perTouchpoint ?? 40);
    for (let r = 0; r < count; r++) {
      const known = rand() < 0.8;
      const customer = known ? customers[Math.floor(rand() * customers.length)] : null;
      const mood = (rand() - 0.5) * 2 + (customer?.tier === "premium" ? 0.4 : customer?.tier === "generic" ? -0.3 : 0);
      // Never in the future (the data layer refuses that): a time later today is moved to now, the same day.
      const completedAt = new Date(Math.min(end - 1 - Math.floor(rand() * days * DAY_MS), Date.now() - 1_000));
      const answers = answersFor(fixture.json, quality[i % quality.length], mood, rand);
      pending.push(
        recordResponse({
          workspaceId,
          versionId: fixture.versionId,
          touchpointId: fixture.touchpoint.id,
          deploymentId: fixture.deploymentId,
          customerExternalId: customer?.externalId ?? null,
          lang: rand() < 0.75 ? "es" : "en",
          source: customer ? "api" : "link",
          data: JSON.stringify(answers),
          answers,
          completedAt,
        }).then((result) => {
          if (result.status !== "recorded") throw new Error(`fixture response not recorded: ${JSON.stringify(result)}`);
          recorded++;
        }),
      );
      // Happier customers come back sooner and spend more.
      if (customer && rand() < 0.55 + mood * 0.25) {
        events.push({
          workspaceId,
          customerId: customer.id,
          dedupeKey: `fixture:${key}:${r}`,
          type: "purchase",
          occurredAt: new Date(completedAt.getTime() + Math.floor((1 + rand() * 80) * DAY_MS)),
          amount: Math.round((40 + mood * 25 + rand() * 60) * 100) / 100,
          currency: "EUR",
        });
      }
    }
  });
  await Promise.all(pending);
  for (let i = 0; i < events.length; i += 200) await getDb().insert(crmEvents).values(events.slice(i, i + 200));
  return { workspaceId, surveys, customers, responses: recorded };
}
