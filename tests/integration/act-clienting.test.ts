// The Clienting index end to end: an admin defines departments and links them to processes, opens a
// pulse, people answer it anonymously through its public link, and the index — overall, by department,
// by respondent group and by process — matches a hand count with Wilson intervals.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#db/client";
import { clientingPulses, clientingResponses, processes } from "#db/schema/index";
import { clientingIndexByProcess, clientingReport, listDepartments } from "~/data/clienting.server";
import { freshDatabasePath, removeDatabase } from "../support/database";
import { PASSWORD, importSample, makeUser, makeWorkspace } from "../support/fixtures";
import { HttpClient } from "../support/http-client";
import { startServer, type RunningServer } from "../support/server";

const dbFile = freshDatabasePath("act-clienting");
let server: RunningServer;
let wsA: number;
let token: string;

beforeAll(async () => {
  const alice = await makeUser("alice@a.test");
  const bob = await makeUser("bob@b.test");
  wsA = (await makeWorkspace("brand-a", alice.id)).id;
  await makeWorkspace("brand-b", bob.id);
  await importSample(wsA);
  server = await startServer(dbFile);
});

afterAll(async () => {
  await server?.stop();
  removeDatabase(dbFile);
});

async function as(email: string) {
  const client = new HttpClient(server.url);
  await client.signIn(email, PASSWORD);
  return client;
}

/** Wilson 95 % interval worked out here (z = 1.959964). */
function wilsonByHand(yes: number, n: number) {
  const z = 1.959963984540054;
  const p = yes / n;
  const d = 1 + (z * z) / n;
  const c = (p + (z * z) / (2 * n)) / d;
  const h = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
  return { p, lo: yes === 0 ? 0 : c - h, hi: yes === n ? 1 : c + h };
}

type Answer = { respondentGroup: string; department?: string; roleLevel?: string; knows: number; applies: number; supported: number; comment?: string };

// Atención al cliente: 6 answers, 4 know, apply and are supported (4–5 on all three).
// Operaciones: 5 answers, 1 does. Partners: 3 suppliers, 2 of them yes.
const ANSWERS: Answer[] = [
  ...[5, 5, 4, 4].map((s): Answer => ({ respondentGroup: "employee", department: "Atención al cliente", roleLevel: "frontline", knows: s, applies: s, supported: 5 })),
  { respondentGroup: "employee", department: "Atención al cliente", roleLevel: "supervisor", knows: 5, applies: 3, supported: 5 },
  { respondentGroup: "employee", department: "Atención al cliente", roleLevel: "manager", knows: 2, applies: 4, supported: 4 },
  { respondentGroup: "employee", department: "Operaciones", roleLevel: "frontline", knows: 5, applies: 5, supported: 5 },
  ...[1, 2, 3, 3].map((s): Answer => ({ respondentGroup: "employee", department: "Operaciones", roleLevel: "frontline", knows: 4, applies: 4, supported: s })),
  { respondentGroup: "supplier", knows: 5, applies: 5, supported: 4 },
  { respondentGroup: "supplier", knows: 4, applies: 4, supported: 4, comment: "Más información de los pedidos" },
  { respondentGroup: "supplier", knows: 3, applies: 4, supported: 4 },
];

function submit(answer: object, submission?: string) {
  const form = new FormData();
  form.set("data", JSON.stringify(answer));
  if (submission) form.set("submission", submission);
  return fetch(`${server.url}/p/${token}`, { method: "POST", body: form });
}

