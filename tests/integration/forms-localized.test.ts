// Forms answer a failed submit in the interface language, from the form's own schema, and keep what
// was typed: members, workspaces, API tokens, the journeys list, Clienting pulses, the stage rename form,
// sign-up and sign-in, targets, the deploy page, the settings' webhooks, departments and embedding,
// alert rules, and the e-mail, SMS and deployment e-mail pages (whose secrets never come back in a reply).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDeployment } from "~/data/deployments.server";
import { findTouchpointByKey } from "~/data/journeys.server";
import { listMembers } from "~/data/members.server";
import { createSurveyFromTemplate, editableVersion, saveAndPublish } from "~/data/surveys.server";
import { listTargets } from "~/data/targets.server";
import { listRules } from "~/data/alerts.server";
import { listDepartments } from "~/data/clienting.server";
import { listEndpoints } from "~/data/webhooks.server";
import { workspaceEmbedOrigins } from "~/data/workspaces.server";
import { listPulses } from "~/data/clienting.server";
import { loadJourney } from "~/data/journeys.server";
import { freshDatabasePath, removeDatabase } from "../support/database";
import { PASSWORD, addMember, importSample, makeUser, makeWorkspace } from "../support/fixtures";
import { HttpClient } from "../support/http-client";
import { startServer, type RunningServer } from "../support/server";

const dbFile = freshDatabasePath("forms-localized");
let server: RunningServer;
let workspaceId: number;
let journeyKey: string;
let surveyId: number;
let deploymentId: number;

beforeAll(async () => {
  const ana = await makeUser("ana@forms.test");
  const leo = await makeUser("leo@forms.test");
  workspaceId = (await makeWorkspace("formas", ana.id)).id;
  await addMember("formas", leo.id, "designer");
  journeyKey = (await importSample(workspaceId)).key;
  const tp = (await findTouchpointByKey(workspaceId, "bank-branch-welcome"))!;
  const created = await createSurveyFromTemplate(workspaceId, ana.id, { touchpointId: tp.id, template: "gap_pair", blocks: { nps: true } });
  if (!created?.ok) throw new Error("survey not created");
  surveyId = created.surveyId;
  const published = await saveAndPublish(workspaceId, surveyId, ana.id, (await editableVersion(workspaceId, surveyId))!.definition);
  if (!published?.ok) throw new Error("survey not published");
  const deployment = await createDeployment(workspaceId, surveyId, "Mostrador");
  if (!deployment?.ok) throw new Error("deployment not created");
  deploymentId = deployment.deployment.id;
  server = await startServer(dbFile);
}, 120_000);

afterAll(async () => {
  await server?.stop();
  removeDatabase(dbFile);
});

// One session per person: signing in afresh for every test would run into the sign-in rate limit.
const sessions = new Map<string, HttpClient>();

async function as(email: string, lang: "es" | "en") {
  let client = sessions.get(email);
  if (!client) {
    client = new HttpClient(server.url);
    await client.signIn(email, PASSWORD);
    sessions.set(email, client);
  }
  await client.post("/lang", { lang, redirectTo: "/workspaces" });
  return client;
}

describe("members", () => {
  it("an invitation with a bad address and role is refused in Spanish, keeping the address typed", async () => {
    const ana = await as("ana@forms.test", "es");
    const res = await ana.post("/w/formas/members", { intent: "invite", email: "ana arroba empresa", role: "owner" });
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain("Escriba una dirección de correo válida (p. ej. ana@empresa.com).");
    expect(page).toContain("Elija una de las opciones.");
    expect(page).toContain('value="ana arroba empresa"');
    expect(page).toContain('aria-invalid="true"');
  });

  it("the same refusal is worded in English on an English session, and a valid invitation goes through", async () => {
    const ana = await as("ana@forms.test", "en");
    const res = await ana.post("/w/formas/members", { intent: "invite", email: "", role: "designer" });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("This field is required.");
    const ok = await ana.post("/w/formas/members", { intent: "invite", email: "  Nueva@Forms.TEST ", role: "manager" });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain("nueva@forms.test");
  });

  it("a role change to an unknown role is refused in Spanish and changes nothing", async () => {
    const ana = await as("ana@forms.test", "es");
    const leo = (await listMembers(workspaceId)).find((m) => m.email === "leo@forms.test")!;
    const res = await ana.post("/w/formas/members", { intent: "role", userId: String(leo.userId), role: "superuser" });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Elija una de las opciones.");
    expect((await listMembers(workspaceId)).find((m) => m.email === "leo@forms.test")?.role).toBe("designer");
    expect((await ana.post("/w/formas/members", { intent: "role", userId: String(leo.userId), role: "manager" })).status).toBe(200);
    expect((await listMembers(workspaceId)).find((m) => m.email === "leo@forms.test")?.role).toBe("manager");
  });
});

