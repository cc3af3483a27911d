// Journeys of a workspace: read as a journey file, saved from one (import, replace and every edit
// in the browser go through saveJourney), keyed by stable keys so ids survive edits.
import { and, asc, count, eq, inArray, ne, notInArray, sql, type SQL } from "drizzle-orm";
import { getDb, type Tx } from "#db/client";
import { attributes, journeys, processes, stages, touchpoints } from "#db/schema/index";
import { referencedProcesses } from "~/cem/journey-edit";
import { validateJourney, type JourneyFile, type JourneyFileError } from "~/cem/journey";

/** Whether the error, or an error it wraps (drizzle wraps the driver's error as its cause), says `pattern`. */
function failedWith(error: unknown, pattern: RegExp): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) if (pattern.test(e.message)) return true;
  return false;
}

/** A foreign key refused the change: SQLite's message, or PostgreSQL's. */
const FOREIGN_KEY_FAILED = /FOREIGN KEY constraint failed|violates foreign key constraint/;

/** A count subquery as a number on both engines (PostgreSQL's count is a bigint, which pg gives as text). */
const subCount = (query: SQL) => sql<number>`(${query})`.mapWith(Number);

export async function listJourneys(workspaceId: number) {
  const db = getDb();
  return db
    .select({
      id: journeys.id,
      key: journeys.key,
      name: journeys.name,
      nameEn: journeys.nameEn,
      persona: journeys.persona,
      // Correlated subqueries name their tables explicitly: drizzle leaves column names unqualified here.
      stages: subCount(sql`select count(*) from stages s where s.journey_id = "journeys"."id"`),
      touchpoints: subCount(sql`select count(*) from touchpoints t where t.journey_id = "journeys"."id"`),
      moments: subCount(
        sql`select count(*) from touchpoints t where t.journey_id = "journeys"."id" and t.moment_of_truth = ${sql.param(true, touchpoints.momentOfTruth)}`,
      ),
      // Stages and touchpoints still without an English name (a designer sees what needs translating).
      untranslated: subCount(
        sql`select (select count(*) from stages s where s.journey_id = "journeys"."id" and s.name_en = '') + (select count(*) from touchpoints t where t.journey_id = "journeys"."id" and t.name_en = '')`,
      ),
    })
    .from(journeys)
    .where(eq(journeys.workspaceId, workspaceId))
    .orderBy(asc(journeys.name));
}

export async function workspaceCounts(workspaceId: number) {
  const db = getDb();
  const one = async (table: typeof journeys | typeof touchpoints | typeof processes) =>
    (await db.select({ n: count() }).from(table).where(eq(table.workspaceId, workspaceId)).limit(1))[0]?.n ?? 0;
  const [moments] = await db
    .select({ n: count() })
    .from(touchpoints)
    .where(and(eq(touchpoints.workspaceId, workspaceId), eq(touchpoints.momentOfTruth, true)))
    .limit(1);
  return {
    journeys: await one(journeys),
    touchpoints: await one(touchpoints),
    processes: await one(processes),
    moments: moments?.n ?? 0,
  };
}

export async function workspaceProcesses(workspaceId: number) {
  return getDb()
    .select({ key: processes.key, name: processes.name, nameEn: processes.nameEn, owner: processes.owner, description: processes.description })
    .from(processes)
    .where(eq(processes.workspaceId, workspaceId))
    .orderBy(asc(processes.name));
}

/** The journey as its canonical file, or null when this workspace has no journey with that key. */
export async function loadJourney(workspaceId: number, key: string): Promise<JourneyFile | null> {
  const db = getDb();
  const [journey] = await db
    .select()
    .from(journeys)
    .where(and(eq(journeys.workspaceId, workspaceId), eq(journeys.key, key)))
    .limit(1);
  if (!journey) return null;
  const stageRows = await db.select().from(stages).where(eq(stages.journeyId, journey.id)).orderBy(asc(stages.position));
  const tpRows = await db
    .select({ tp: touchpoints, processKey: processes.key })
    .from(touchpoints)
    .leftJoin(processes, eq(processes.id, touchpoints.processId))
    .where(eq(touchpoints.journeyId, journey.id))
    .orderBy(asc(touchpoints.position));
  const attrRows = tpRows.length
    ? await db
        .select()
        .from(attributes)
        .where(inArray(attributes.touchpointId, tpRows.map((r) => r.tp.id)))
        .orderBy(asc(attributes.position))
    : [];
  const file: JourneyFile = {
    $schema: "./journey.schema.json",
    format: "vivencia.journey/1",
    key: journey.key,
    name: journey.name,
    nameEn: journey.nameEn,
    persona: journey.persona,
    description: journey.description,
    processes: [],
    stages: stageRows.map((stage) => ({
      key: stage.key,
      name: stage.name,
      nameEn: stage.nameEn,
      touchpoints: tpRows
        .filter((r) => r.tp.stageId === stage.id)
        .map(({ tp, processKey }) => ({
          key: tp.key,
          name: tp.name,
          nameEn: tp.nameEn,
          channel: tp.channel as JourneyFile["stages"][number]["touchpoints"][number]["channel"],
          interaction: tp.interaction as JourneyFile["stages"][number]["touchpoints"][number]["interaction"],
          process: processKey ?? null,
          side: tp.side as "frontstage" | "backstage",
          momentOfTruth: tp.momentOfTruth ? { reason: tp.momentOfTruth ? tp.momentOfTruthReason : "" } : null,
          modules: tp.modules as JourneyFile["stages"][number]["touchpoints"][number]["modules"],
          targetDurationMinutes: tp.targetDurationMinutes,
          attributes: attrRows
            .filter((a) => a.touchpointId === tp.id)
            .map((a) => ({
              key: a.key,
              label: { es: a.labelEs, en: a.labelEn },
              servqual: a.servqual as JourneyFile["stages"][number]["touchpoints"][number]["attributes"][number]["servqual"],
            })),
        })),
    })),
  };
  file.processes = referencedProcesses(file, await workspaceProcesses(workspaceId));
  return file;
}

