// `npm run bench:soak [-- --seconds 60 --respondents 200 --think-ms 10000 --warmup 5]`: the built server on a
// fresh SQLite file, with 200 respondents answering through the public page for a minute — each
// opens /s/:token, takes a while to answer (uniformly 0 to twice --think-ms: 10 s on average, quick
// for a person; shorter is harsher), then posts the answers as the page does (the route's action,
// intent=submit, with a submission id of its own) and starts again — while an insights reader opens
// the insights page and calls the insights API once a second. Then: every acknowledged answer stored exactly
// once (acknowledged against stored, by submission id), and the reader's p50/p99 (target under
// 250 ms). The figures go to docs/benchmarks.md, section "Soak".
//
// Respondents come from addresses of their own (X-Forwarded-For under TRUST_PROXY=1), and the
// per-link limit is raised for the run: 200 people on one link in a minute is the load asked for,
// not an abuse to refuse.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { duration, ensureBuild, fmt, intOption, machine, markdownTable, TMP, writeSection } from "./bench-support";

const seconds = intOption("seconds", 60);
const respondents = intOption("respondents", 200);
const thinkMs = intOption("think-ms", 10_000);
// Latencies count from here on: the first seconds of a cold server, with every respondent arriving
// at once, are a start-up, not the steady state a soak is about (nothing is lost or duplicated in
// them either: the counts cover the whole run).
const warmupS = intOption("warmup", 5);
const TARGET_MS = 250;

const dbFile = path.join(TMP, `soak-${process.pid}.db`);
fs.mkdirSync(TMP, { recursive: true });
// Set before the data layer loads (it reads the engine and the file once).
process.env.DATABASE_PATH = dbFile;
delete process.env.DATABASE_URL;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN;
};
const ms = (x: number) => `${fmt(x, x < 10 ? 1 : 0)} ms`;
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