describe("other converted forms", () => {
  it("a workspace with a bad address is refused in Spanish, keeping the name typed", async () => {
    const ana = await as("ana@forms.test", "es");
    const res = await ana.post("/workspaces", { name: "Banco Nuevo", slug: "Banco Nuevo" });
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain("Use minúsculas, cifras y guiones simples");
    expect(page).toContain('value="Banco Nuevo"');
  });

  it("settings refuse a minimum n below 2, a nameless department, empty keywords and a bad SLA in Spanish", async () => {
    const ana = await as("ana@forms.test", "es");
    const minN = await ana.post("/w/formas/settings", { intent: "minN", minN: "1" });
    expect(minN.status).toBe(400);
    expect(await minN.text()).toContain("Debe ser 2 o más.");
    const department = await ana.post("/w/formas/settings", { intent: "department-create", name: "" });
    expect(department.status).toBe(400);
    expect(await department.text()).toContain("Este campo es obligatorio.");
    const keywords = await ana.post("/w/formas/settings", { intent: "rules", detractor: "on", gapThreshold: "-2", keywords: "on", words: " , " });
    expect(keywords.status).toBe(400);
    expect(await keywords.text()).toContain("Escriba al menos una palabra clave, o desactive la regla de palabras clave.");
    const sla = await ana.post("/w/formas/settings", { intent: "sla", premium: "12", regular: "-4", generic: "72", businessHours: "on", start: "18:00", end: "09:00" });
    expect(sla.status).toBe(400);
    const slaPage = await sla.text();
    expect(slaPage).toContain("Debe ser mayor que 0.");
    expect(slaPage).toContain("Elija al menos un día laborable.");
    expect(slaPage).toContain("La jornada debe terminar después de empezar.");
    expect(slaPage).toContain('value="-4"');
    const saved = await ana.post("/w/formas/settings", { intent: "sla", premium: "12", regular: "36", generic: "72", businessHours: "on", days: "2", start: "08:30", end: "17:00", utcOffset: "1" });
    expect(saved.status).toBe(200);
    const { loadActSettings } = await import("~/data/case-rules.server");
    expect((await loadActSettings(workspaceId)).sla).toMatchObject({ hoursByTier: { premium: 12, regular: 36 }, businessHours: { days: [2], start: "08:30", end: "17:00", utcOffsetMinutes: 60 } });
  });

  it("an API token without a name is refused in Spanish", async () => {
    const ana = await as("ana@forms.test", "es");
    const res = await ana.post("/w/formas/tokens", { intent: "create", name: "   " });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Este campo es obligatorio.");
  });

  it("a new journey with a bad key keeps the typed fields and answers in Spanish", async () => {
    const ana = await as("ana@forms.test", "es");
    const res = await ana.post("/w/formas/journeys", { intent: "create", key: "Viaje Nuevo", name: "Viaje de prueba", persona: "Cliente joven" });
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain("Use minúsculas, cifras y guiones simples");
    expect(page).toContain('value="Viaje Nuevo"');
    expect(page).toContain('value="Cliente joven"');
    const noFile = await ana.post("/w/formas/journeys", { intent: "import" });
    expect(noFile.status).toBe(400);
    expect(await noFile.text()).toContain("Elija un archivo de viaje (.json).");
  });

  it("a pulse closing before it opens is refused in Spanish, and nothing is created", async () => {
    const ana = await as("ana@forms.test", "es");
    const res = await ana.post("/w/formas/clienting", { intent: "create", title: "Pulso de prueba", opensOn: "2026-05-10", closesOn: "2026-05-01" });
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain("El pulso debe cerrar el mismo día en que abre o después.");
    expect(page).toContain('value="Pulso de prueba"');
    expect(await listPulses(workspaceId)).toHaveLength(0);
  });

  it("renaming a stage to an empty name is refused in Spanish; a name is saved", async () => {
    const ana = await as("ana@forms.test", "es");
    const stage = (await loadJourney(workspaceId, journeyKey))!.stages[0];
    const url = `/w/formas/journeys/${journeyKey}`;
    const res = await ana.post(url, { intent: "renameStage", stage: stage.key, name: " ", nameEn: "Typed in English" });
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain("Este campo es obligatorio.");
    expect(page).toContain('value="Typed in English"');
    expect((await ana.post(url, { intent: "renameStage", stage: stage.key, name: "Descubrir", nameEn: "Discover" })).status).toBe(200);
    expect((await loadJourney(workspaceId, journeyKey))!.stages[0]).toMatchObject({ name: "Descubrir", nameEn: "Discover" });
  });
});

