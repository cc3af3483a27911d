// Debian's Chromium driven by playwright-core (Playwright cannot download browsers here), plus an
// axe-core check that fails on serious or critical accessibility violations.
import fs from "node:fs";
import { createRequire } from "node:module";
import { chromium, type Browser, type Page } from "playwright-core";

const require = createRequire(import.meta.url);

export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter(Boolean) as string[];
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) throw new Error("Chromium not found: install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH.");
  return found;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
    ],
  });
}

export const PHONE = { width: 390, height: 844 };

/** Runs axe-core in the page; returns the serious and critical violations. */
export async function seriousA11yViolations(page: Page) {
  // Evaluated through the DevTools protocol, not added as a <script>: the pages' Content-Security-Policy
  // refuses inline scripts without its nonce (app/web/security-headers.server.ts).
  await page.evaluate(fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8"));
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
    return axe.run(document, { resultTypes: ["violations"] });
  });
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
}

/** True when the page content fits the viewport width (no sideways scrolling of the whole page). */
export async function fitsWidth(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);
}

/** Signs in through the form, waiting for hydration so the submit is handled by the app. */
export async function signInThroughForm(page: Page, base: string, email: string, password: string) {
  await page.goto(`${base}/login`);
  await page.fill("main input[name=email]", email);
  await page.fill("main input[name=password]", password);
  await Promise.all([page.waitForURL((url) => !url.pathname.startsWith("/login")), page.click("main button[type=submit]")]);
}
