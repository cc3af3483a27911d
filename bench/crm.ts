// `npm run bench:crm`: generates a CSV of 100k customers and one of 1M behaviour events (skewed like
// real spend), imports both into a scratch database the way `cem crm import` does, imports the events
// again (everything unchanged), recomputes tiers and RFM, and prints rows/s and peak memory.
// Options: --customers N --events N --keep (leave the scratch files).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    customers: { type: "string", default: "100000" },
    events: { type: "string", default: "1000000" },
    keep: { type: "boolean", default: false },
  },
});
const CUSTOMERS = Number(values.customers);
const EVENTS = Number(values.events);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vivencia-bench-crm-"));
process.env.DATABASE_PATH = path.join(dir, "bench.db");

// Imported after DATABASE_PATH is set (the client opens the file on first use).
const { getDb } = await import("#db/client");
const { workspaces } = await import("#db/schema/index");
const { importCsvFile } = await import("~/data/crm-import.server");
const { recomputeTiers } = await import("~/data/segmentation.server");

/** Mulberry32: a small seeded generator, so every run imports the same files. */
function seeded(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function writeLines(file: string, header: string, count: number, line: (i: number) => string) {
  const out = fs.createWriteStream(file);
  out.write(header + "\n");
  let chunk = "";
  for (let i = 0; i < count; i++) {
    chunk += line(i) + "\n";
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await new Promise<void>((r) => out.once("drain", () => r()));
      chunk = "";
    }
  }
  out.write(chunk);
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
}

const DAY = 86_400_000;
const loadAtStart = os.loadavg().map((l) => l.toFixed(1)).join(" ");
const now = Date.now();
const random = seeded(20240301);
const customersFile = path.join(dir, "customers.csv");
const eventsFile = path.join(dir, "events.csv");

const generated = performance.now();
await writeLines(customersFile, "external_id,name,email,created_at,language", CUSTOMERS, (i) => {
  const since = new Date(now - Math.floor(random() * 3000) * DAY).toISOString().slice(0, 10);
  return `C-${i},Cliente ${i},c${i}@example.com,${since},${random() < 0.8 ? "es" : "en"}`;
});
const TYPES: [string, number][] = [
  ["purchase", 0.6],
  ["visit", 0.8],
  ["ticket_opened", 0.85],
  ["ticket_closed", 0.9],
  ["delivery", 0.95],
  ["payment", 0.99],
  ["cancellation", 1],
];
const CHANNELS = ["store", "web", "app", "phone"];
await writeLines(eventsFile, "external_id,customer_external_id,type,occurred_at,amount,currency,channel,touchpoint_key", EVENTS, (i) => {
  // Skewed towards low customer numbers: a few customers carry much of the activity, as in real books.
  const customer = Math.floor(CUSTOMERS * Math.pow(random(), 1.8));
  const u = random();
  const type = TYPES.find(([, p]) => u < p)![0];
  const at = new Date(now - Math.floor(random() * 730 * DAY)).toISOString();
  let amount = "";
  if (type === "purchase") amount = (random() < 0.02 ? -1 : 1) * Math.round((5 + -Math.log(1 - random()) * 60) * 100) / 100 + "";
  const id = random() < 0.7 ? `E-${i}` : ""; // 30% without an id: deduplicated by content hash
  const channel = CHANNELS[Math.floor(random() * CHANNELS.length)];
  return `${id},C-${customer},${type},${at},${amount},${amount ? "EUR" : ""},${channel},${type === "delivery" ? "delivery-door" : ""}`;
});
const generateSeconds = (performance.now() - generated) / 1000;

const [ws] = await getDb().insert(workspaces).values({ slug: "bench", name: "Bench" }).returning();
const peakMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);

type Row = { step: string; rows: number; seconds: number; cpu: number; note: string; peak: number };
// CPU seconds of this process (user + system): on a shared machine wall time also counts other work.
const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const rows: Row[] = [];

async function timedImport(step: string, file: string, kind: "customers" | "events") {
  const started = performance.now();
  const cpu = cpuSeconds();
  const report = await importCsvFile(file, { workspaceId: ws.id, kind });
  const seconds = (performance.now() - started) / 1000;
  if (!report.imported) throw new Error(`${step}: not imported: ${JSON.stringify(report.badRows.slice(0, 3))}`);
  const note = `added ${report.added}, updated ${report.updated}, unchanged ${report.unchanged}, rejected ${report.rejected}; validate ${(report.validateMs / 1000).toFixed(1)} s + write ${(report.writeMs / 1000).toFixed(1)} s`;
  rows.push({ step, rows: report.rows, seconds, cpu: cpuSeconds() - cpu, note, peak: peakMb() });
  process.stderr.write(`${step}: ${report.rows} rows in ${seconds.toFixed(1)} s (${Math.round(report.rows / seconds)} rows/s) — ${note}\n`);
}

process.stderr.write(
  `Generated ${CUSTOMERS} customers (${mb(fs.statSync(customersFile).size)} MB) and ${EVENTS} events (${mb(fs.statSync(eventsFile).size)} MB) in ${generateSeconds.toFixed(1)} s\n`,
);
await timedImport("import customers", customersFile, "customers");
await timedImport("import events", eventsFile, "events");
{
  const started = performance.now();
  const cpu = cpuSeconds();
  const result = await recomputeTiers(ws.id);
  const seconds = (performance.now() - started) / 1000;
  const tiers = result.tiers.map((t) => `${t.tier} ${t.customers} (${(t.revenueShare * 100).toFixed(0)}% rev.)`).join(", ");
  rows.push({ step: "recompute tiers + RFM", rows: result.customers, seconds, cpu: cpuSeconds() - cpu, note: tiers, peak: peakMb() });
  process.stderr.write(`recompute: ${result.customers} customers in ${seconds.toFixed(1)} s — ${tiers}\n`);
}
await timedImport("re-import events (idempotent)", eventsFile, "events");
{
  const started = performance.now();
  const cpu = cpuSeconds();
  const result = await recomputeTiers(ws.id);
  const seconds = (performance.now() - started) / 1000;
  rows.push({ step: "recompute again", rows: result.customers, seconds, cpu: cpuSeconds() - cpu, note: `${result.changedTiers} changed tier, ${result.updated} rows rewritten`, peak: peakMb() });
}

const dbSize = fs.statSync(process.env.DATABASE_PATH!).size;
const load = os.loadavg().map((l) => l.toFixed(1)).join(" ");
console.log(
  `\nNode ${process.version}, ${os.cpus()[0]?.model ?? "cpu"} × ${os.cpus().length}, ${mb(os.totalmem())} MB RAM; load average at the end ${load} (at the start ${loadAtStart}); database ${mb(dbSize)} MB\n`,
);
console.log("| step | rows | wall s | rows/s (wall) | CPU s | rows/s (CPU) | peak RSS so far (MB) | notes |");
console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
for (const r of rows) {
  const per = (s: number) => Math.round(r.rows / s).toLocaleString("en");
  console.log(`| ${r.step} | ${r.rows.toLocaleString("en")} | ${r.seconds.toFixed(1)} | ${per(r.seconds)} | ${r.cpu.toFixed(1)} | ${per(r.cpu)} | ${r.peak} | ${r.note} |`);
}
console.log(`\nPeak memory (max RSS of the process): ${peakMb()} MB; heap now ${mb(process.memoryUsage().heapUsed)} MB.`);

getDb().$client.close();
if (!values.keep) fs.rmSync(dir, { recursive: true, force: true });
else console.log(`Scratch files kept in ${dir}`);
