// Journeys as code against a real database: export → import → export is byte-identical, invalid
// files import nothing, existing keys need an explicit replace, and the CLI does the same.
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabasePath, removeDatabase } from "../support/database";
import { makeUser, makeWorkspace, sampleText } from "../support/fixtures";
import { databaseEnv } from "../support/server";
import { getDb } from "#db/client";
import { journeys, touchpoints } from "#db/schema/index";
import { parseJourneyFile, serializeJourneyFile } from "~/cem/journey";
import { loadJourney, saveJourney } from "~/data/journeys.server";

const run = promisify(execFile);
const dbFile = freshDatabasePath("journey-files");
const SAMPLES = fs.readdirSync("journeys").filter((f) => f.endsWith(".json") && f !== "journey.schema.json");

afterAll(() => removeDatabase(dbFile));

async function exportText(workspaceId: number, key: string) {
  const journey = await loadJourney(workspaceId, key);
  if (!journey) throw new Error(`no journey ${key}`);
  return serializeJourneyFile(journey);
}

async function journeyCount(workspaceId: number) {
  const [row] = await getDb().select({ n: count() }).from(journeys).where(eq(journeys.workspaceId, workspaceId)).limit(1);
  return row!.n;
}

describe("round trip through the database", () => {
  let first: { id: number };
  let second: { id: number };
  beforeAll(async () => {
    const owner = await makeUser("owner@files.test");
    first = await makeWorkspace("files-one", owner.id);
    second = await makeWorkspace("files-two", owner.id);
  });

  it.each(SAMPLES)("%s: export → import → export is byte-identical", async (file) => {
    const parsed = parseJourneyFile(sampleText(file));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect((await saveJourney(first.id, parsed.journey, "create")).ok).toBe(true);
    const exported = await exportText(first.id, parsed.journey.key);
    expect((await saveJourney(second.id, JSON.parse(exported), "create")).ok).toBe(true);
    expect(await exportText(second.id, parsed.journey.key)).toBe(exported);
    expect((await saveJourney(first.id, JSON.parse(exported), "replace")).ok).toBe(true);
    expect(await exportText(first.id, parsed.journey.key)).toBe(exported);
  });

  it("keeps touchpoint ids when a journey is replaced, so survey data stays attached", async () => {
    const key = "bank-branch-welcome";
    const before = (await getDb().select().from(touchpoints).where(eq(touchpoints.key, key))).find((t) => t.workspaceId === first.id)!;
    const file = (await loadJourney(first.id, "retail-bank-account-opening"))!;
    file.stages.reverse();
    const reversed = file.stages.map((st) => st.key);
    expect((await saveJourney(first.id, file, "replace")).ok).toBe(true);
    const after = (await getDb().select().from(touchpoints).where(eq(touchpoints.key, key))).find((t) => t.workspaceId === first.id)!;
    expect(after.id).toBe(before.id);
    expect((await loadJourney(first.id, "retail-bank-account-opening"))!.stages.map((st) => st.key)).toEqual(reversed);
  });

  it("refuses an existing key unless replacing, and a touchpoint key another journey uses", async () => {
    const file = (await loadJourney(first.id, "retail-bank-account-opening"))!;
    const again = await saveJourney(first.id, file, "create");
    expect(again).toEqual({ ok: false, errors: [{ path: "key", message: expect.stringContaining("exists already") }] });
    const clash = { ...file, key: "another-journey" };
    const result = await saveJourney(first.id, clash, "create");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0].path).toMatch(/^stages\[\d+\]\.touchpoints\[\d+\]\.key$/);
    expect(await journeyCount(first.id)).toBe(SAMPLES.length);
  });

  it("an invalid file reports every error with its path and imports nothing", async () => {
    const before = await journeyCount(second.id);
    const bad = JSON.parse(sampleText(SAMPLES[0]));
    bad.key = "Not A Slug";
    bad.stages[0].touchpoints[0].channel = "pigeon";
    bad.stages[1].touchpoints[0].attributes[0].label = { es: "solo español" };
    const result = await saveJourney(second.id, bad, "create");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.path)).toEqual(
      expect.arrayContaining(["key", "stages[0].touchpoints[0].channel", "stages[1].touchpoints[0].attributes[0].label.en"]),
    );
    expect(await journeyCount(second.id)).toBe(before);
  });
});

describe("npm run cem -- journeys", () => {
  const tsx = path.resolve("node_modules/.bin/tsx");
  // The test's database, a SQLite file or a PostgreSQL URL, as the server would get it.
  const cliEnv: NodeJS.ProcessEnv = { ...process.env, ...databaseEnv(dbFile) };
  for (const [name, value] of Object.entries(cliEnv)) if (value === undefined) delete cliEnv[name];
  const cem = (...args: string[]) =>
    run(tsx, ["cli/cem.ts", ...args], { env: cliEnv }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );
  const sample = path.resolve("journeys", "telecom-installation-and-repair.json");

  it("imports, refuses to overwrite without --replace, and exports the canonical file to stdout", async () => {
    const owner = await makeUser("cli@files.test");
    await makeWorkspace("cli-ws", owner.id);
    const imported = await cem("journeys", "import", sample, "--workspace", "cli-ws");
    expect(imported.code).toBe(0);
    const exported = await cem("journeys", "export", "telecom-installation-and-repair", "--workspace", "cli-ws");
    expect(exported.code).toBe(0);
    const parsed = parseJourneyFile(exported.stdout);
    expect(parsed.ok && serializeJourneyFile(parsed.journey)).toBe(exported.stdout);
    const again = await cem("journeys", "import", sample, "--workspace", "cli-ws");
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("--replace");
    const replaced = await cem("journeys", "import", sample, "--workspace", "cli-ws", "--replace");
    expect(replaced.code).toBe(0);
    const unknown = await cem("journeys", "export", "nope", "--workspace", "cli-ws");
    expect(unknown.code).toBe(2);
  }, 60_000);

  it("prints every error of an invalid file and exits non-zero", async () => {
    fs.mkdirSync(path.resolve("tests/.tmp"), { recursive: true });
    const bad = path.resolve("tests/.tmp", `bad-${process.pid}.json`);
    fs.writeFileSync(bad, JSON.stringify({ format: "vivencia.journey/1", key: "x y", name: "", stages: [{ key: "s", name: "S", touchpoints: [{ key: "t" }] }] }));
    const result = await cem("journeys", "import", bad, "--workspace", "cli-ws");
    fs.rmSync(bad);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("nothing imported");
    expect(result.stderr).toContain("key:");
    expect(result.stderr).toContain("stages[0].touchpoints[0].channel");
  }, 30_000);
});
