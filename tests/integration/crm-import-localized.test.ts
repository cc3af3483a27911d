// The CSV import page says why an upload failed, why an import cannot start and why each row was
// refused in the interface language: the same job read on a Spanish and on an English session.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabasePath, removeDatabase } from "../support/database";
import { PASSWORD, makeUser, makeWorkspace } from "../support/fixtures";
import { HttpClient } from "../support/http-client";
import { startServer, type RunningServer } from "../support/server";

const dbFile = freshDatabasePath("crm-import-localized");
const PAGE = "/w/importes/crm/import";
let server: RunningServer;
let client: HttpClient;

beforeAll(async () => {
  const owner = await makeUser("olga@importes.test");
  await makeWorkspace("importes", owner.id);
  server = await startServer(dbFile);
  client = new HttpClient(server.url);
  await client.signIn("olga@importes.test", PASSWORD);
}, 120_000);

afterAll(async () => {
  await server?.stop();
  removeDatabase(dbFile);
});

async function inLang(lang: "es" | "en") {
  await client.post("/lang", { lang, redirectTo: "/workspaces" });
  return client;
}

/** Uploads a file (or, without text, a form with no file) and answers the job's public id. */
async function upload(kind: string, name: string, text: string | null): Promise<string> {
  const form = new FormData();
  form.set("kind", kind);
  if (text !== null) form.set("file", new Blob([text], { type: "text/csv" }), name);
  const res = await client.post(PAGE, form);
  expect(res.status).toBe(302);
  return new URL(res.headers.get("location")!, server.url).searchParams.get("job")!;
}

/** The page as a person reads it: without the scripts, whose data also carries the action's messages. */
const shown = async (res: Response) => (await res.text()).replace(/<script[\s\S]*?<\/script>/g, "");

const jobPage = (job: string) => `${PAGE}?job=${encodeURIComponent(job)}`;

/** The import page of a job: the mapping form posts back to it. */
/** The job's page once the job runner has written its report. */
async function reportOf(job: string, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const html = await shown(await client.get(jobPage(job)));
    if (html.includes('data-testid="import-outcome"')) return html;
    if (Date.now() > deadline) throw new Error("timed out waiting for the import report");
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("CSV import refusals", () => {
  it("an upload without a file fails with a reason in Spanish, and the same job reads in English", async () => {
    await inLang("es");
    const job = await upload("customers", "", null);
    expect(await shown(await client.get(jobPage(job)))).toContain("Elija un archivo CSV para subir.");
    await inLang("en");
    expect(await shown(await client.get(jobPage(job)))).toContain("Choose a CSV file to upload.");
  });

  it("an empty file is refused in the interface language", async () => {
    await inLang("es");
    const job = await upload("customers", "vacio.csv", "\n\n");
    expect(await shown(await client.get(jobPage(job)))).toContain("El archivo está vacío o no tiene fila de cabeceras.");
    await inLang("en");
    expect(await shown(await client.get(jobPage(job)))).toContain("The file is empty or has no header line.");
  });

  it("bad rows are listed with their line and reasons in Spanish, and in English on an English session", async () => {
    await inLang("es");
    const job = await upload(
      "events",
      "eventos.csv",
      [
        "cliente,tipo,fecha,importe", // 1
        "C-1,compra,2024-01-05,10", // 2
        ",compra,2024-01-06,10", // 3 no customer
        "C-2,compra,2024-02-30,abc", // 4 impossible date, amount not a number
        "C-3,compra,2024-01-07,12,50", // 5 a decimal comma splits the row
        "C-4,compra,2999-01-01,3", // 6 in the future
      ].join("\n") + "\n",
    );
    const start = await client.post(jobPage(job), { intent: "start", job, "map.customer_external_id": "cliente", "map.type": "tipo", "map.occurred_at": "fecha", "map.amount": "importe" });
    expect(start.status).toBe(302);
    const es = await reportOf(job);
    expect(es).toContain("customer_external_id es obligatorio.");
    expect(es).toContain("occurred_at: «2024-02-30» no es una fecha ISO 8601");
    expect(es).toContain("amount: «abc» no es un número (p. ej. 1234.50 o 1234,50).");
    expect(es).toContain("Se esperaban 4 campos, como en la cabecera, y hay 5");
    expect(es).toContain("occurred_at está en el futuro");
    await inLang("en");
    const en = await shown(await client.get(jobPage(job)));
    expect(en).toContain("customer_external_id is required.");
    expect(en).toContain("occurred_at: &quot;2024-02-30&quot; is not an ISO 8601 date");
    expect(en).toContain("Expected 4 fields as in the header, found 5");
    expect(en).toContain("occurred_at is in the future");
  });

  it("a mapping to a column the file lacks is refused in the interface language", async () => {
    await inLang("es");
    const job = await upload("customers", "clientes.csv", "nombre,correo\nAna,ana@example.com\n");
    expect((await client.post(jobPage(job), { intent: "start", job, "map.name": "nombre", "map.email": "correo" })).status).toBe(400);
    // The mapping form requires the external id; mapped to a column the file lacks, the start is refused.
    const unknown = await client.post(jobPage(job), { intent: "start", job, "map.external_id": "codigo", "map.name": "nombre" });
    expect(unknown.status).toBe(400);
    expect(await shown(unknown)).toContain("«codigo» no es una columna de este archivo.");
    await inLang("en");
    const unknownEn = await client.post(jobPage(job), { intent: "start", job, "map.external_id": "codigo", "map.name": "nombre" });
    expect(unknownEn.status).toBe(400);
    expect(await shown(unknownEn)).toContain("&quot;codigo&quot; is not a column of this file.");
  });

  it("a file imported already is not imported twice, said in the interface language", async () => {
    await inLang("es");
    const job = await upload("customers", "clientes.csv", "codigo,nombre\nK-1,Ana\n");
    expect((await client.post(jobPage(job), { intent: "start", job, "map.external_id": "codigo", "map.name": "nombre" })).status).toBe(302);
    expect(await reportOf(job)).toContain("Importado clientes.csv.");
    const again = await client.post(jobPage(job), { intent: "start", job, "map.external_id": "codigo", "map.name": "nombre" });
    expect(again.status).toBe(409);
    expect(await shown(again)).toContain("Este archivo ya se importó; súbalo de nuevo para volver a importarlo.");
    await inLang("en");
    const againEn = await client.post(jobPage(job), { intent: "start", job, "map.external_id": "codigo", "map.name": "nombre" });
    expect(againEn.status).toBe(409);
    expect(await shown(againEn)).toContain("This file was imported already; upload it again to re-import it.");
  });
});