describe("sign-up and sign-in", () => {
  it("a sign-up with a bad address and a short password is refused in Spanish, keeping the name and address but not the password", async () => {
    const visitor = new HttpClient(server.url);
    const res = await visitor.post("/signup", { name: "Eva Núñez", email: "eva arroba empresa", password: "corta-pw" });
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain("Escriba una dirección de correo válida (p. ej. ana@empresa.com).");
    expect(page).toContain("Escriba al menos 10 caracteres.");
    expect(page).toContain('value="Eva Núñez"');
    expect(page).toContain('value="eva arroba empresa"');
    expect(page).not.toContain("corta-pw");
    const taken = await visitor.post("/signup", { name: "Ana", email: "ANA@forms.test", password: "a-long-password" });
    expect(taken.status).toBe(400);
    const takenPage = await taken.text();
    expect(takenPage).toContain("Ya existe una cuenta con ese correo.");
    expect(takenPage).toContain('value="ANA@forms.test"');
  });

  it("a wrong password is refused in English on an English request, keeping the address", async () => {
    const res = await fetch(`${server.url}/login`, { method: "POST", body: new URLSearchParams({ email: "nadie@forms.test", password: "not-the-password" }), headers: { "Accept-Language": "en" } });
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain("The email or password is not right.");
    expect(page).toContain('value="nadie@forms.test"');
    expect(page).not.toContain("not-the-password");
  });
});

describe("targets", () => {
  it("a target out of range with a bad day is refused in Spanish, keeping what was typed; an unknown process too", async () => {
    const ana = await as("ana@forms.test", "es");
    const res = await ana.post("/w/formas/insights/targets", { intent: "create", for: "touchpoint:bank-branch-welcome", metric: "nps", value: "150", fromDay: "2026-02-30" });
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain("Un objetivo de NPS está entre −100 y 100.");
    expect(page).toContain("Escriba una fecha (aaaa-mm-dd).");
    expect(page).toContain('value="150"');
    expect(page).toContain('value="2026-02-30"');
    expect(page).toMatch(/<option [^>]*value="touchpoint:bank-branch-welcome"[^>]*selected|<option selected[^>]*value="touchpoint:bank-branch-welcome"/);
    const unknown = await ana.post("/w/formas/insights/targets", { intent: "create", for: "process:no-such-process", metric: "gap", value: "0" });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain("Este espacio de trabajo no tiene un proceso con esa clave.");
    expect(await listTargets(workspaceId)).toEqual([]);
  });
});

