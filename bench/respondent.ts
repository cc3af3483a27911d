// `npm run bench:respondent [-- --runs 3 --no-build]`: an invitation's survey page opened in Chromium
// on a throttled phone (DevTools' "Slow 3G" profile: 2 s round trip, 50 kB/s each way; the CPU slowed
// 4×), the server-drawn form against the SurveyJS page (?renderer=surveyjs) in the same run, each in
// a fresh browser context (cold cache). Per path: bytes transferred by type (HTML, JS, CSS, on the
// wire, compressed as served), the time to the first question visible, and the time until the page
// is fully enhanced (the form's script has run; SurveyJS has drawn its survey). Medians of --runs.
// The figures go to docs/benchmarks.md, section "Respondent page".
import fs from "node:fs";
import path from "node:path";
import type { Browser, CDPSession } from "playwright-core";
import { ensureBuild, fmt, intOption, machine, markdownTable, prose, TMP, writeSection } from "./bench-support";

const runs = intOption("runs", 3);
const dbFile = path.join(TMP, `respondent-${process.pid}.db`);
fs.mkdirSync(TMP, { recursive: true });
// Set before the data layer loads (it reads the engine and the file once).
process.env.DATABASE_PATH = dbFile;
delete process.env.DATABASE_URL;

// Chrome DevTools' "Slow 3G" preset (front_end/core/sdk/NetworkManager.ts): 400 ms × 5 latency,
// 500 kbit/s × 0.8 each way.
const SLOW_3G = { offline: false, latency: 2000, downloadThroughput: (500 * 1000 * 0.8) / 8, uploadThroughput: (500 * 1000 * 0.8) / 8 };
const CPU_SLOWDOWN = 4;

type Path = { name: string; query: string; visible: string; interactive: string };
const PATHS: Path[] = [
  // The form is answerable as soon as it is visible; "interactive" is its enhancement script done.
  { name: "Server-drawn form", query: "", visible: "fieldset.q-rating .option", interactive: "html[data-enhanced='true']" },
  { name: "SurveyJS (?renderer=surveyjs)", query: "?renderer=surveyjs", visible: ".sd-rating__item", interactive: ".sd-rating__item" },
];

type Sample = { html: number; js: number; css: number; other: number; visibleMs: number; interactiveMs: number; requests: number };

/** Watches the page for the selectors, from before its first byte: the time of the frame that first shows each. */
function watcher(visible: string, interactive: string) {
  return `(() => {
    const marks = (window.__bench = { visible: null, interactive: null });
    const seen = (selector) => { const el = document.querySelector(selector); return el && el.getClientRects().length > 0; };
    const check = () => {
      for (const [key, selector] of [["visible", ${JSON.stringify(visible)}], ["interactive", ${JSON.stringify(interactive)}]]) {
        if (marks[key] === null && seen(selector)) { marks[key] = -1; requestAnimationFrame(() => { marks[key] = performance.now(); }); }
      }
    };
    new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true });
  })();`;
}

async function measure(browser: Browser, url: string, p: Path): Promise<Sample> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: "es-ES" });
  await context.addInitScript(watcher(p.visible, p.interactive));
  const page = await context.newPage();
  page.setDefaultTimeout(180_000);
  const cdp: CDPSession = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  await cdp.send("Network.emulateNetworkConditions", SLOW_3G);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU_SLOWDOWN });
  const types = new Map<string, string>();
  const bytes = { html: 0, js: 0, css: 0, other: 0 };
  let requests = 0;
  cdp.on("Network.responseReceived", (e: { requestId: string; type: string }) => types.set(e.requestId, e.type));
  cdp.on("Network.loadingFinished", (e: { requestId: string; encodedDataLength: number }) => {
    requests++;
    const type = types.get(e.requestId);
    const key = type === "Document" ? "html" : type === "Script" ? "js" : type === "Stylesheet" ? "css" : "other";
    bytes[key] += e.encodedDataLength;
  });
  await page.goto(url, { waitUntil: "commit" });
  await page.waitForFunction(() => {
    const marks = (window as unknown as { __bench: { visible: number | null; interactive: number | null } }).__bench;
    return marks.visible !== null && marks.visible >= 0 && marks.interactive !== null && marks.interactive >= 0;
  }, undefined, { polling: 100 });
  await page.waitForLoadState("networkidle");
  const marks = await page.evaluate(() => (window as unknown as { __bench: { visible: number; interactive: number } }).__bench);
  // The first contentful paint bounds "visible" from below: a question is not seen before anything is.
  const fcp = await page.evaluate(() => performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? 0);
  await context.close();
  return { ...bytes, requests, visibleMs: Math.max(marks.visible, fcp), interactiveMs: Math.max(marks.interactive, marks.visible, fcp) };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const kb = (b: number) => `${fmt(b / 1024, 1)} KB`;
