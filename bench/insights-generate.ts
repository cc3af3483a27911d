// Synthetic workspace for the insights benchmark, on either engine (through getDb()): a sample
// journey, one survey per touchpoint, customers, responses with their measurements and rollups, and
// CRM purchase events. The HTTP path would take hours at a million responses, so rows are made here
// and written in bulk, a day of responses per transaction: on SQLite with prepared statements on the
// raw connection; on PostgreSQL with multi-row INSERTs in chunks, one array parameter per column
// (INSERT … SELECT FROM unnest(…)), which keeps a statement's text and parameter count the same
// whatever the chunk's size. Rollups are the recording path's own sums (RollupAccumulator, the
// same pure code the response writer adds up a batch with), upserted once per day (daily rows) and
// once per week (weekly rows).
import fs from "node:fs";
import path from "node:path";
import type Database from "better-sqlite3";
import { eq } from "drizzle-orm";
import type pg from "pg";
import { getDb, isPostgres } from "#db/client";
import { customers, surveyVersions, surveys, touchpoints, workspaces } from "#db/schema/index";
import { parseJourneyFile } from "~/cem/journey";
import { measurementsFromPlan } from "~/cem/measurement";
import { ROLLUP_COLUMNS } from "~/cem/rollup";
import { RollupAccumulator, keyOf, type RollupRow } from "~/cem/rollup-sums";
import { saveJourney } from "~/data/journeys.server";
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
  firstCustomerId: number;
  /** First and last day (UTC, YYYY-MM-DD) of the responses. */
  firstDay: string;
  lastDay: string;
};

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** A customer's tier from its number: stable, with the shares 10 % premium, 30 % regular, 60 % generic. */
function tierOf(c: number): "premium" | "regular" | "generic" {
  const u = ((c * 2654435761) >>> 0) / 4294967296;
  return u < 0.1 ? "premium" : u < 0.4 ? "regular" : "generic";
}

export async function createWorkspace(options: { customers: number; lastDayMs: number; days: number }): Promise<BenchWorkspace> {
  const db = getDb();
  // Created on the first day of the responses: nothing a workspace records predates it.
  const firstDayMs = options.lastDayMs - (options.days - 1) * DAY_MS;
  const [{ id: workspaceId }] = await db
    .insert(workspaces)
    .values({ slug: "bench", name: "Bench", createdAt: new Date(firstDayMs) })
    .returning({ id: workspaces.id });
  const text = fs.readFileSync(path.resolve("journeys", "retail-bank-account-opening.json"), "utf8");
  const parsed = parseJourneyFile(text);
  if (!parsed.ok) throw new Error("sample journey is invalid");
  const saved = await saveJourney(workspaceId, parsed.journey, "create");
  if (!saved.ok) throw new Error("sample journey did not import");

  const rows = await db
    .select({ id: touchpoints.id, key: touchpoints.key, mot: touchpoints.momentOfTruth })
    .from(touchpoints)
    .where(eq(touchpoints.workspaceId, workspaceId))
    .orderBy(touchpoints.id);
  const byKey = new Map(parsed.journey.stages.flatMap((s) => s.touchpoints).map((tp) => [tp.key, tp]));
  const list: Touchpoint[] = [];
  for (const [i, row] of rows.entries()) {
    const tp = byKey.get(row.key)!;
    // One touchpoint measures the zone of tolerance; the rest the plain gap pair.
    const template: SurveyTemplate = i === 2 ? "zone_of_tolerance" : "gap_pair";
    const asks = { nps: true, csat: Boolean(row.mot), ces: i % 4 === 1 };
    const json = buildSurvey(
      { key: tp.key, name: tp.name, attributes: tp.attributes.map((a) => ({ key: a.key, label: a.label, servqual: a.servqual ?? null })) },
      { template, ...asks, comment: true },
    );
    const [survey] = await db.insert(surveys).values({ workspaceId, touchpointId: row.id, title: tp.name, template }).returning({ id: surveys.id });
    const [version] = await db
      .insert(surveyVersions)
      .values({ workspaceId, surveyId: survey.id, version: 1, definition: JSON.stringify(json), status: "published", publishedAt: new Date() })
      .returning({ id: surveyVersions.id });
    list.push({
      id: row.id,
      key: row.key,
      plan: measurementPlan(json),
      versionId: version.id,
      template,
      attributes: tp.attributes.map((a) => a.key),
      // Some touchpoints disappoint, some delight: the tables have something to rank.
      quality: [-1.2, -0.4, 0.3, -0.8, 0.1, -1.5, 0.4, -0.2, 0.6, -0.6, 0.2, -1.0, 0][i % 13],
      asks,
    });
  }

  // Customers in chunks of 1,000 rows per statement (drizzle, either engine), numbered from 1.
  const rand = random(11);
  let firstCustomerId = 0;
  await db.transaction(async () => {
    for (let from = 1; from <= options.customers; from += 1_000) {
      const chunk = [];
      for (let c = from; c < Math.min(from + 1_000, options.customers + 1); c++) {
        chunk.push({ workspaceId, externalId: `C${String(c).padStart(7, "0")}`, name: `Customer ${c}`, tier: tierOf(c), language: rand() < 0.8 ? "es" : "en" });
      }
      const ids = await getDb().insert(customers).values(chunk).returning({ id: customers.id });
      if (from === 1) firstCustomerId = Math.min(...ids.map((r) => r.id));
    }
  });
  return {
    workspaceId,
    journeyKey: parsed.journey.key,
    touchpoints: list,
    customers: options.customers,
    firstCustomerId,
    firstDay: day(firstDayMs),
    lastDay: day(options.lastDayMs),
  };
}

