// The demo: three brands, one per sample journey programme, with three people who hold each role.
// Idempotent: a database that already has the demo is left as it is.
import fs from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { getDb } from "./client";
import { memberships, users, workspaces } from "./schema/index";
import { hashPassword } from "../app/auth/password.server";
import { parseJourneyFile } from "../app/cem/journey";
import { saveJourney } from "../app/data/journeys.server";
import { savePlatform } from "../app/data/platform.server";
import { DEMO_PLATFORMS } from "./demo/platform";
import { seedExperience, type ExperienceStory } from "./demo/experience";
import { caseCounts, seedCaseRules, seedCaseWork, seedClienting, seedInnovation, seedInvitations } from "./demo/act";
import { seedDemoMail } from "./demo/mail";
import { seedDemoAlerts } from "./demo/alerts";

export const DEMO_PASSWORD = "vivencia-demo";
export const DEMO_USERS = [
  { email: "ana@demo.vivencia.test", name: "Ana Ruiz", role: "admin" },
  { email: "diego@demo.vivencia.test", name: "Diego Martín", role: "designer" },
  { email: "marta@demo.vivencia.test", name: "Marta Gil", role: "manager" },
] as const;
/** Who follows the demo's alert rules (db/demo/alerts.ts). */
const DEMO_PEOPLE = { admin: DEMO_USERS[0].email, manager: DEMO_USERS[2].email };

// Each brand has a story in its data: one process disappoints Premium customers since a recent change.
export const DEMO_WORKSPACES: { slug: string; name: string; journey: string; story: ExperienceStory; change: string }[] = [
  {
    slug: "banco-aurora",
    name: "Banco Aurora",
    journey: "retail-bank-account-opening.json",
    story: { weakProcess: "card-delivery", sinceDaysAgo: 90, customers: 1500, responses: 3000, seed: 11 },
    change: "Nueva empresa de mensajería para las tarjetas",
  },
  {
    slug: "fibra-norte",
    name: "Fibra Norte",
    journey: "telecom-installation-and-repair.json",
    story: { weakProcess: "field-service", sinceDaysAgo: 90, customers: 800, responses: 1200, seed: 22 },
    change: "Técnicos subcontratados para las visitas",
  },
  {
    slug: "mercado-sol",
    name: "Mercado Sol",
    journey: "ecommerce-order-to-delivery.json",
    story: { weakProcess: "last-mile", sinceDaysAgo: 60, customers: 1000, responses: 1500, seed: 33 },
    change: "Entregas de última milla con un operador nuevo",
  },
];

export async function seedDemo(): Promise<{ created: boolean }> {
  const db = getDb();
  const [existing] = await db.select().from(workspaces).where(eq(workspaces.slug, DEMO_WORKSPACES[0].slug)).limit(1);
  if (existing) {
    // A demo seeded before e-mail existed gets its mail settings now (kept if already there).
    // Likewise its alert rules, target and digest (kept if the workspace has rules).
    for (const w of await db.select({ id: workspaces.id, name: workspaces.name }).from(workspaces)) {
      const demo = DEMO_WORKSPACES.find((d) => d.name === w.name);
      if (!demo) continue;
      await seedDemoMail(w.id, w.name);
      await seedDemoAlerts(w.id, demo.story.weakProcess, DEMO_PEOPLE);
    }
    return { created: false };
  }
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await db.transaction(async (tx) => {
    const people = [];
    for (const u of DEMO_USERS) {
      await tx.insert(users).values({ email: u.email, name: u.name, passwordHash }).onConflictDoNothing();
      const [user] = await tx.select({ id: users.id }).from(users).where(eq(users.email, u.email)).limit(1);
      people.push({ ...u, id: user.id });
    }
    for (const w of DEMO_WORKSPACES) {
      // Spanish brands: dates in Madrid's time, amounts in euros.
      const [ws] = await tx.insert(workspaces).values({ slug: w.slug, name: w.name, timeZone: "Europe/Madrid", currency: "EUR" }).returning();
      await tx.insert(memberships).values(people.map((p) => ({ workspaceId: ws.id, userId: p.id, role: p.role })));
    }
  });
  for (const w of DEMO_WORKSPACES) {
    const [ws] = await db.select().from(workspaces).where(eq(workspaces.slug, w.slug)).limit(1);
    const parsed = parseJourneyFile(fs.readFileSync(path.resolve("journeys", w.journey), "utf8"));
    if (!parsed.ok) throw new Error(`Sample ${w.journey} is invalid: ${parsed.errors[0].path} ${parsed.errors[0].message}`);
    const saved = await saveJourney(ws.id, parsed.journey, "create");
    if (!saved.ok) throw new Error(`Sample ${w.journey} did not import: ${saved.errors[0].message}`);
    const [designer] = await db.select().from(users).where(eq(users.email, DEMO_USERS[1].email)).limit(1);
    await savePlatform(ws.id, DEMO_PLATFORMS[w.slug], designer.id);
    await seedCaseRules(ws.id, designer.id);
    const experienceStarted = Date.now();
    await seedExperience(ws.id, designer.id, w.story);
    const actStarted = Date.now();
    const workers = caseWorkers(await db.select({ id: users.id, email: users.email }).from(users));
    await seedCaseWork(ws.id, workers, w.story.seed);
    await seedInnovation(ws.id, designer.id, w.story, w.change);
    await seedClienting(ws.id, designer.id, w.story.seed);
    await seedInvitations(ws.id, w.story.seed);
    if (process.env.DEMO_VERBOSE) {
      const ms = { experience: actStarted - experienceStarted, act: Date.now() - actStarted };
      console.log(w.slug, { ...(await caseCounts(ws.id)), ms });
    }
    await seedDemoMail(ws.id, w.name);
    await seedDemoAlerts(ws.id, w.story.weakProcess, DEMO_PEOPLE);
  }
  return { created: true };
}

/** Who works the demo's cases: the demo people whose role may (admin and manager). */
function caseWorkers(all: { id: number; email: string }[]): number[] {
  const emails = new Set<string>(DEMO_USERS.filter((u) => u.role !== "designer").map((u) => u.email));
  return all.filter((u) => emails.has(u.email)).map((u) => u.id);
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname);
if (isMain) {
  const started = Date.now();
  void seedDemo().then(({ created }) => {
    const port = process.env.PORT ?? "3000";
    console.log(created ? `Demo seeded in ${Date.now() - started} ms.` : "Demo data already present; left as it is.");
    console.log(`\nVivencia will serve on http://localhost:${port}`);
    console.log(`Sign in with any of (password "${DEMO_PASSWORD}"):`);
    for (const u of DEMO_USERS) console.log(`  ${u.email.padEnd(28)} ${u.role}`);
    console.log(`Workspaces: ${DEMO_WORKSPACES.map((w) => `/w/${w.slug}`).join("  ")}`);
    console.log(`Invitation e-mail goes to the local catcher: read it at /w/${DEMO_WORKSPACES[0].slug}/mailbox\n`);
  });
}
