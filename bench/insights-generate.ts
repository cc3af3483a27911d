// Synthetic workspace for the insights benchmark: a sample journey, one survey per touchpoint,
// customers, responses with their measurements and rollups, and CRM purchase events, written with
// prepared statements in large transactions (the HTTP path would take hours at a million responses).
// Rollups are built with the same pure rollupDeltas the recording path uses and written through its
// writer (addRollups: the daily and the weekly rows).
import fs from "node:fs";
import path from "node:path";
import type Database from "better-sqlite3";
import { getDb } from "#db/client";
import { parseJourneyFile } from "~/cem/journey";
import { measurementsFromPlan } from "~/cem/measurement";
import { ROLLUP_COLUMNS, rollupDeltas } from "~/cem/rollup";
import { saveJourney } from "~/data/journeys.server";
import { weekOf } from "~/cem/rollup-weeks";
import { measurementPlan, type MeasurementPlan } from "~/survey/plan";
import { buildSurvey, type SurveyTemplate } from "~/survey/templates";

const DAY_MS = 86_400_000;
export const TIERS = ["premium", "regular", "generic", ""] as const;

/** Mulberry32: seeded, so two runs build the same workspace. */
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

type Touchpoint = {
  id: number;
  key: string;
  plan: MeasurementPlan;
  versionId: number;
  template: SurveyTemplate;
  attributes: string[];
  quality: number;
  asks: { nps: boolean; csat: boolean; ces: boolean };
};

export type BenchWorkspace = {
  workspaceId: number;
  journeyKey: string;
  touchpoints: Touchpoint[];
  customers: number;
  /** First and last day (UTC, YYYY-MM-DD) of the responses. */
  firstDay: string;
  lastDay: string;
};

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export async function createWorkspace(options: { customers: number; lastDayMs: number; days: number }): Promise<BenchWorkspace> {
  const db = getDb();
  const sqlite = db.$client;
  const workspaceId = Number(
    sqlite.prepare("insert into workspaces (slug, name) values (?, ?)").run("bench", "Bench").lastInsertRowid,
  );
  const text = fs.readFileSync(path.resolve("journeys", "retail-bank-account-opening.json"), "utf8");
  const parsed = parseJourneyFile(text);
  if (!parsed.ok) throw new Error("sample journey is invalid");
  const saved = await saveJourney(workspaceId, parsed.journey, "create");
  if (!saved.ok) throw new Error("sample journey did not import");

  const rows = sqlite
    .prepare("select id, key, moment_of_truth as mot from touchpoints where workspace_id = ? order by id")
    .all(workspaceId) as { id: number; key: string; mot: number }[];
  const byKey = new Map(parsed.journey.stages.flatMap((s) => s.touchpoints).map((tp) => [tp.key, tp]));
  const insertSurvey = sqlite.prepare("insert into surveys (workspace_id, touchpoint_id, title, template) values (?, ?, ?, ?)");
  const insertVersion = sqlite.prepare(
    "insert into survey_versions (workspace_id, survey_id, version, definition, status, published_at) values (?, ?, 1, ?, 'published', ?)",
  );
  const touchpoints: Touchpoint[] = rows.map((row, i) => {
    const tp = byKey.get(row.key)!;
    // One touchpoint measures the zone of tolerance; the rest the plain gap pair.
    const template: SurveyTemplate = i === 2 ? "zone_of_tolerance" : "gap_pair";
    const asks = { nps: true, csat: row.mot === 1, ces: i % 4 === 1 };
    const json = buildSurvey(
      { key: tp.key, name: tp.name, attributes: tp.attributes.map((a) => ({ key: a.key, label: a.label, servqual: a.servqual ?? null })) },
      { template, ...asks, comment: true },
    );
    const surveyId = Number(insertSurvey.run(workspaceId, row.id, tp.name, template).lastInsertRowid);
    const versionId = Number(insertVersion.run(workspaceId, surveyId, JSON.stringify(json), Date.now()).lastInsertRowid);
    return {
      id: row.id,
      key: row.key,
      plan: measurementPlan(json),
      versionId,
      template,
      attributes: tp.attributes.map((a) => a.key),
      // Some touchpoints disappoint, some delight: the tables have something to rank.
      quality: [-1.2, -0.4, 0.3, -0.8, 0.1, -1.5, 0.4, -0.2, 0.6, -0.6, 0.2, -1.0, 0][i % 13],
      asks,
    };
  });

  const insertCustomer = sqlite.prepare(
    "insert into customers (workspace_id, external_id, name, tier, language) values (?, ?, ?, ?, ?)",
  );
  const rand = random(11);
  sqlite.transaction(() => {
    for (let c = 1; c <= options.customers; c++) {
      const u = rand();
      const tier = u < 0.1 ? "premium" : u < 0.4 ? "regular" : "generic";
      insertCustomer.run(workspaceId, `C${String(c).padStart(7, "0")}`, `Customer ${c}`, tier, rand() < 0.8 ? "es" : "en");
    }
  })();
  return {
    workspaceId,
    journeyKey: parsed.journey.key,
    touchpoints,
    customers: options.customers,
    firstDay: day(options.lastDayMs - (options.days - 1) * DAY_MS),
    lastDay: day(options.lastDayMs),
  };
}