// ---- one day's rows -----------------------------------------------------------------------------

/** A day's rows, column by column (what PostgreSQL's unnest takes; SQLite reads them row by row). */
type DayRows = {
  responses: { id: number[]; touchpointId: number[]; versionId: number[]; customerId: (number | null)[]; tier: string[]; lang: string[]; source: string[]; data: string[]; comment: (string | null)[]; completedAt: number[] };
  measurements: { responseId: number[]; touchpointId: number[]; attributeKey: string[]; kind: string[]; value: number[]; dimension: (string | null)[] };
  events: { customerId: number[]; dedupeKey: string[]; occurredAt: number[]; amount: number[] };
};
type Sums = { daily: RollupRow[]; weekly: RollupRow[] };

const emptyDay = (): DayRows => ({
  responses: { id: [], touchpointId: [], versionId: [], customerId: [], tier: [], lang: [], source: [], data: [], comment: [], completedAt: [] },
  measurements: { responseId: [], touchpointId: [], attributeKey: [], kind: [], value: [], dimension: [] },
  events: { customerId: [], dedupeKey: [], occurredAt: [], amount: [] },
});

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

// ---- writers: one per engine ---------------------------------------------------------------------

type Writer = {
  /** The largest response id and crm event count so far (ids are given here, not drawn). */
  start: () => Promise<{ maxResponseId: number; events: number }>;
  /** One day's rows in one transaction. */
  day: (rows: DayRows) => Promise<void>;
  /** Rollup sums upserted (either level may be empty), in one transaction. */
  rollups: (sums: Sums) => Promise<void>;
  /** Back to how the app runs (indexes, settings, identity counters). */
  finish: () => Promise<void>;
};

const ROLLUP_SQL_COLUMNS = ["n", "sum", "sum_sq", "sum_p", "sum_e", "sum_y", "sum_y_sq", "sum_xy", "promoters", "passives", "detractors", "top2"];
const BULK_TABLES = ["responses", "measurements", "crm_events"];

/**
 * SQLite: prepared statements on the raw connection, in a file nothing else has open: no rollback
 * journal, no fsync, a large page cache, no foreign-key lookups (the rows are consistent by
 * construction), and the secondary indexes rebuilt once at the end (a sort) instead of updated row
 * by row. `finish` puts back what the app runs with (db/client.ts: WAL, synchronous NORMAL, keys
 * on), so the timings afterwards are the app's.
 */