export async function journeyExists(workspaceId: number, key: string): Promise<boolean> {
  const [row] = await getDb()
    .select({ id: journeys.id })
    .from(journeys)
    .where(and(eq(journeys.workspaceId, workspaceId), eq(journeys.key, key)))
    .limit(1);
  return !!row;
}

export type SaveResult = { ok: true; journeyId: number } | { ok: false; errors: JourneyFileError[] };

/**
 * Writes a journey file into the workspace in one transaction: processes named by the file are
 * created or updated, stages, touchpoints and attributes are matched by key (so their ids, and
 * everything that points at them, survive), and what the file no longer has is removed.
 * `mode: "create"` refuses an existing key; "replace" overwrites it.
 */
export async function saveJourney(workspaceId: number, input: unknown, mode: "create" | "replace"): Promise<SaveResult> {
  const checked = validateJourney(input);
  if (!checked.ok) return checked;
  const file = checked.journey;
  const db = getDb();
  try {
    return await db.transaction(async (tx) => {
      const [existing] = await tx
        .select({ id: journeys.id })
        .from(journeys)
        .where(and(eq(journeys.workspaceId, workspaceId), eq(journeys.key, file.key)))
        .limit(1);
      if (existing && mode === "create") {
        return { ok: false as const, errors: [{ path: "key", message: `a journey with key "${file.key}" exists already` }] };
      }
      const clashes = await touchpointKeyClashes(tx, workspaceId, file, existing?.id);
      if (clashes.length) return { ok: false as const, errors: clashes };
      const processIds = await upsertProcesses(tx, workspaceId, file);
      const now = new Date();
      let journeyId: number;
      if (existing) {
        await tx
          .update(journeys)
          .set({ name: file.name, nameEn: file.nameEn, persona: file.persona, description: file.description, updatedAt: now })
          .where(eq(journeys.id, existing.id));
        journeyId = existing.id;
      } else {
        const [created] = await tx
          .insert(journeys)
          .values({ workspaceId, key: file.key, name: file.name, nameEn: file.nameEn, persona: file.persona, description: file.description, updatedAt: now })
          .returning({ id: journeys.id });
        journeyId = created.id;
      }
      await writeStructure(tx, workspaceId, journeyId, file, processIds);
      return { ok: true as const, journeyId };
    });
  } catch (error) {
    if (failedWith(error, FOREIGN_KEY_FAILED)) {
      return {
        ok: false,
        errors: [{ path: "", message: "a touchpoint or attribute this change removes already has survey data; keep it or archive the survey first" }],
      };
    }
    throw error;
  }
}

async function touchpointKeyClashes(tx: Tx, workspaceId: number, file: JourneyFile, journeyId?: number): Promise<JourneyFileError[]> {
  const keys = file.stages.flatMap((s) => s.touchpoints.map((t) => t.key));
  if (!keys.length) return [];
  const rows = await tx
    .select({ key: touchpoints.key, journey: journeys.key })
    .from(touchpoints)
    .innerJoin(journeys, eq(journeys.id, touchpoints.journeyId))
    .where(
      and(
        eq(touchpoints.workspaceId, workspaceId),
        inArray(touchpoints.key, keys),
        journeyId ? ne(touchpoints.journeyId, journeyId) : undefined,
      ),
    );
  const taken = new Map(rows.map((r) => [r.key, r.journey]));
  return file.stages.flatMap((stage, si) =>
    stage.touchpoints.flatMap((tp, ti) =>
      taken.has(tp.key)
        ? [{ path: `stages[${si}].touchpoints[${ti}].key`, message: `touchpoint key "${tp.key}" is used by journey "${taken.get(tp.key)}"` }]
        : [],
    ),
  );
}

