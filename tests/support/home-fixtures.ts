// A planted story for the experience home: on top of seedInsights' ordinary data, Premium customers
// disappointed at one touchpoint (the bank's card courier, process "card-delivery") over the last
// days: expectation high, perception low, detractors. Recorded through the app's one write path.
import { recordResponse } from "~/data/responses.server";
import type { InsightsFixture } from "./insights-fixtures";
import { random } from "./insights-fixtures";

export const STORY_TOUCHPOINT = "bank-card-courier-delivery";
export const STORY_PROCESS = "card-delivery";
const DAY_MS = 86_400_000;

type Element = { type: string; name: string; rateMin?: number; rateMax?: number; vivMeasure?: string };

/** `count` Premium responses at the story's touchpoint, spread over the `days` days up to now. */
export async function plantPremiumStory(fixture: InsightsFixture, options: { count: number; days: number; seed?: number }): Promise<number> {
  const survey = fixture.surveys.get(STORY_TOUCHPOINT);
  if (!survey) throw new Error(`no survey at ${STORY_TOUCHPOINT}`);
  const premium = fixture.customers.filter((c) => c.tier === "premium");
  const rand = random(options.seed ?? 99);
  const pages = (survey.json.pages ?? []) as { elements: Element[] }[];
  let recorded = 0;
  for (let i = 0; i < options.count; i++) {
    const answers: Record<string, unknown> = {};
    for (const el of pages.flatMap((p) => p.elements)) {
      if (el.type !== "rating") continue;
      const min = el.rateMin ?? 1;
      const max = el.rateMax ?? 5;
      const pick = (lo: number, hi: number) => Math.max(min, Math.min(max, lo + Math.floor(rand() * (hi - lo + 1))));
      // Expectation near the top, perception near the bottom; NPS 0–5, CSAT and CES low.
      answers[el.name] = el.vivMeasure === "expectation" ? pick(max - 1, max) : el.vivMeasure === "importance" ? pick(max - 1, max) : el.name === "nps" ? pick(0, 5) : pick(min, min + 1);
    }
    const completedAt = new Date(Math.min(Date.now() - 60_000, Date.now() - Math.floor(rand() * options.days * DAY_MS)));
    const result = await recordResponse({
      workspaceId: fixture.workspaceId,
      versionId: survey.versionId,
      touchpointId: survey.touchpoint.id,
      deploymentId: survey.deploymentId,
      customerExternalId: premium[i % premium.length].externalId,
      lang: "es",
      source: "api",
      data: JSON.stringify(answers),
      answers,
      completedAt,
    });
    if (result.status !== "recorded") throw new Error(`story response not recorded: ${JSON.stringify(result)}`);
    recorded++;
  }
  return recorded;
}
