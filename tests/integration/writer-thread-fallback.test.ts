// The production server's writer thread dying (ADR 012, 013): the batch in flight is refused (the
// API then answers 500, and an Idempotency-Key makes the retry safe), nothing of it is stored, and
// from then on the recording thread writes, folds and checkpoints on its own.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "#db/client";
import { useWriterThread } from "~/data/responses.server";
import { foldRollups } from "~/data/rollup-fold.server";
import { FALLBACK_AUTOCHECKPOINT_PAGES } from "~/data/writer-thread.server";
import { freshDatabasePath, removeDatabase } from "../support/database";
import { importSample, makeUser, makeWorkspace } from "../support/fixtures";
import { makeSurveyFixture, ratingAnswers, recordFixtureAnswers, type SurveyFixture } from "../support/survey-fixtures";

const dbFile = freshDatabasePath("writer-fallback");
// A stand-in for build/server/writer-thread.js that dies on the first batch it is sent.
const dyingWorker = path.join(os.tmpdir(), `vivencia-dying-writer-${process.pid}.mjs`);
let workspaceId = 0;
let survey: SurveyFixture;

beforeAll(async () => {
  const owner = await makeUser("owner@fallback.test");
  workspaceId = (await makeWorkspace("fallback", owner.id)).id;
  await importSample(workspaceId, "telecom-installation-and-repair.json");
  survey = await makeSurveyFixture(workspaceId, { touchpointKey: "telco-technician-visit", build: { nps: true } });
  fs.writeFileSync(dyingWorker, `import { parentPort } from "node:worker_threads";\nparentPort.once("message", () => process.exit(3));\n`);
});
afterAll(() => {
  fs.rmSync(dyingWorker, { force: true });
  removeDatabase(dbFile);
});

const sqlite = () => getDb().$client;
const stored = () => sqlite().prepare("SELECT count(*) FROM responses").pluck().get() as number;
const autocheckpoint = () => sqlite().pragma("wal_autocheckpoint", { simple: true });

const record = () => recordFixtureAnswers(survey, { ...ratingAnswers(survey.json, (min) => min + 2), nps: 9 });

describe("the writer thread dying", () => {
  it("refuses the batch in flight, stores none of it, then writes and folds in this thread", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      useWriterThread(dyingWorker);
      // While the threads run, this connection leaves checkpoints to the checkpointer.
      expect(autocheckpoint()).toBe(FALLBACK_AUTOCHECKPOINT_PAGES);
      const before = stored();

      await expect(record()).rejects.toThrow(/writer thread exited with code 3/);
      expect(stored()).toBe(before);
      expect(logged).toHaveBeenCalledWith(expect.stringContaining("writing in the main thread from now on"), expect.any(Error));
      expect(autocheckpoint()).toBe(1000);

      // From now on, here: recorded, committed and folded as anywhere else that writes in-thread.
      const again = await record();
      expect(again).toEqual({ status: "recorded", id: expect.any(Number) });
      expect(stored()).toBe(before + 1);
      await foldRollups();
      const nps = sqlite().prepare("SELECT sum(n) FROM rollups WHERE kind = 'nps' AND workspace_id = ?").pluck().get(workspaceId);
      expect(nps).toBe(before + 1);
    } finally {
      logged.mockRestore();
    }
  });
});