const sec = (t: number) => `${fmt(t / 1000, 1)} s`;

async function main() {
  ensureBuild();
  const { importSample, makeUser, makeWorkspace } = await import("../tests/support/fixtures");
  const { makeCustomer, makeInvitation, makeSurveyFixture } = await import("../tests/support/survey-fixtures");
  const { startServer } = await import("../tests/support/server");
  const { launchBrowser } = await import("../tests/support/browser");

  const owner = await makeUser("respondent@bench.test");
  const ws = await makeWorkspace("respondent-bench", owner.id);
  await importSample(ws.id, "telecom-installation-and-repair.json");
  const fixture = await makeSurveyFixture(ws.id, { touchpointKey: "telco-technician-visit", build: { nps: true, csat: true, comment: true } });
  const customer = await makeCustomer(ws.id, "BENCH-1", "premium", "Bench");
  const server = await startServer(dbFile, { RATE_LIMIT_RESPOND_TOKEN: "100000/60", RATE_LIMIT_RESPOND_ADDRESS: "100000/60" });
  const browser = await launchBrowser();
  console.log(`Respondent page: an invitation on ${server.url}, Slow 3G and CPU ÷${CPU_SLOWDOWN}, ${runs} run(s) per path`);

  const results: { path: Path; samples: Sample[] }[] = [];
  try {
    for (const p of PATHS) {
      const samples: Sample[] = [];
      for (let i = 0; i < runs; i++) {
        // A personal link of its own each time: every run opens a fresh invitation, as a customer would.
        const invitation = await makeInvitation(fixture, customer);
        const sample = await measure(browser, `${server.url}/s/${invitation.token}${p.query}`, p);
        console.log(`  ${p.name} #${i + 1}: HTML ${kb(sample.html)}, JS ${kb(sample.js)}, CSS ${kb(sample.css)}; visible ${sec(sample.visibleMs)}, interactive ${sec(sample.interactiveMs)}`);
        samples.push(sample);
      }
      results.push({ path: p, samples });
    }
  } finally {
    await browser.close();
    await server.stop();
    for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(`${dbFile}${suffix}`, { force: true });
  }

  const rows = results.map(({ path: p, samples }) => {
    const m = (pick: (s: Sample) => number) => median(samples.map(pick));
    return [p.name, kb(m((s) => s.html)), kb(m((s) => s.js)), kb(m((s) => s.css)), kb(m((s) => s.html + s.js + s.css + s.other)), String(m((s) => s.requests)), sec(m((s) => s.visibleMs)), sec(m((s) => s.interactiveMs))];
  });
  const table = markdownTable(["Path", "HTML", "JS", "CSS", "All", "Requests", "First question visible", "Interactive"], ["l", "r", "r", "r", "r", "r", "r", "r"], rows);
  console.log(`\n${table}`);
  const m = machine();
  const generated = `${prose(`
\`npm run bench:respondent\` (bench/respondent.ts): a personal invitation's survey page (gap pair over
the touchpoint's four attributes, CSAT, NPS and a comment) opened in Debian's Chromium at 390 px, DevTools' Slow 3G
profile (2 s round trip, 50 kB/s) and the CPU slowed ${CPU_SLOWDOWN}×, each run in a fresh context (cold cache);
medians of ${runs} runs. Bytes are as transferred (compressed, headers included). "First question
visible" is the first frame showing a rating scale; "interactive" is the form's enhancement script
done, or SurveyJS's survey drawn (the SurveyJS page shows no question before that). Without
JavaScript the server-drawn form is answerable as soon as it is visible.`)}

${table}

${m.cpus} × ${m.cpuModel}, Node ${m.node}, load ${fmt(m.load, 1)}; measured ${new Date().toISOString().slice(0, 10)}.`;
  console.log(`Written to ${writeSection("Respondent page", "respondent", generated)}`);
}

await main();
process.exit(0);