describe("the deploy page", () => {
  it("a rule, a deployment and an invitation list are refused in Spanish, keeping what was typed", async () => {
    const ana = await as("ana@forms.test", "es");
    const url = `/w/formas/surveys/${surveyId}/deploy`;
    const rule = { intent: "addRule", deploymentId: String(deploymentId), eventType: "Gran Compra", touchpointKey: "", delayMinutes: "-5", samplingPercent: "50", quietPeriodDays: "14", expiryHours: "72", capMax: "10", capPeriodDays: "", active: "on" };
    const badRule = await ana.post(url, rule);
    expect(badRule.status).toBe(400);
    const rulePage = await badRule.text();
    expect(rulePage).toContain("Tipo de evento: solo minúsculas, cifras y _");
    expect(rulePage).toContain("Debe ser 0 o más.");
    expect(rulePage).toContain("Un límite necesita un número de invitaciones y un periodo en días");
    expect(rulePage).toContain('value="Gran Compra"');
    expect(rulePage).toContain('value="-5"');
    const unknownTp = await ana.post(url, { ...rule, eventType: "purchase", delayMinutes: "30", capMax: "", touchpointKey: "en-ninguna-parte" });
    expect(unknownTp.status).toBe(400);
    const unknownPage = await unknownTp.text();
    expect(unknownPage).toContain("Ningún punto de contacto tiene esa clave");
    expect(unknownPage).toContain('value="en-ninguna-parte"');

    const nameless = await ana.post(url, { intent: "createDeployment", name: "   " });
    expect(nameless.status).toBe(400);
    expect(await nameless.text()).toContain("Este campo es obligatorio.");

    const invite = await ana.post(url, { intent: "invite", deploymentId: String(deploymentId), customers: "C-1 C-2", expiresInHours: "0" });
    expect(invite.status).toBe(400);
    const invitePage = await invite.text();
    expect(invitePage).toContain("Debe ser 1 o más.");
    expect(invitePage).toContain("C-1 C-2</textarea>");
    const noCustomers = await ana.post(url, { intent: "invite", deploymentId: String(deploymentId), customers: " ", expiresInHours: "24" });
    expect(noCustomers.status).toBe(400);
    expect(await noCustomers.text()).toContain("Este campo es obligatorio.");
  });
});

describe("the settings' webhooks, departments and embedding", () => {
  const url = "/w/formas/settings";

  it("a new endpoint over plain http with no events is refused in Spanish, keeping what was typed; so is a private address", async () => {
    const ana = await as("ana@forms.test", "es");
    const res = await ana.post(url, { intent: "endpoint-create", url: "http://crm.example/hooks", description: "CRM de ventas" });
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain("Los endpoints deben usar https://.");
    expect(page).toContain("Elija al menos un evento que enviar.");
    expect(page).toContain('value="http://crm.example/hooks"');
    expect(page).toContain('value="CRM de ventas"');
    // The form passes it; the server refuses it (the server runs as in production).
    const form = new FormData();
    for (const [k, v] of [["intent", "endpoint-create"], ["url", "https://10.0.0.7/hooks"], ["description", "Interno"], ["events", "case.opened"]]) form.append(k, v);
    const internal = await ana.post(url, form);
    expect(internal.status).toBe(400);
    const internalPage = await internal.text();
    expect(internalPage).toContain("El endpoint debe ser accesible desde Internet, no una dirección privada o local.");
    expect(internalPage).toContain('value="https://10.0.0.7/hooks"');
    expect(internalPage).toMatch(/<input [^>]*value="case.opened"[^>]*checked|<input [^>]*checked[^>]*value="case.opened"/);
    expect(await listEndpoints(workspaceId)).toEqual([]);
  });

  it("the same endpoint form speaks English on an English session", async () => {
    const ana = await as("ana@forms.test", "en");
    const res = await ana.post(url, { intent: "endpoint-create", url: "crm dot example", description: "Sales CRM", events: "case.opened" });
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain("full URL, e.g. https://example.com/hooks/vivencia.");
    expect(page).toContain('value="crm dot example"');
    expect(page).toContain('value="Sales CRM"');
    expect(await listEndpoints(workspaceId)).toEqual([]);
  });

  it("a department that already exists is refused in Spanish and in English, keeping the name typed", async () => {
    const es = await as("ana@forms.test", "es");
    expect((await es.post(url, { intent: "department-create", name: "Sucursales" })).status).toBe(200);
    const again = await es.post(url, { intent: "department-create", name: "SUCURSALES" });
    expect(again.status).toBe(400);
    const page = await again.text();
    expect(page).toContain("Ya existe un departamento llamado «SUCURSALES».");
    expect(page).toContain('value="SUCURSALES"');
    const en = await as("ana@forms.test", "en");
    const englishPage = await (await en.post(url, { intent: "department-create", name: "sucursales" })).text();
    expect(englishPage).toContain("There is already a department called “sucursales”.");
    expect(englishPage).toContain('value="sucursales"');
    expect((await listDepartments(workspaceId)).map((d) => d.name)).toEqual(["Sucursales"]);
  });

  it("an embedding origin that is not https is refused in Spanish and in English, keeping the list typed", async () => {
    const es = await as("ana@forms.test", "es");
    const typed = "https://tienda.example\nhttp://socio.example";
    const res = await es.post(url, { intent: "embed-origins", embedOrigins: typed });
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain("«http://socio.example» debe empezar por https://");
    expect(page).toContain(`${typed}</textarea>`);
    expect(page).toContain('id="embed-origins"');
    const en = await as("ana@forms.test", "en");
    const english = await (await en.post(url, { intent: "embed-origins", embedOrigins: "https://*.tienda.example" })).text();
    expect(english).toContain("“https://*.tienda.example” uses a wildcard (*); list each site on its own.");
    expect(english).toContain("https://*.tienda.example</textarea>");
    expect(await workspaceEmbedOrigins(workspaceId)).toBe("");
    // A saved list comes back as stored.
    expect((await en.post(url, { intent: "embed-origins", embedOrigins: "https://Tienda.example/" })).status).toBe(200);
    expect(await (await en.get(url)).text()).toContain("https://tienda.example</textarea>");
  });
});