describe("the Clienting index", () => {
  it("an admin defines departments, links them to processes, and opens a pulse", async () => {
    const alice = await as("alice@a.test");
    for (const name of ["Atención al cliente", "Operaciones"]) {
      expect((await alice.post("/w/brand-a/settings", { intent: "department-create", name })).status).toBe(200);
    }
    const dup = await alice.post("/w/brand-a/settings", { intent: "department-create", name: "operaciones" });
    expect(dup.status).toBe(400);
    expect(await dup.text()).toContain("Ya existe un departamento llamado «operaciones».");
    const deps = await listDepartments(wsA);
    const procs = await getDb().select().from(processes).where(eq(processes.workspaceId, wsA));
    const support = procs.find((p) => p.key === "support")!;
    const onboarding = procs.find((p) => p.key === "onboarding")!;
    const link = (departmentId: number, processIds: number[]) => {
      const form = new FormData();
      form.set("intent", "department-processes");
      form.set("id", String(departmentId));
      for (const p of processIds) form.append("processIds", String(p));
      return alice.post("/w/brand-a/settings", form);
    };
    const atencion = deps.find((d) => d.name === "Atención al cliente")!;
    const operaciones = deps.find((d) => d.name === "Operaciones")!;
    expect((await link(atencion.id, [support.id, onboarding.id])).status).toBe(200);
    expect((await link(operaciones.id, [onboarding.id])).status).toBe(200);
    // Another workspace's process or department is refused.
    expect((await link(atencion.id, [999_999])).status).toBe(404);

    const bad = await alice.post("/w/brand-a/clienting", { intent: "create", title: "", opensOn: "2025-13-01", closesOn: "" });
    expect(bad.status).toBe(400);
    const today = new Date().toISOString().slice(0, 10);
    expect((await alice.post("/w/brand-a/clienting", { intent: "create", title: "Pulso de Clienting 2025", opensOn: today, closesOn: "" })).status).toBe(200);
    const [pulse] = await getDb().select().from(clientingPulses).where(eq(clientingPulses.workspaceId, wsA)).limit(1);
    token = pulse.publicToken;
    const definition = JSON.parse(pulse.definition);
    expect(JSON.stringify(definition)).toContain("Operaciones");
  });

  it("people answer anonymously; bad answers get a 400 with a reason, a retried submit counts once", async () => {
    const page = await fetch(`${server.url}/p/${token}`);
    expect(page.status).toBe(200);
    expect(page.headers.get("cache-control")).toBe("no-store");
    expect(await page.text()).toContain("Pulso de Clienting 2025");

    for (const [i, answer] of ANSWERS.entries()) {
      expect((await submit(answer, `submission-${String(i).padStart(10, "0")}`)).status).toBe(200);
    }
    // The same filling-in sent twice (a flaky connection) is one answer.
    expect((await submit(ANSWERS[0], "submission-0000000000")).status).toBe(200);

    const missing = await submit({ respondentGroup: "employee", knows: 5 });
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain("Answer the three statements");
    const outsider = await submit({ respondentGroup: "employee", department: "Finanzas", knows: 5, applies: 5, supported: 5 });
    expect(outsider.status).toBe(400);
    expect(await outsider.text()).toContain("Choose your department from the list");
    expect((await submit({ knows: 5, applies: 5, supported: 5 })).status).toBe(400);
    expect((await fetch(`${server.url}/p/${token}`, { method: "POST", body: new URLSearchParams({ data: "{not json" }) })).status).toBe(400);

    const rows = await getDb().select().from(clientingResponses);
    expect(rows).toHaveLength(ANSWERS.length);
    // Nothing but the day is kept of the time.
    expect(rows.every((r) => /^\d{4}-\d{2}-\d{2}$/.test(r.completedOn))).toBe(true);
    expect(rows.find((r) => r.respondentGroup === "supplier" && r.department === null)).toBeTruthy();
  });

  it("computes the index overall, by department and by group as a hand count does", async () => {
    const byDepartment = await clientingReport(wsA, { by: "department" });
    const overallYes = 4 + 1 + 2;
    expect(byDepartment.overall.n).toBe(14);
    const hand = wilsonByHand(overallYes, 14);
    expect(byDepartment.overall.index!.p).toBeCloseTo(hand.p, 12);
    expect(byDepartment.overall.index!.lo).toBeCloseTo(hand.lo, 10);
    expect(byDepartment.overall.index!.hi).toBeCloseTo(hand.hi, 10);
    const atencion = byDepartment.groups.find((g) => g.key === "Atención al cliente")!;
    expect(atencion.n).toBe(6);
    expect(atencion.index!.yes).toBe(4);
    expect(atencion.knows!.yes).toBe(5);
    expect(atencion.applies!.yes).toBe(5);
    const operaciones = byDepartment.groups.find((g) => g.key === "Operaciones")!;
    expect(operaciones.index!.yes).toBe(1);
    // The suppliers have no department: with 3 answers they fall under the anonymity floor.
    const notStated = byDepartment.groups.find((g) => g.key === null)!;
    expect(notStated).toMatchObject({ n: 3, suppressed: true, index: null });

    const byGroup = await clientingReport(wsA, { by: "group" });
    expect(byGroup.groups.find((g) => g.key === "employee")!.index!.yes).toBe(5);
  });

  it("gives each process the index of the departments that run it", async () => {
    const procs = await getDb().select().from(processes).where(eq(processes.workspaceId, wsA));
    const byProcess = await clientingIndexByProcess(wsA);
    const support = byProcess.get(procs.find((p) => p.key === "support")!.id)!;
    const onboarding = byProcess.get(procs.find((p) => p.key === "onboarding")!.id)!;
    expect(support.n).toBe(6);
    expect(support.index).toBeCloseTo(4 / 6, 12);
    expect(support.lo).toBeCloseTo(wilsonByHand(4, 6).lo, 10);
    expect(onboarding.n).toBe(11);
    expect(onboarding.index).toBeCloseTo(5 / 11, 12);
    expect(byProcess.has(procs.find((p) => p.key === "kyc")!.id)).toBe(false);
  });

  it("shows it beside the gap in the insights process table", async () => {
    const alice = await as("alice@a.test");
    const html = await (await alice.get("/w/brand-a/insights?by=process")).text();
    expect(html).toContain("Índice Clienting");
    expect((await (await alice.get("/w/brand-a/insights?by=touchpoint")).text())).not.toContain("Índice Clienting");
  });

  it("shows it on the Clienting page, only to the workspace's members", async () => {
    const alice = await as("alice@a.test");
    const html = await (await alice.get("/w/brand-a/clienting?by=department")).text();
    expect(html).toContain("Atención al cliente");
    expect(html).toContain("67 %"); // 4 of 6
    expect(html).toContain("50 %"); // 7 of 14 overall
    expect(html).toContain("Menos de 5 respuestas");
    const bob = await as("bob@b.test");
    expect((await bob.get("/w/brand-a/clienting")).status).toBe(404);
    const bobsPage = await (await bob.get("/w/brand-b/clienting")).text();
    expect(bobsPage).not.toContain("Atención al cliente");
  });

  it("a closed pulse takes no more answers, an unknown link is a 404", async () => {
    const [pulse] = await getDb().select().from(clientingPulses).limit(1);
    const alice = await as("alice@a.test");
    expect((await alice.post("/w/brand-a/clienting", { intent: "toggle", id: String(pulse.id), active: "0" })).status).toBe(200);
    expect((await fetch(`${server.url}/p/${token}`)).status).toBe(410);
    expect((await submit(ANSWERS[0], "submission-late-000001")).status).toBe(410);
    expect((await fetch(`${server.url}/p/AAAAAAAAAAAAAAAAAAAAAAAA`)).status).toBe(404);
  });
});
