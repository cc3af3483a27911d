// Demo experience data: customers and their purchases, a published survey at every measured
// touchpoint, and some months of responses recorded through the real path (recordResponse), with
// a story a manager can find: one process clearly below expectation for Premium customers since a
// recent change, and fewer repurchases among the customers it disappointed.
import { and, eq } from "drizzle-orm";
import { getDb } from "../client";
import { processes, touchpoints } from "../schema/index";
import { COMMENT_QUESTION, CSAT_QUESTION, NPS_QUESTION } from "../../app/survey/blocks";
import { measurementPlan } from "../../app/survey/plan";
import type { SurveyJson } from "../../app/survey/types";
import { upsertCustomerItems, upsertEventItems } from "../../app/api/crm-items.server";
import { recomputeTiers } from "../../app/data/segmentation.server";
import { createSurveyFromTemplate, currentPublishedVersion, publishDraft } from "../../app/data/surveys.server";
import { createDeployment } from "../../app/data/deployments.server";
import { recordResponse } from "../../app/data/responses.server";
import { seededRandom, type Random } from "./random";

export type ExperienceStory = {
  /** The process whose touchpoints disappoint Premium customers… */
  weakProcess: string;
  /** …since this many days ago. */
  sinceDaysAgo: number;
  customers: number;
  responses: number;
  seed: number;
};

const DAY = 86_400_000;
const FIRST_NAMES = ["Lucía", "Martín", "Sofía", "Hugo", "Valeria", "Mateo", "Paula", "Daniel", "Carmen", "Javier", "Elena", "Pablo", "Irene", "Álvaro", "Marta", "Diego", "Laura", "Sergio", "Nuria", "Andrés"];
const LAST_NAMES = ["García", "López", "Martínez", "Sánchez", "Pérez", "Gómez", "Fernández", "Díaz", "Moreno", "Ruiz", "Romero", "Navarro", "Torres", "Ramos", "Gil", "Vidal"];
const COMPLAINTS = [
  "Me dijeron una fecha y no se cumplió.",
  "Tuve que llamar tres veces para saber qué pasaba.",
  "Nadie me avisó del retraso.",
  "El trato fue correcto, pero tardaron demasiado.",
  "Esperaba mucho más por ser cliente de años.",
];
const PRAISE = ["Rápido y muy claro.", "La persona que me atendió fue excelente.", "Todo como me prometieron.", "Muy fácil, sin papeleo."];

type DemoCustomer = { externalId: string; premiumLike: boolean; rate: number; ticket: number; disappointedAt: number | null };