describe("alert rules", () => {
  it("a rule with an unknown place is refused in Spanish, keeping the name typed", async () => {
    const ana = await as("ana@forms.test", "es");
    const res = await ana.post("/w/formas/alerts", { intent: "create", name: "Caída en sucursales", kind: "drop", for: "planeta:marte" });
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain("Elija un viaje, proceso o punto de contacto de la lista, o todo el espacio de trabajo.");
    expect(page).toContain('value="Caída en sucursales"');
    expect(page).toMatch(/<option [^>]*value="drop"[^>]*selected|<option selected[^>]*value="drop"/);
    expect(await listRules(workspaceId, 0)).toEqual([]);
  });

  it("a nameless rule is refused in English, keeping the place chosen; a valid one is saved", async () => {
    const ana = await as("ana@forms.test", "en");
    const rule = { intent: "create", name: "  ", kind: "target", for: "touchpoint:bank-branch-welcome", subscribe: "on" };
    const res = await ana.post("/w/formas/alerts", rule);
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain("Enter a name of 1 to 120 characters.");
    expect(page).toMatch(/<option [^>]*value="touchpoint:bank-branch-welcome"[^>]*selected|<option selected[^>]*value="touchpoint:bank-branch-welcome"/);
    expect(page).toContain('aria-invalid="true"');
    const saved = await ana.post("/w/formas/alerts", { ...rule, name: "Welcome below target" });
    expect(saved.status).toBe(302);
    expect((await listRules(workspaceId, 0)).map((r) => [r.name, r.scope, r.scopeKey])).toEqual([["Welcome below target", "touchpoint", "bank-branch-welcome"]]);
  });
});

describe("the e-mail settings page", () => {
  const settings = {
    intent: "save",
    host: "smtp mal",
    port: "99999",
    tlsMode: "starttls",
    username: "envios",
    password: "Typed-S3cret-pw",
    passwordEnv: "",
    fromName: "Banco Sol",
    fromAddress: "no-es-correo",
    linkOrigin: "https://encuestas.formas.test",
    ratePerMinute: "60",
    timeZone: "Marte/Olympus",
  };

  it("refuses a bad server in Spanish, keeping what was typed but never the password", async () => {
    const ana = await as("ana@forms.test", "es");
    const res = await ana.post("/w/formas/mail", settings);
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain("Escriba un nombre de servidor o una dirección IP (p. ej. smtp.empresa.com).");
    expect(page).toContain("Escriba un puerto entre 1 y 65535.");
    expect(page).toContain("Escriba una dirección de correo válida (p. ej. ana@empresa.com).");
    expect(page).toContain("Escriba una zona horaria IANA (p. ej. Europe/Madrid).");
    for (const typed of ["smtp mal", "99999", "envios", "Banco Sol", "no-es-correo", "Marte/Olympus"]) expect(page).toContain(`value="${typed}"`);
    expect(page).not.toContain("Typed-S3cret-pw");
  });

  it("words the same refusal in English; a valid save answers without the password too", async () => {
    const ana = await as("ana@forms.test", "en");
    const res = await ana.post("/w/formas/mail", { ...settings, host: "smtp.formas.test", port: "0", timeZone: "Europe/Madrid", linkOrigin: "encuestas" });
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain("Enter a port from 1 to 65535.");
    expect(page).toContain("Enter the address people open the app at (e.g. https://surveys.company.com), without a path.");
    expect(page).toContain('value="encuestas"');
    expect(page).toContain('value="no-es-correo"');
    expect(page).not.toContain("Typed-S3cret-pw");
    const saved = await ana.post("/w/formas/mail", { ...settings, host: "smtp.formas.test", port: "587", fromAddress: "encuestas@formas.test", timeZone: "Europe/Madrid" });
    expect(saved.status).toBe(200);
    const savedPage = await saved.text();
    expect(savedPage).toContain("Settings saved.");
    expect(savedPage).not.toContain("Typed-S3cret-pw");
  });

  it("refuses a test message to a bad address in Spanish and in English, keeping the address", async () => {
    const es = await (await as("ana@forms.test", "es")).post("/w/formas/mail", { intent: "test", to: "nadie arroba" });
    expect(es.status).toBe(400);
    const esPage = await es.text();
    expect(esPage).toContain("Escriba una dirección de correo válida (p. ej. ana@empresa.com).");
    expect(esPage).toContain('value="nadie arroba"');
    const en = await (await as("ana@forms.test", "en")).post("/w/formas/mail", { intent: "test", to: "" });
    expect(en.status).toBe(400);
    expect(await en.text()).toContain("This field is required.");
  });
});