function sqliteWriter(workspaceId: number): Writer {
  const sqlite = getDb().$client;
  let restore = () => {};
  const response = sqlite.prepare(
    `insert into responses (id, workspace_id, survey_version_id, touchpoint_id, customer_id, tier, lang, source, data, comment, completed_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  // Measurements MEASUREMENT_ROWS to a statement: far fewer statement runs than one per row.
  const MEASUREMENT_ROWS = 100;
  const measurementStatements = new Map<number, Database.Statement>();
  const measurements = (rows: number) => {
    let statement = measurementStatements.get(rows);
    if (!statement) {
      statement = sqlite.prepare(
        `insert into measurements (workspace_id, response_id, touchpoint_id, attribute_key, kind, value, dimension) values ${Array(rows).fill("(?, ?, ?, ?, ?, ?, ?)").join(", ")}`,
      );
      measurementStatements.set(rows, statement);
    }
    return statement;
  };
  const event = sqlite.prepare(
    "insert into crm_events (workspace_id, customer_id, dedupe_key, type, occurred_at, amount, currency) values (?, ?, ?, 'purchase', ?, ?, 'EUR')",
  );
  const upsert = (table: "rollups" | "rollups_weekly", period: "day" | "week") =>
    sqlite.prepare(
      `INSERT INTO ${table} (workspace_id, touchpoint_id, attribute_key, kind, ${period}, tier, lang, ${ROLLUP_SQL_COLUMNS.join(", ")})
       VALUES (${Array.from({ length: 7 + ROLLUP_SQL_COLUMNS.length }, () => "?").join(", ")})
       ON CONFLICT (workspace_id, touchpoint_id, attribute_key, kind, ${period}, tier, lang) DO UPDATE SET
       ${ROLLUP_SQL_COLUMNS.map((c) => `${c} = ${c} + excluded.${c}`).join(", ")}`,
    );
  const daily = upsert("rollups", "day");
  const weekly = upsert("rollups_weekly", "week");
  const writeDay = sqlite.transaction((rows: DayRows) => {
    const r = rows.responses;
    for (let i = 0; i < r.id.length; i++) {
      response.run(r.id[i], workspaceId, r.versionId[i], r.touchpointId[i], r.customerId[i], r.tier[i], r.lang[i], r.source[i], r.data[i], r.comment[i], r.completedAt[i]);
    }
    const m = rows.measurements;
    for (let from = 0; from < m.responseId.length; from += MEASUREMENT_ROWS) {
      const to = Math.min(from + MEASUREMENT_ROWS, m.responseId.length);
      const values: unknown[] = [];
      for (let i = from; i < to; i++) values.push(workspaceId, m.responseId[i], m.touchpointId[i], m.attributeKey[i], m.kind[i], m.value[i], m.dimension[i]);
      measurements(to - from).run(values);
    }
    const e = rows.events;
    for (let i = 0; i < e.customerId.length; i++) event.run(workspaceId, e.customerId[i], e.dedupeKey[i], e.occurredAt[i], e.amount[i]);
  });
  const writeRollups = sqlite.transaction((sums: Sums) => {
    for (const [statement, level] of [[daily, sums.daily], [weekly, sums.weekly]] as const) {
      for (const row of level) statement.run(row.workspaceId, row.touchpointId, row.attributeKey, row.kind, row.day, row.tier, row.lang, ...ROLLUP_COLUMNS.map((c) => row[c]));
    }
  });
  return {
    start: async () => {
      const cacheSize = sqlite.pragma("cache_size", { simple: true });
      // Secondary indexes come back from sqlite_master's own text, exactly as the migrations made them.
      const indexes = sqlite
        .prepare(`select name, sql from sqlite_master where type = 'index' and sql is not null and tbl_name in (${BULK_TABLES.map(() => "?").join(", ")})`)
        .all(...BULK_TABLES) as { name: string; sql: string }[];
      for (const index of indexes) sqlite.exec(`drop index "${index.name}"`);
      sqlite.pragma("journal_mode = DELETE");
      sqlite.pragma("journal_mode = MEMORY");
      sqlite.pragma("synchronous = OFF");
      sqlite.pragma("cache_size = -500000");
      sqlite.pragma("foreign_keys = OFF");
      restore = () => {
        for (const index of indexes) sqlite.exec(index.sql);
        sqlite.pragma("foreign_keys = ON");
        sqlite.pragma(`cache_size = ${cacheSize}`);
        sqlite.pragma("synchronous = NORMAL");
        sqlite.pragma("journal_mode = WAL");
      };
      const { id, events } = sqlite.prepare("select (select coalesce(max(id), 0) from responses) as id, (select count(*) from crm_events) as events").get() as { id: number; events: number };
      return { maxResponseId: id, events };
    },
    day: async (rows) => {
      writeDay(rows);
    },
    rollups: async (sums) => {
      writeRollups(sums);
    },
    finish: async () => restore(),
  };
}

/**
 * PostgreSQL: one connection of the app's pool; per day BEGIN, the rows as multi-row INSERTs of up
 * to CHUNK rows (one array per column, unnest), the rollup upserts the same way, COMMIT. Like the
 * SQLite writer it skips foreign-key checks (session_replication_role = replica, for the bulk
 * transaction only; the bench's throwaway cluster connects as a superuser) and rebuilds the
 * secondary indexes once at the end; `finish` also moves the identity counters past the given ids.
 * ANALYZE and VACUUM are the caller's (bench/insights-engine.ts), as on SQLite.
 */
function pgWriter(workspaceId: number): Writer {
  const pool = getDb().$client as unknown as pg.Pool;
  const CHUNK = 10_000;
  let client: pg.PoolClient;
  let indexes: { indexname: string; indexdef: string }[] = [];

  type Column = [name: string, type: string, values: readonly unknown[]];

  /**
   * INSERT … SELECT FROM unnest($1::type[], …) AS u(columns), CHUNK rows a statement. `select`
   * replaces the plain column list where a value needs converting; `constants` adds columns with
   * the same value in every row.
   */
  async function insert(table: string, columns: Column[], options: { select?: string[]; constants?: [string, string][]; conflict?: string } = {}) {
    const names = columns.map(([name]) => name);
    const constants = options.constants ?? [];
    const text = `INSERT INTO ${table} (${[...names, ...constants.map(([name]) => name)].join(", ")})
      SELECT ${[...(options.select ?? names), ...constants.map(([, value]) => value)].join(", ")}
        FROM unnest(${columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(", ")}) AS u(${names.join(", ")}) ${options.conflict ?? ""}`;
    const length = columns[0][2].length;
    for (let from = 0; from < length; from += CHUNK) {
      await client.query(text, columns.map(([, , values]) => (length <= CHUNK ? values : values.slice(from, from + CHUNK))));
    }
  }

  async function upsertRollups(table: "rollups" | "rollups_weekly", period: "day" | "week", rows: RollupRow[]) {
    if (rows.length === 0) return;
    const keys = ["workspace_id", "touchpoint_id", "attribute_key", "kind", period, "tier", "lang"];
    const integer = new Set(["n", "promoters", "passives", "detractors", "top2"]);
    await insert(
      table,
      [
        ["workspace_id", "int", rows.map((r) => r.workspaceId)],
        ["touchpoint_id", "int", rows.map((r) => r.touchpointId)],
        ["attribute_key", "text", rows.map((r) => r.attributeKey)],
        ["kind", "text", rows.map((r) => r.kind)],
        [period, "text", rows.map((r) => r.day)],
        ["tier", "text", rows.map((r) => r.tier)],
        ["lang", "text", rows.map((r) => r.lang)],
        ...ROLLUP_COLUMNS.map((c, i): Column => [ROLLUP_SQL_COLUMNS[i], integer.has(ROLLUP_SQL_COLUMNS[i]) ? "int" : "float8", rows.map((r) => r[c])]),
      ],
      { conflict: `ON CONFLICT (${keys.join(", ")}) DO UPDATE SET ${ROLLUP_SQL_COLUMNS.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(", ")}` },
    );
  }

  return {
    start: async () => {
      client = await pool.connect();
      // Indexes that back no constraint (the primary keys and UNIQUE constraints stay).
      const found = await client.query<{ indexname: string; indexdef: string }>(
        `SELECT i.indexname, i.indexdef FROM pg_indexes i
          WHERE i.schemaname = 'public' AND i.tablename = ANY($1)
            AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = format('%I.%I', i.schemaname, i.indexname)::regclass)`,
        [BULK_TABLES],
      );
      indexes = found.rows;
      for (const index of indexes) await client.query(`DROP INDEX "${index.indexname}"`);
      const { rows } = await client.query<{ id: number; events: number }>(
        "SELECT (SELECT coalesce(max(id), 0) FROM responses)::int AS id, (SELECT count(*) FROM crm_events)::int AS events",
      );
      return { maxResponseId: rows[0].id, events: rows[0].events };
    },
    day: async (rows) => {
      const ws = () => Array<number>(rows.responses.id.length).fill(workspaceId);
      await client.query("BEGIN");
      try {
        await client.query("SET LOCAL session_replication_role = replica");
        const r = rows.responses;
        await insert(
          "responses",
          [
            ["id", "int", r.id],
            ["workspace_id", "int", ws()],
            ["survey_version_id", "int", r.versionId],
            ["touchpoint_id", "int", r.touchpointId],
            ["customer_id", "int", r.customerId],
            ["tier", "text", r.tier],
            ["lang", "text", r.lang],
            ["source", "text", r.source],
            ["data", "text", r.data],
            ["comment", "text", r.comment],
            ["completed_at", "float8", r.completedAt],
          ],
          // Epoch milliseconds to timestamptz in SQL: cheaper than an ISO string per row.
          { select: ["id", "workspace_id", "survey_version_id", "touchpoint_id", "customer_id", "tier", "lang", "source", "data", "comment", "to_timestamp(completed_at / 1000.0)"] },
        );
        const m = rows.measurements;
        await insert("measurements", [
          ["workspace_id", "int", Array<number>(m.responseId.length).fill(workspaceId)],
          ["response_id", "int", m.responseId],
          ["touchpoint_id", "int", m.touchpointId],
          ["attribute_key", "text", m.attributeKey],
          ["kind", "text", m.kind],
          ["value", "float8", m.value],
          ["dimension", "text", m.dimension],
        ]);
        const e = rows.events;
        if (e.customerId.length > 0) {
          await insert(
            "crm_events",
            [
              ["workspace_id", "int", Array<number>(e.customerId.length).fill(workspaceId)],
              ["customer_id", "int", e.customerId],
              ["dedupe_key", "text", e.dedupeKey],
              ["occurred_at", "float8", e.occurredAt],
              ["amount", "float8", e.amount],
            ],
            {
              select: ["workspace_id", "customer_id", "dedupe_key", "to_timestamp(occurred_at / 1000.0)", "amount"],
              constants: [["type", "'purchase'"], ["currency", "'EUR'"]],
            },
          );
        }
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw error;
      }
    },
    rollups: async (sums) => {
      await client.query("BEGIN");
      try {
        await upsertRollups("rollups", "day", sums.daily);
        await upsertRollups("rollups_weekly", "week", sums.weekly);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw error;
      }
    },
    finish: async () => {
      try {
        // Index builds sort in memory up to maintenance_work_mem (64 MB by default).
        await client.query("SET maintenance_work_mem = '256MB'");
        for (const index of indexes) await client.query(index.indexdef);
        for (const table of ["responses", "crm_events"]) {
          await client.query(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT coalesce(max(id), 1) FROM ${table}))`);
        }
        await client.query("RESET maintenance_work_mem");
      } finally {
        client.release();
      }
    },
  };
}