/** Fills one workspace with customers, purchases, surveys and responses. Returns how many responses it recorded. */
export async function seedExperience(workspaceId: number, userId: number, story: ExperienceStory, now = Date.now()): Promise<number> {
  const random = seededRandom(story.seed);
  const db = getDb();
  const [weakProcess] = await db
    .select({ id: processes.id })
    .from(processes)
    .where(and(eq(processes.workspaceId, workspaceId), eq(processes.key, story.weakProcess)))
    .limit(1);
  const weakProcessId = weakProcess?.id;
  const measured = await db
    .select({ id: touchpoints.id, key: touchpoints.key, processId: touchpoints.processId, mot: touchpoints.momentOfTruth })
    .from(touchpoints)
    .where(eq(touchpoints.workspaceId, workspaceId));

  // Customers: a few carry most of the spend (the Premium tier), many buy now and then.
  const customers: DemoCustomer[] = Array.from({ length: story.customers }, (_, i) => {
    const premiumLike = random.chance(0.09);
    return {
      externalId: `C${String(i + 1).padStart(5, "0")}`,
      premiumLike,
      rate: premiumLike ? random.normal(2.2, 0.5) : Math.max(0.05, random.normal(0.45, 0.25)),
      ticket: premiumLike ? Math.exp(random.normal(5.6, 0.4)) : Math.exp(random.normal(3.8, 0.6)),
      disappointedAt: null,
    };
  });
  await upsertInBatches(customers, 1000, (batch) =>
    upsertCustomerItems(
      workspaceId,
      batch.map((c, i) => ({
        external_id: c.externalId,
        name: `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`,
        email: `${c.externalId.toLowerCase()}@cliente.example`,
        language: random.chance(0.85) ? "es" : "en",
        created_at: new Date(now - random.int(200, 2000) * DAY).toISOString().slice(0, 10),
        notes: i % 50 === 0 ? "Cliente de referencia" : undefined,
      })),
    ),
  );

  // Surveys: gap pair + NPS + CSAT + comment at every touchpoint that measures attributes.
  const surveys = new Map<number, { versionId: number; deploymentId: number; json: SurveyJson }>();
  for (const tp of measured) {
    const created = await createSurveyFromTemplate(workspaceId, userId, {
      touchpointId: tp.id,
      template: "gap_pair",
      blocks: { nps: true, csat: true, ces: false, importance: false, comment: true },
    });
    if (!created || !created.ok) continue;
    await publishDraft(workspaceId, created.surveyId);
    const version = (await currentPublishedVersion(workspaceId, created.surveyId))!;
    const deployment = await createDeployment(workspaceId, created.surveyId, "Enlace público");
    if (!deployment || !deployment.ok) continue;
    surveys.set(tp.id, { versionId: version.id, deploymentId: deployment.deployment.id, json: JSON.parse(version.definition) });
  }
  const surveyed = measured.filter((t) => surveys.has(t.id));
  if (surveyed.length === 0) return 0;

  // Who answers what, when, and how it went: decided first, because a disappointment changes what
  // the customer buys afterwards.
  type Planned = { customer: DemoCustomer; touchpointId: number; at: number; shift: number };
  const planned: Planned[] = [];
  const premiumLike = customers.filter((c) => c.premiumLike);
  for (let i = 0; i < story.responses; i++) {
    // Frequent customers meet more touchpoints, so they answer more surveys.
    const customer = random.chance(0.35) && premiumLike.length ? random.pick(premiumLike) : random.pick(customers);
    const tp = random.chance(0.6) ? random.pick(surveyed.filter((t) => t.mot).length ? surveyed.filter((t) => t.mot) : surveyed) : random.pick(surveyed);
    const at = now - Math.floor(Math.pow(random.next(), 0.9) * 180 * DAY) - random.int(0, 86_399) * 1000;
    const weak = tp.processId === weakProcessId && customer.premiumLike && at > now - story.sinceDaysAgo * DAY;
    const shift = weak ? random.normal(-2.3, 0.7) : random.normal(0.15, 0.8);
    if (weak && shift < -1 && (customer.disappointedAt === null || at < customer.disappointedAt)) customer.disappointedAt = at;
    planned.push({ customer, touchpointId: tp.id, at, shift });
  }

  // Purchases over the last year; a disappointed customer buys far less afterwards.
  const events: Record<string, unknown>[] = [];
  for (const c of customers) {
    let t = now - 365 * DAY + random.next() * 30 * DAY;
    while (t < now) {
      const after = c.disappointedAt !== null && t > c.disappointedAt;
      const rate = (after ? 0.3 : 1) * c.rate;
      t += (30 / Math.max(rate, 0.02)) * DAY * (0.5 + random.next());
      if (t >= now) break;
      events.push({
        external_id: `${c.externalId}-P${events.length}`,
        customer_external_id: c.externalId,
        type: "purchase",
        occurred_at: new Date(t).toISOString(),
        amount: Math.round(c.ticket * (0.6 + random.next() * 0.8) * 100) / 100,
        currency: "EUR",
        channel: random.pick(["app", "web", "store"]),
      });
    }
  }
  await upsertInBatches(events, 1000, (batch) => upsertEventItems(workspaceId, batch, new Date(now)));
  await recomputeTiers(workspaceId, new Date(now));

  // Responses, through the same path as the survey page; a few hundred at a time share a commit.
  let recorded = 0;
  const plans = new Map<number, ReturnType<typeof measurementPlan>>();
  const ordered = planned.sort((a, b) => a.at - b.at);
  for (let i = 0; i < ordered.length; i += 250) {
    const results = await Promise.all(
      ordered.slice(i, i + 250).map((p) => {
        const survey = surveys.get(p.touchpointId)!;
        const plan = plans.get(survey.versionId) ?? measurementPlan(survey.json);
        plans.set(survey.versionId, plan);
        const data = answersFor(plan, p.shift, p.customer.premiumLike, random);
        return recordResponse({
          workspaceId,
          versionId: survey.versionId,
          touchpointId: p.touchpointId,
          deploymentId: survey.deploymentId,
          customerExternalId: p.customer.externalId,
          lang: random.chance(0.85) ? "es" : "en",
          source: "link",
          data: JSON.stringify(data),
          answers: data,
          startedAt: new Date(p.at - random.int(40, 300) * 1000),
          completedAt: new Date(p.at),
        });
      }),
    );
    recorded += results.filter((r) => r.status === "recorded").length;
  }
  return recorded;
}

function clamp(x: number, min: number, max: number) {
  return Math.min(max, Math.max(min, Math.round(x)));
}

/** Answers on the survey's own questions: expectation, then perception shifted by the story. */
function answersFor(plan: ReturnType<typeof measurementPlan>, shift: number, premium: boolean, random: Random) {
  const data: Record<string, unknown> = {};
  let gapSum = 0;
  let gaps = 0;
  const expectations = new Map<string, number>();
  for (const item of plan.items) {
    if (item.kind === "expectation" && item.attributeKey) {
      const e = clamp(random.normal(premium ? 6.1 : 5.3, 0.8), 1, 7);
      expectations.set(item.attributeKey, e);
      data[item.question] = e;
    }
  }
  for (const item of plan.items) {
    if (item.kind === "perception" && item.attributeKey) {
      const e = expectations.get(item.attributeKey) ?? 5;
      const p = clamp(e + shift + random.normal(0, 0.6), 1, 7);
      data[item.question] = p;
      gapSum += p - e;
      gaps++;
    }
  }
  const meanGap = gaps ? gapSum / gaps : 0;
  data[NPS_QUESTION] = clamp(7.6 + 1.6 * meanGap + random.normal(0, 1.1), 0, 10);
  data[CSAT_QUESTION] = clamp(3.9 + 0.8 * meanGap + random.normal(0, 0.5), 1, 5);
  if (random.chance(0.35)) data[COMMENT_QUESTION] = meanGap < -0.8 ? random.pick(COMPLAINTS) : random.pick(PRAISE);
  return data;
}

async function upsertInBatches<T>(items: T[], size: number, write: (batch: T[]) => Promise<unknown>) {
  for (let i = 0; i < items.length; i += size) await write(items.slice(i, i + size));
}