describe("the SMS page", () => {
  const provider = {
    intent: "settings",
    url: "ftp://sms.formas.test/send",
    authHeaderName: "X-Api-Key",
    authHeaderValue: "Typed-Auth-Value",
    authHeaderEnv: "clave_sms",
    bodyTemplate: '{"to": "{{to}}", "text": "{{text}}"}',
    senderId: "BancoSol",
  };

  it("refuses a bad provider in Spanish, keeping what was typed but never the auth value; a bad body is worded in Spanish too", async () => {
    const ana = await as("ana@forms.test", "es");
    const res = await ana.post("/w/formas/sms", provider);
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain("Indique una dirección http(s) completa, sin usuario ni contraseña.");
    expect(page).toContain("Un nombre de variable en mayúsculas, p. ej. SMS_API_KEY, o vacío.");
    expect(page).toContain('value="ftp://sms.formas.test/send"');
    expect(page).toContain('value="clave_sms"');
    expect(page).not.toContain("Typed-Auth-Value");
    const body = await ana.post("/w/formas/sms", { ...provider, url: "https://sms.formas.test/send", authHeaderEnv: "", bodyTemplate: '{"to": "{{to}}", "text": "{{text}}", "k": "{{apiKey}}"}' });
    expect(body.status).toBe(400);
    const bodyPage = await body.text();
    expect(bodyPage).toContain("Marcador desconocido: {{apiKey}}");
    expect(bodyPage).toMatch(/<textarea[^>]*name="bodyTemplate"[^>]*>[^<]*\{\{apiKey\}\}/);
    expect(bodyPage).not.toContain("Typed-Auth-Value");
  });

  it("words the refusal in English", async () => {
    const ana = await as("ana@forms.test", "en");
    const res = await ana.post("/w/formas/sms", { ...provider, url: "", senderId: "Banco Sol Internacional SA" });
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain("This field is required.");
    expect(page).toContain("At most 20 characters.");
    expect(page).toContain('value="Banco Sol Internacional SA"');
    expect(page).not.toContain("Typed-Auth-Value");
  });

  it("refuses a test send without a number or language in Spanish and in English, keeping what was typed", async () => {
    const es = await (await as("ana@forms.test", "es")).post("/w/formas/sms", { intent: "test", to: "+34 600 000 000 000 000 000 000 000 000 000", lang: "fr" });
    expect(es.status).toBe(400);
    const esPage = await es.text();
    expect(esPage).toContain("Escriba un número de teléfono, p. ej. +34 600 000 000.");
    expect(esPage).toContain("Elija una de las opciones.");
    expect(esPage).toContain('value="+34 600 000 000 000 000 000 000 000 000 000"');
    const en = await (await as("ana@forms.test", "en")).post("/w/formas/sms", { intent: "test", to: "", lang: "en" });
    expect(en.status).toBe(400);
    expect(await en.text()).toContain("This field is required.");
  });

  it("refuses a deployment's text with an unknown placeholder in Spanish and one too long in English, keeping both texts", async () => {
    const typedEs = "Hola {{nombre}}, cuéntenos: {{link}}";
    const es = await (await as("ana@forms.test", "es")).post("/w/formas/sms", { intent: "texts", deploymentId: String(deploymentId), textEs: typedEs, textEn: "Tell us: {{link}}" });
    expect(es.status).toBe(400);
    const esPage = await es.text();
    expect(esPage).toContain("Marcador desconocido: {{nombre}}");
    expect(esPage).toContain(`${typedEs}</textarea>`);
    expect(esPage).toContain("Tell us: {{link}}</textarea>");
    const long = `${"x".repeat(700)} {{link}}`;
    const en = await (await as("ana@forms.test", "en")).post("/w/formas/sms", { intent: "texts", deploymentId: String(deploymentId), textEs: "Cuéntenos: {{link}}", textEn: long });
    expect(en.status).toBe(400);
    const enPage = await en.text();
    expect(enPage).toContain("At most 640 characters.");
    expect(enPage).toContain(`${long}</textarea>`);
    expect(enPage).toContain("Cuéntenos: {{link}}</textarea>");
  });
});