type Statements = {
  response: Database.Statement;
  measurements: (count: number) => Database.Statement;
  event: Database.Statement;
};

function statements(sqlite: Database.Database): Statements {
  return {
    response: sqlite.prepare(
      `insert into responses (workspace_id, survey_version_id, touchpoint_id, customer_id, tier, lang, source, data, comment, completed_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    measurements: (() => {
      // One statement per response's rows: fewer statement runs than one per measurement.
      const byCount = new Map<number, Database.Statement>();
      return (count: number) => {
        let statement = byCount.get(count);
        if (!statement) {
          statement = sqlite.prepare(
            `insert into measurements (workspace_id, response_id, touchpoint_id, attribute_key, kind, value) values ${Array(count).fill("(?, ?, ?, ?, ?, ?)").join(", ")}`,
          );
          byCount.set(count, statement);
        }
        return statement;
      };
    })(),
    event: sqlite.prepare(
      `insert into crm_events (workspace_id, customer_id, dedupe_key, type, occurred_at, amount, currency)
       values (?, ?, ?, 'purchase', ?, ?, 'EUR')`,
    ),
  };
}

/**
 * A bulk load into a file nothing else has open: no rollback journal, no fsync, a large page cache,
 * no foreign-key lookups (the rows are consistent by construction). Returns the function that puts
 * back the settings the app runs with (db/client.ts: WAL, synchronous NORMAL, keys on), so the
 * timings afterwards are the app's.
 */
function bulkLoadMode(sqlite: Database.Database): () => void {
  const cacheSize = sqlite.pragma("cache_size", { simple: true });
  // Secondary indexes are rebuilt once at the end (a sort) instead of updated row by row. Their
  // definitions come from sqlite_master, so they come back exactly as the migrations made them.
  const indexes = sqlite
    .prepare(
      `select name, sql from sqlite_master where type = 'index' and sql is not null
         and tbl_name in ('responses', 'measurements', 'crm_events')`,
    )
    .all() as { name: string; sql: string }[];
  for (const index of indexes) sqlite.exec(`drop index "${index.name}"`);
  sqlite.pragma("journal_mode = DELETE");
  sqlite.pragma("journal_mode = MEMORY");
  sqlite.pragma("synchronous = OFF");
  sqlite.pragma("cache_size = -500000");
  sqlite.pragma("foreign_keys = OFF");
  return () => {
    for (const index of indexes) sqlite.exec(index.sql);
    sqlite.pragma("foreign_keys = ON");
    sqlite.pragma(`cache_size = ${cacheSize}`);
    sqlite.pragma("synchronous = NORMAL");
    sqlite.pragma("journal_mode = WAL");
  };
}

const clamp = (x: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, Math.round(x)));

/** A standard normal draw (Box–Muller). */
function normal(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

const COMMENTS = [
  "Todo muy bien, gracias.",
  "Tuve que esperar demasiado.",
  "La persona que me atendió fue muy amable.",
  "No me explicaron las comisiones.",
  "The app kept logging me out.",
  "Quick and easy.",
];

/**
 * Adds `count` responses spread evenly over the workspace's days (so a second call interleaves
 * with the first, as more traffic on the same days would), with one purchase event per response
 * on average. Returns the number of measurements written.
 */
export function addResponses(ws: BenchWorkspace, count: number, seed: number, eventsPerResponse = 1): number {
  const sqlite = getDb().$client;
  const st = statements(sqlite);
  const restore = bulkLoadMode(sqlite);
  const rand = random(seed);
  const firstMs = Date.parse(`${ws.firstDay}T00:00:00Z`);
  const days = Math.round((Date.parse(`${ws.lastDay}T00:00:00Z`) - firstMs) / DAY_MS) + 1;
  const perDay = count / days;
  const lastMs = firstMs + days * DAY_MS;
  let measurements = 0;
  let eventSerial = Number((sqlite.prepare("select count(*) as n from crm_events").get() as { n: number }).n);
  const customerTier = (c: number) => {
    // The same tier draw as createWorkspace made, recomputed from the seeded sequence is costly;
    // a hash of the id gives a stable tier with the same shares.
    const u = ((c * 2654435761) >>> 0) / 4294967296;
    return u < 0.1 ? "premium" : u < 0.4 ? "regular" : "generic";
  };
  const firstCustomerId = Number((sqlite.prepare("select min(id) as id from customers where workspace_id = ?").get(ws.workspaceId) as { id: number }).id);

  const upsert = rollupUpserts(sqlite);
  const writeDay = sqlite.transaction((d: number, responsesToday: number) => {
    const dayMs = firstMs + d * DAY_MS;
    const dayKey = day(dayMs);
    // One day's rollup rows, merged in memory and added once (daily and weekly): the same sums as
    // one upsert per response. Grouped by touchpoint × tier × language first, so the inner key
    // stays short.
    const groups = new Map<number, Map<string, Record<string, number | string>>>();
    for (let r = 0; r < responsesToday; r++) {
      const tp = ws.touchpoints[Math.floor(rand() * ws.touchpoints.length)];
      const known = rand() < 0.85;
      const customerId = known ? firstCustomerId + Math.floor(rand() * ws.customers) : null;
      const tier = customerId === null ? "" : customerTier(customerId);
      const lang = rand() < 0.8 ? "es" : "en";
      const mood = normal(rand) + (tier === "premium" ? 0.3 : tier === "generic" ? -0.15 : 0);
      const data: Record<string, number | string> = {};
      for (const attribute of tp.attributes) {
        if (tp.template === "zone_of_tolerance") {
          const adequate = clamp(4.5 + normal(rand), 1, 8);
          data[`${attribute}__adequate`] = adequate;
          data[`${attribute}__desired`] = clamp(adequate + 2 + normal(rand) * 0.7, adequate, 9);
          data[`${attribute}__perception`] = clamp(adequate + 1 + tp.quality + mood + normal(rand) * 0.8, 1, 9);
        } else {
          const expectation = clamp(5.6 + normal(rand) * 0.9, 1, 7);
          data[`${attribute}__expectation`] = expectation;
          data[`${attribute}__perception`] = clamp(expectation + tp.quality + mood * 0.9 + normal(rand) * 0.8, 1, 7);
        }
      }
      if (tp.asks.nps) data.nps = clamp(7.4 + tp.quality + mood * 1.6 + normal(rand), 0, 10);
      if (tp.asks.csat) data.csat = clamp(3.8 + tp.quality * 0.6 + mood * 0.8 + normal(rand) * 0.5, 1, 5);
      if (tp.asks.ces) data.ces = clamp(5.2 + tp.quality * 0.5 + mood * 0.8 + normal(rand) * 0.7, 1, 7);
      const comment = rand() < 0.15 ? COMMENTS[Math.floor(rand() * COMMENTS.length)] : null;
      if (comment) data.comment = comment;
      const completedAt = dayMs + Math.floor(rand() * DAY_MS);
      const responseId = Number(
        st.response.run(ws.workspaceId, tp.versionId, tp.id, customerId, tier, lang, known ? "invitation" : "link",
          JSON.stringify(data), comment, completedAt).lastInsertRowid,
      );
      const ms = measurementsFromPlan(tp.plan, data);
      if (ms.length) st.measurements(ms.length).run(ms.flatMap((m) => [ws.workspaceId, responseId, tp.id, m.attributeKey ?? "", m.kind, m.value]));
      measurements += ms.length;
      const group = (tp.id * TIERS.length + TIERS.indexOf(tier as (typeof TIERS)[number])) * 2 + (lang === "es" ? 0 : 1);
      let cells = groups.get(group);
      if (!cells) groups.set(group, (cells = new Map()));
      for (const delta of rollupDeltas(ms, { day: dayKey, tier })) {
        const key = delta.kind + "\u0000" + delta.attributeKey;
        const current = cells.get(key);
        if (!current) {
          cells.set(key, delta);
          continue;
        }
        for (const c of ROLLUP_COLUMNS) (current[c] as number) += delta[c];
      }
      // Behaviour after the visit: happier customers come back more often and spend more.
      if (customerId !== null) {
        const events = eventsPerResponse * Math.max(0, 1 + 0.35 * mood + normal(rand) * 0.3);
        for (let e = 0; e < Math.floor(events + rand()); e++) {
          const at = completedAt + Math.floor((1 + rand() * 150) * DAY_MS);
          if (at > lastMs) continue;
          const amount = Math.round(Math.exp(3.6 + 0.25 * mood + normal(rand) * 0.6) * 100) / 100;
          st.event.run(ws.workspaceId, customerId, `bench:${String(++eventSerial).padStart(9, "0")}`, at, amount);
        }
      }
    }
    const rows: (string | number)[][] = [];
    for (const [group, cells] of groups) {
      const tpId = Math.floor(group / (TIERS.length * 2));
      const tier = TIERS[Math.floor(group / 2) % TIERS.length];
      const lang = group % 2 === 0 ? "es" : "en";
      for (const row of cells.values()) {
        rows.push([ws.workspaceId, tpId, row.attributeKey, row.kind, dayKey, tier, lang, ...ROLLUP_COLUMNS.map((c) => row[c] as number)]);
      }
    }
    upsert(rows);
  });

  let written = 0;
  for (let d = 0; d < days; d++) {
    const target = Math.round((d + 1) * perDay);
    writeDay(d, target - written);
    written = target;
  }
  restore();
  return measurements;
}

const SQL_COLUMNS = ["n", "sum", "sum_sq", "sum_p", "sum_e", "sum_y", "sum_y_sq", "sum_xy", "promoters", "passives", "detractors", "top2"];

/**
 * The generator's own rollup writer: the same sums the app adds in each response's transaction
 * (rollup-writes.server.ts), upserted per key at both levels with prepared statements, since this
 * writes millions of rows in one synchronous transaction per day.
 */
function rollupUpserts(sqlite: Database.Database) {
  const statement = (table: "rollups" | "rollups_weekly", period: "day" | "week") =>
    sqlite.prepare(
      `INSERT INTO ${table} (workspace_id, touchpoint_id, attribute_key, kind, ${period}, tier, lang, ${SQL_COLUMNS.join(", ")})
       VALUES (${Array.from({ length: 7 + SQL_COLUMNS.length }, () => "?").join(", ")})
       ON CONFLICT (workspace_id, touchpoint_id, attribute_key, kind, ${period}, tier, lang) DO UPDATE SET
       ${SQL_COLUMNS.map((c) => `${c} = ${c} + excluded.${c}`).join(", ")}`,
    );
  const daily = statement("rollups", "day");
  const weekly = statement("rollups_weekly", "week");
  return (rows: (string | number)[][]) => {
    for (const row of rows) {
      daily.run(row);
      const week = row.slice();
      week[4] = weekOf(String(row[4]));
      weekly.run(week);
    }
  };
}