async function main() {
  ensureBuild();
  const { rows, closeDb } = await import("#db/client");
  const { sql } = await import("drizzle-orm");
  const { createApiToken } = await import("~/data/api-tokens.server");
  const { importSample, makeUser, makeWorkspace, PASSWORD } = await import("../tests/support/fixtures");
  const { makeSurveyFixture, ratingAnswers } = await import("../tests/support/survey-fixtures");
  const { startServer } = await import("../tests/support/server");
  const { HttpClient } = await import("../tests/support/http-client");

  const owner = await makeUser("soak@bench.test");
  const ws = await makeWorkspace("soak", owner.id);
  await importSample(ws.id);
  const fixture = await makeSurveyFixture(ws.id, { touchpointKey: "bank-branch-welcome" });
  const token = await createApiToken(ws.id, "soak reader", owner.id);

  const server = await startServer(dbFile, { TRUST_PROXY: "1", RATE_LIMIT_RESPOND_TOKEN: "10000000/60", RATE_LIMIT_RESPOND_ADDRESS: "100000/60" });
  const reader = new HttpClient(server.url);
  await reader.signIn("soak@bench.test", PASSWORD);
  const pageUrl = `${server.url}/s/${fixture.publicToken}`;
  console.log(`Soak: ${respondents} respondents on ${pageUrl} for ${duration(seconds)} (think time ~${thinkMs} ms), a reader once a second`);

  const acknowledged: string[] = [];
  const pageMs: number[] = [];
  const postMs: number[] = [];
  const failures = new Map<string, number>();
  const fail = (what: string) => failures.set(what, (failures.get(what) ?? 0) + 1);
  const deadline = Date.now() + seconds * 1000;
  const measureFrom = Date.now() + warmupS * 1000;
  const timed = (into: number[], started: number) => {
    if (Date.now() >= measureFrom) into.push(performance.now() - started);
  };

  const respondent = async (i: number) => {
    const address = `10.${(i >> 8) & 255}.${i & 255}.${1 + (i % 250)}`;
    const headers = { "X-Forwarded-For": address, "Accept-Language": i % 2 ? "en" : "es" };
    // People arrive over the first second, not all in the same millisecond.
    await sleep(Math.random() * 1000);
    while (Date.now() < deadline) {
      let started = performance.now();
      const page = await fetch(pageUrl, { headers }).catch(() => null);
      if (!page || page.status !== 200) {
        fail(`GET page ${page?.status ?? "connection"}`);
        await page?.body?.cancel();
        await sleep(200);
        continue;
      }
      await page.text();
      timed(pageMs, started);
      await sleep(Math.random() * 2 * thinkMs);
      // What the page's script posts (app/components/respondent/OpenSurvey.tsx) to the route's action.
      const submission = randomBytes(16).toString("base64url");
      const form = new URLSearchParams({
        intent: "submit",
        data: JSON.stringify(ratingAnswers(fixture.json, (min, max) => min + Math.floor(Math.random() * (max - min + 1)))),
        version: String(fixture.versionId),
        lang: i % 2 ? "en" : "es",
        startedAt: String(Date.now() - 30_000),
        submission,
      });
      started = performance.now();
      const res = await fetch(`${pageUrl}.data`, {
        method: "POST",
        headers: { ...headers, Origin: server.url, "Sec-Fetch-Site": "same-origin", "Content-Type": "application/x-www-form-urlencoded" },
        body: form,
      }).catch(() => null);
      const text = res ? await res.text().catch(() => "") : "";
      if (res?.status === 200 && text.includes('"recorded"')) {
        acknowledged.push(`link:${submission}`);
        timed(postMs, started);
      } else fail(`POST answers ${res?.status ?? "connection"}`);
    }
  };

  const readerPage: number[] = [];
  const readerApi: number[] = [];
  const read = async () => {
    while (Date.now() < deadline) {
      const tick = Date.now();
      let started = performance.now();
      const page = await reader.get(`/w/soak/insights`);
      await page.text();
      if (page.status === 200) timed(readerPage, started);
      else fail(`insights page ${page.status}`);
      started = performance.now();
      const api = await fetch(`${server.url}/api/v1/insights/gaps?by=touchpoint`, { headers: { Authorization: `Bearer ${token}` } });
      await api.text();
      if (api.status === 200) timed(readerApi, started);
      else fail(`insights API ${api.status}`);
      await sleep(Math.max(0, 1000 - (Date.now() - tick)));
    }
  };

  const progress = setInterval(() => console.log(`  … ${fmt(acknowledged.length)} answers acknowledged`), 10_000);
  const began = Date.now();
  await Promise.all([...Array.from({ length: respondents }, (_, i) => respondent(i)), read()]);
  clearInterval(progress);
  const elapsed = (Date.now() - began) / 1000;
  await server.stop();

  // Acknowledged against stored, by submission id (the response's idempotency key).
  const stored = await rows<{ key: string; n: number }>(sql`SELECT idempotency_key AS key, count(*) AS n FROM responses WHERE idempotency_key LIKE 'link:%' GROUP BY idempotency_key`);
  const storedKeys = new Map(stored.map((r) => [r.key, Number(r.n)]));
  const lost = acknowledged.filter((key) => !storedKeys.has(key)).length;
  const duplicated = [...storedKeys.values()].filter((n) => n > 1).length;
  const unacknowledgedStored = storedKeys.size - new Set(acknowledged.filter((k) => storedKeys.has(k))).size;
  await closeDb();
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(dbFile + suffix, { force: true });

  const m = machine();
  const readerAll = [...readerPage, ...readerApi];
  const verdict = lost === 0 && duplicated === 0 && percentile(readerAll, 99) < TARGET_MS ? "met" : "NOT met";
  const table = markdownTable(
    ["measure", "value"],
    ["l", "r"],
    [
      ["answers acknowledged (200 \"recorded\")", fmt(acknowledged.length)],
      ["answers stored", fmt(storedKeys.size)],
      ["lost (acknowledged, not stored)", fmt(lost)],
      ["duplicated (stored twice)", fmt(duplicated)],
      ["stored without an acknowledgement (the answer did not arrive)", fmt(unacknowledgedStored)],
      ["answers per second", fmt(acknowledged.length / elapsed, 1)],
      ["respondent page GET p50 / p99", `${ms(percentile(pageMs, 50))} / ${ms(percentile(pageMs, 99))}`],
      ["answers POST p50 / p99", `${ms(percentile(postMs, 50))} / ${ms(percentile(postMs, 99))}`],
      ["reader: insights page p50 / p99", `${ms(percentile(readerPage, 50))} / ${ms(percentile(readerPage, 99))}`],
      ["reader: insights API p50 / p99", `${ms(percentile(readerApi, 50))} / ${ms(percentile(readerApi, 99))}`],
      ["failed requests", failures.size ? [...failures].map(([what, n]) => `${what}: ${n}`).join("; ") : "0"],
    ],
  );
  const busy = m.load > m.cpus ? ` The machine was busy with other work (load ${m.load.toFixed(1)} on ${m.cpus} CPUs, the load generator included): the latencies are an upper bound.` : "";
  const generated = [
    `\`npm run bench:soak\` (${duration(seconds)}, ${respondents} respondents, ${fmt(thinkMs / 1000, 1)} s to answer on average; ${new Date().toISOString().slice(0, 10)};`,
    `${m.cpus} × ${m.cpuModel}, Node ${m.node}, load ${m.load.toFixed(1)} at the start; SQLite, one server process, the load generator on the same machine).`,
    `Each respondent opens the public page, takes a while to answer and posts its answers as the page does, then starts`,
    `again; an insights reader opens the insights page and calls the insights API once a second. Latencies after the`,
    `first ${warmupS} s (a cold server with every respondent arriving at once); counts over the whole run. Target: nothing`,
    `lost or duplicated, reader p99 under ${TARGET_MS} ms — **${verdict}**.${busy}`,
    "",
    table,
  ].join("\n");
  console.log(`\n${table}\n`);
  if (process.argv.includes("--no-write")) return;
  console.log(`Written to ${writeSection("Soak", "soak", generated)}`);
  if (lost > 0 || duplicated > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