/**
 * Adds `count` responses spread evenly over the workspace's days (so a second call interleaves
 * with the first, as more traffic on the same days would), with one purchase event per response
 * on average. Returns the number of measurements written.
 */
export async function addResponses(ws: BenchWorkspace, count: number, seed: number, eventsPerResponse = 1): Promise<number> {
  const writer = isPostgres() ? pgWriter(ws.workspaceId) : sqliteWriter(ws.workspaceId);
  const rand = random(seed);
  const firstMs = Date.parse(`${ws.firstDay}T00:00:00Z`);
  const days = Math.round((Date.parse(`${ws.lastDay}T00:00:00Z`) - firstMs) / DAY_MS) + 1;
  const perDay = count / days;
  const lastMs = firstMs + days * DAY_MS;
  let measurements = 0;
  const { maxResponseId, events } = await writer.start();
  let responseId = maxResponseId;
  let eventSerial = events;

  // Each response's increments added up per key for its day (RollupAccumulator, as the response
  // writer adds up a batch): the day's daily rows are written with the day; its weekly rows are
  // added up further until the week's last day, so a week's row is written once, not seven times.
  let sums = new RollupAccumulator();
  let week = new Map<string, RollupRow>();
  let weekOfRows = "";

  function makeDay(dayMs: number, responsesToday: number): DayRows {
    const rows = emptyDay();
    for (let r = 0; r < responsesToday; r++) {
      const tp = ws.touchpoints[Math.floor(rand() * ws.touchpoints.length)];
      const known = rand() < 0.85;
      const c = known ? 1 + Math.floor(rand() * ws.customers) : 0;
      const customerId = known ? ws.firstCustomerId + c - 1 : null;
      const tier = known ? tierOf(c) : "";
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
      const id = ++responseId;
      const res = rows.responses;
      res.id.push(id);
      res.touchpointId.push(tp.id);
      res.versionId.push(tp.versionId);
      res.customerId.push(customerId);
      res.tier.push(tier);
      res.lang.push(lang);
      res.source.push(known ? "invitation" : "link");
      res.data.push(JSON.stringify(data));
      res.comment.push(comment);
      res.completedAt.push(completedAt);
      const ms = measurementsFromPlan(tp.plan, data);
      const m = rows.measurements;
      for (const x of ms) {
        m.responseId.push(id);
        m.touchpointId.push(tp.id);
        m.attributeKey.push(x.attributeKey ?? "");
        m.kind.push(x.kind);
        m.value.push(x.value);
        m.dimension.push(x.dimension);
      }
      measurements += ms.length;
      sums.add(ws.workspaceId, tp.id, tier, lang, completedAt, ms);
      // Behaviour after the visit: happier customers come back more often and spend more.
      if (customerId !== null) {
        const times = eventsPerResponse * Math.max(0, 1 + 0.35 * mood + normal(rand) * 0.3);
        for (let e = 0; e < Math.floor(times + rand()); e++) {
          const at = completedAt + Math.floor((1 + rand() * 150) * DAY_MS);
          if (at > lastMs) continue;
          rows.events.customerId.push(customerId);
          rows.events.dedupeKey.push(`bench:${String(++eventSerial).padStart(9, "0")}`);
          rows.events.occurredAt.push(at);
          rows.events.amount.push(Math.round(Math.exp(3.6 + 0.25 * mood + normal(rand) * 0.6) * 100) / 100);
        }
      }
    }
    return rows;
  }

  const weekRows = () => [...week.values()].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1));
  try {
    let written = 0;
    for (let d = 0; d < days; d++) {
      const target = Math.round((d + 1) * perDay);
      sums = new RollupAccumulator();
      await writer.day(makeDay(firstMs + d * DAY_MS, target - written));
      written = target;
      const { daily, weekly } = sums.sums();
      const monday = weekly[0]?.day ?? weekOfRows;
      if (monday !== weekOfRows && week.size > 0) {
        await writer.rollups({ daily: [], weekly: weekRows() });
        week = new Map();
      }
      weekOfRows = monday;
      for (const row of weekly) {
        const key = keyOf(row);
        const current = week.get(key);
        if (!current) week.set(key, row);
        else for (const c of ROLLUP_COLUMNS) current[c] += row[c];
      }
      await writer.rollups({ daily, weekly: [] });
    }
    if (week.size > 0) await writer.rollups({ daily: [], weekly: weekRows() });
  } finally {
    await writer.finish();
  }
  return measurements;
}