async function upsertProcesses(tx: Tx, workspaceId: number, file: JourneyFile): Promise<Map<string, number>> {
  for (const p of file.processes) {
    await tx
      .insert(processes)
      .values({ workspaceId, key: p.key, name: p.name, nameEn: p.nameEn, owner: p.owner, description: p.description })
      .onConflictDoUpdate({
        target: [processes.workspaceId, processes.key],
        // A process is shared by journeys: a file without its English name (an older file) keeps the stored one.
        set: { name: p.name, ...(p.nameEn ? { nameEn: p.nameEn } : {}), owner: p.owner, description: p.description },
      });
  }
  const rows = await tx.select({ id: processes.id, key: processes.key }).from(processes).where(eq(processes.workspaceId, workspaceId));
  return new Map(rows.map((r) => [r.key, r.id]));
}

async function writeStructure(tx: Tx, workspaceId: number, journeyId: number, file: JourneyFile, processIds: Map<string, number>) {
  const stageRows = await tx.select({ id: stages.id, key: stages.key }).from(stages).where(eq(stages.journeyId, journeyId));
  const stageIds = new Map(stageRows.map((r) => [r.key, r.id]));
  const tpRows = await tx.select({ id: touchpoints.id, key: touchpoints.key }).from(touchpoints).where(eq(touchpoints.journeyId, journeyId));
  const tpIds = new Map(tpRows.map((r) => [r.key, r.id]));
  const keptTouchpoints: number[] = [];
  let tpPosition = 0;
  for (const [position, stage] of file.stages.entries()) {
    let stageId = stageIds.get(stage.key);
    if (stageId) await tx.update(stages).set({ name: stage.name, nameEn: stage.nameEn, position }).where(eq(stages.id, stageId));
    else stageId = (await tx.insert(stages).values({ workspaceId, journeyId, key: stage.key, name: stage.name, nameEn: stage.nameEn, position }).returning())[0].id;
    stageIds.delete(stage.key);
    for (const tp of stage.touchpoints) {
      const values = {
        stageId,
        name: tp.name,
        nameEn: tp.nameEn,
        channel: tp.channel,
        interaction: tp.interaction,
        processId: tp.process ? (processIds.get(tp.process) ?? null) : null,
        side: tp.side,
        momentOfTruth: tp.momentOfTruth !== null,
        momentOfTruthReason: tp.momentOfTruth?.reason ?? "",
        modules: tp.modules,
        targetDurationMinutes: tp.targetDurationMinutes,
        position: tpPosition++,
      };
      let tpId = tpIds.get(tp.key);
      if (tpId) await tx.update(touchpoints).set(values).where(eq(touchpoints.id, tpId));
      else tpId = (await tx.insert(touchpoints).values({ workspaceId, journeyId, key: tp.key, ...values }).returning())[0].id;
      keptTouchpoints.push(tpId);
      await writeAttributes(tx, workspaceId, tpId, tp.attributes);
    }
  }
  await tx
    .delete(touchpoints)
    .where(and(eq(touchpoints.journeyId, journeyId), keptTouchpoints.length ? notInArray(touchpoints.id, keptTouchpoints) : undefined));
  const dropped = [...stageIds.values()];
  if (dropped.length) await tx.delete(stages).where(inArray(stages.id, dropped));
}

async function writeAttributes(
  tx: Tx,
  workspaceId: number,
  touchpointId: number,
  list: JourneyFile["stages"][number]["touchpoints"][number]["attributes"],
) {
  const kept: string[] = [];
  for (const [position, a] of list.entries()) {
    kept.push(a.key);
    await tx
      .insert(attributes)
      .values({ workspaceId, touchpointId, key: a.key, labelEs: a.label.es, labelEn: a.label.en, servqual: a.servqual, position })
      .onConflictDoUpdate({
        target: [attributes.touchpointId, attributes.key],
        set: { labelEs: a.label.es, labelEn: a.label.en, servqual: a.servqual, position },
      });
  }
  await tx
    .delete(attributes)
    .where(and(eq(attributes.touchpointId, touchpointId), kept.length ? notInArray(attributes.key, kept) : undefined));
}

export async function deleteJourney(workspaceId: number, key: string): Promise<{ ok: boolean; message?: string }> {
  try {
    const deleted = await getDb()
      .delete(journeys)
      .where(and(eq(journeys.workspaceId, workspaceId), eq(journeys.key, key)))
      .returning({ id: journeys.id });
    return { ok: deleted.length > 0 };
  } catch (error) {
    if (failedWith(error, FOREIGN_KEY_FAILED)) return { ok: false, message: "The journey has survey data." };
    throw error;
  }
}

/** Touchpoints of a workspace by key (surveys, deployments and the API name touchpoints by key). */
export async function findTouchpointByKey(workspaceId: number, key: string) {
  const [row] = await getDb()
    .select()
    .from(touchpoints)
    .where(and(eq(touchpoints.workspaceId, workspaceId), eq(touchpoints.key, key)))
    .limit(1);
  return row;
}