describe("a deployment's e-mail page", () => {
  const url = () => `/w/formas/deployments/${deploymentId}/mail`;
  const templates = {
    intent: "save",
    "es.subject": "Hola {{nombre}}",
    "es.text": "",
    "es.button": "Responder",
    "en.subject": "Hi {{customer_name}}",
    "en.text": "Tell us how it went.",
    "en.button": "Answer",
    reminders: "5",
    reminderDays: "3",
    windowStart: "25:00",
    windowEnd: "20:00",
  };

  it("refuses templates with an unknown placeholder, an empty text, too many reminders and a bad hour in Spanish, keeping what was typed", async () => {
    const ana = await as("ana@forms.test", "es");
    const res = await ana.post(url(), templates);
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain("Marcador desconocido: {{nombre}}; use {{brand}}, {{customer_name}}, {{touchpoint}}, {{expiry}}.");
    expect(page).toContain("Este campo es obligatorio.");
    expect(page).toContain("Debe ser 2 o menos.");
    expect(page).toContain("Escriba una hora como HH:MM (p. ej. 09:00).");
    for (const typed of ["Hola {{nombre}}", "Hi {{customer_name}}", "5", "25:00"]) expect(page).toContain(`value="${typed}"`);
    expect(page).toContain("Tell us how it went.</textarea>");
  });

  it("refuses a send window closing before it opens in English, keeping what was typed; a valid form is saved", async () => {
    const ana = await as("ana@forms.test", "en");
    const res = await ana.post(url(), { ...templates, "es.subject": "Hola {{customer_name}}", "es.text": "Cuéntenos.", reminders: "1", windowStart: "21:00" });
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain("The window must close after it opens (it cannot cross midnight).");
    expect(page).toContain('value="21:00"');
    expect(page).toContain('value="Hola {{customer_name}}"');
    const saved = await ana.post(url(), { ...templates, "es.subject": "Hola {{customer_name}}", "es.text": "Cuéntenos.", reminders: "1", windowStart: "08:00" });
    expect(saved.status).toBe(200);
    expect(await saved.text()).toContain("E-mail saved.");
    const { deploymentMailConfig } = await import("~/data/deployment-mail.server");
    expect(await deploymentMailConfig(workspaceId, deploymentId)).toMatchObject({ reminders: 1, window: { start: 8 * 60, end: 20 * 60 }, templates: { es: { subject: "Hola {{customer_name}}" } } });
  });

  it("refuses a test to a bad address in Spanish and in English, keeping the address", async () => {
    const es = await (await as("ana@forms.test", "es")).post(url(), { intent: "test", to: "nadie arroba", lang: "es" });
    expect(es.status).toBe(400);
    const esPage = await es.text();
    expect(esPage).toContain("Escriba una dirección de correo válida (p. ej. ana@empresa.com).");
    expect(esPage).toContain('value="nadie arroba"');
    const en = await (await as("ana@forms.test", "en")).post(url(), { intent: "test", to: "nobody at", lang: "de" });
    expect(en.status).toBe(400);
    const enPage = await en.text();
    expect(enPage).toContain("Enter a valid email address (e.g. ana@company.com).");
    expect(enPage).toContain("Choose one of the options.");
    expect(enPage).toContain('value="nobody at"');
  });
});
