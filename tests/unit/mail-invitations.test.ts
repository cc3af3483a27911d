// The invitation e-mail's pure parts: templates and placeholders in both languages (escaping, the
// plain-text part), send windows on a wall clock across both DST changes, the reminder schedule,
// unsubscribe tokens and the per-send funnel.
import { describe, expect, it } from "vitest";
import { DEFAULT_TEMPLATES, MailTemplatesSchema, readTemplates, renderInvitationMail, unknownPlaceholders } from "~/cem/invitation-mail";
import { invitationFunnel } from "~/cem/invitation-funnel";
import { instantOf, insideWindow, nextSendInstant, reminderSchedule, reminderStillWanted, sendAllowance } from "~/cem/send-window";
import { readUnsubscribeToken, unsubscribeToken } from "~/cem/unsubscribe-token";

const values = { brand: "Banco Sol", customerName: "Lucía <b>Pérez</b>", touchpoint: "Bienvenida en oficina", expiresAt: new Date("2026-03-10T17:00:00Z"), timeZone: "Europe/Madrid" };
const link = "https://vivencia.example/s/abc?x=1&y=2";
const unsub = "https://vivencia.example/u/u1.1.2.sig";

describe("invitation templates", () => {
  it("renders the Spanish default with every placeholder filled, the expiry in Madrid time", () => {
    const mail = renderInvitationMail({ template: DEFAULT_TEMPLATES.es, lang: "es", values, link, unsubscribeUrl: unsub });
    expect(mail.subject).toBe("Banco Sol: ¿qué tal su experiencia en Bienvenida en oficina?");
    expect(mail.text).toContain("Hola Lucía <b>Pérez</b>:");
    // 17:00 UTC on 10 March is 18:00 in Madrid (CET, UTC+1).
    expect(mail.text).toContain("vale hasta el 10 de marzo de 2026 a las 18:00");
    expect(mail.text).toContain(`Responder la encuesta: ${link}`);
    expect(mail.text).toContain(unsub);
    expect(mail.text).not.toMatch(/\{\{/);
  });

  it("renders English with the expiry in English and a reminder prefix", () => {
    const mail = renderInvitationMail({ template: DEFAULT_TEMPLATES.en, lang: "en", values: { ...values, customerName: "" }, link, unsubscribeUrl: unsub, seq: 1 });
    expect(mail.subject).toBe("Reminder: Banco Sol: how was your experience at Bienvenida en oficina?");
    expect(mail.text).toContain("Hello there,");
    expect(mail.text).toContain("valid until 10 March 2026 at 18:00");
    expect(mail.html).toContain('lang="en"');
    expect(mail.html).toContain("Unsubscribe");
  });

  it("escapes the HTML part: a name or template cannot inject markup, the link's & is an entity", () => {
    const template = { subject: "Hi", text: "<script>x</script> {{customer_name}}", button: "Go & answer" };
    const mail = renderInvitationMail({ template, lang: "en", values, link, unsubscribeUrl: unsub });
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).not.toContain("<b>");
    expect(mail.html).toContain("&lt;script&gt;x&lt;/script&gt; Lucía &lt;b&gt;Pérez&lt;/b&gt;");
    expect(mail.html).toContain('href="https://vivencia.example/s/abc?x=1&amp;y=2"');
    expect(mail.html).toContain("Go &amp; answer");
    // The plain-text part is not escaped.
    expect(mail.text).toContain("<script>x</script> Lucía <b>Pérez</b>");
  });

  it("turns blank lines into paragraphs and single breaks into <br>", () => {
    const mail = renderInvitationMail({ template: { subject: "s", text: "one\ntwo\n\nthree", button: "b" }, lang: "es", values, link, unsubscribeUrl: unsub });
    expect(mail.html).toContain(">one<br>two</p>");
    expect(mail.html).toContain(">three</p>");
  });

  it("refuses an unknown placeholder, naming it, in either language", () => {
    expect(unknownPlaceholders("{{brand}} {{ nombre }} {{nombre}} {{x}}")).toEqual(["nombre", "x"]);
    const bad = { es: { ...DEFAULT_TEMPLATES.es, text: "Hola {{nombre}}" }, en: { ...DEFAULT_TEMPLATES.en, subject: "{{brand}} {{first_name}}" } };
    const parsed = MailTemplatesSchema.safeParse(bad);
    expect(parsed.success).toBe(false);
    const messages = parsed.error!.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(messages.some((m) => m.startsWith("es.text") && m.includes("{{nombre}}"))).toBe(true);
    expect(messages.some((m) => m.startsWith("en.subject") && m.includes("{{first_name}}"))).toBe(true);
    expect(MailTemplatesSchema.safeParse(DEFAULT_TEMPLATES).success).toBe(true);
  });

  it("falls back to the defaults for a stored row that no longer reads", () => {
    expect(readTemplates(null)).toBe(DEFAULT_TEMPLATES);
    expect(readTemplates("{not json")).toBe(DEFAULT_TEMPLATES);
    const custom = { ...DEFAULT_TEMPLATES, es: { ...DEFAULT_TEMPLATES.es, button: "Opinar" } };
    expect(readTemplates(JSON.stringify(custom)).es.button).toBe("Opinar");
  });
});

describe("send windows on the workspace's wall clock", () => {
  const madrid = "Europe/Madrid";
  const window = { start: 9 * 60, end: 20 * 60 };

  it("holds a 3 a.m. invitation until 09:00 the same morning", () => {
    // 02:00 UTC on 15 January = 03:00 CET.
    expect(nextSendInstant(new Date("2026-01-15T02:00:00Z"), window, madrid).toISOString()).toBe("2026-01-15T08:00:00.000Z");
    expect(insideWindow(new Date("2026-01-15T02:00:00Z"), window, madrid)).toBe(false);
  });

  it("sends at once inside the window, and after 20:00 waits for tomorrow's 09:00", () => {
    const noon = new Date("2026-01-15T11:00:00Z");
    expect(nextSendInstant(noon, window, madrid)).toBe(noon);
    // 19:00 UTC = 20:00 CET: the window is [09:00, 20:00), so closed.
    expect(nextSendInstant(new Date("2026-01-15T19:00:00Z"), window, madrid).toISOString()).toBe("2026-01-16T08:00:00.000Z");
  });

  it("opens at 09:00 local on the day summer time starts (29 March 2026: 02:00 → 03:00)", () => {
    // 22:00 UTC on 28 March = 23:00 CET; next 09:00 is in CEST (UTC+2): 07:00 UTC.
    expect(nextSendInstant(new Date("2026-03-28T22:00:00Z"), window, madrid).toISOString()).toBe("2026-03-29T07:00:00.000Z");
  });

  it("opens at 09:00 local on the day summer time ends (25 October 2026: 03:00 → 02:00)", () => {
    // 21:00 UTC on 24 October = 23:00 CEST; next 09:00 is in CET (UTC+1): 08:00 UTC.
    expect(nextSendInstant(new Date("2026-10-24T21:00:00Z"), window, madrid).toISOString()).toBe("2026-10-25T08:00:00.000Z");
    // And 19:30 local that evening (18:30 UTC, CET) is still inside; 20:00 local (19:00 UTC) is not.
    expect(insideWindow(new Date("2026-10-25T18:30:00Z"), window, madrid)).toBe(true);
    expect(insideWindow(new Date("2026-10-25T19:00:00Z"), window, madrid)).toBe(false);
  });

  it("maps wall times that do not exist or happen twice", () => {
    // 02:30 on 29 March 2026 does not exist in Madrid: taken as 03:30 CEST (01:30 UTC).
    expect(instantOf(2026, 3, 29, 150, madrid).toISOString()).toBe("2026-03-29T01:30:00.000Z");
    // 02:30 on 25 October 2026 happens twice: the first (CEST, 00:30 UTC).
    expect(instantOf(2026, 10, 25, 150, madrid).toISOString()).toBe("2026-10-25T00:30:00.000Z");
    expect(instantOf(2026, 7, 1, 9 * 60, "America/New_York").toISOString()).toBe("2026-07-01T13:00:00.000Z");
  });
});

describe("reminders and throttling", () => {
  const sent = new Date("2026-02-01T10:00:00Z");
  it("plans up to two reminders N days apart, only while the link is valid", () => {
    expect(reminderSchedule(sent, new Date("2026-02-20T00:00:00Z"), 2, 3).map((d) => d.toISOString())).toEqual(["2026-02-04T10:00:00.000Z", "2026-02-07T10:00:00.000Z"]);
    expect(reminderSchedule(sent, new Date("2026-02-06T00:00:00Z"), 2, 3)).toHaveLength(1);
    expect(reminderSchedule(sent, new Date("2026-02-20T00:00:00Z"), 5, 1)).toHaveLength(2);
    expect(reminderSchedule(sent, new Date("2026-02-20T00:00:00Z"), 0, 3)).toEqual([]);
  });
  it("sends a reminder only to an unanswered, valid, reachable invitation", () => {
    const now = new Date("2026-02-04T10:00:00Z");
    const base = { state: "pending", expiresAt: new Date("2026-02-10T00:00:00Z"), optedOut: false, bounced: false };
    expect(reminderStillWanted(base, now)).toBe(true);
    expect(reminderStillWanted({ ...base, state: "opened" }, now)).toBe(true);
    expect(reminderStillWanted({ ...base, state: "completed" }, now)).toBe(false);
    expect(reminderStillWanted({ ...base, expiresAt: now }, now)).toBe(false);
    expect(reminderStillWanted({ ...base, optedOut: true }, now)).toBe(false);
    expect(reminderStillWanted({ ...base, bounced: true }, now)).toBe(false);
  });
  it("allows what is left of the rate in the last minute", () => {
    expect(sendAllowance(60, 0)).toBe(60);
    expect(sendAllowance(60, 59)).toBe(1);
    expect(sendAllowance(60, 75)).toBe(0);
  });
});

describe("unsubscribe tokens", () => {
  const key = Buffer.alloc(32, 7);
  it("round-trips and refuses a changed customer, another key or garbage", () => {
    const token = unsubscribeToken(key, 12, 345);
    expect(token.length).toBeGreaterThan(48);
    expect(readUnsubscribeToken(key, token)).toEqual({ workspaceId: 12, customerId: 345 });
    expect(readUnsubscribeToken(key, token.replace(".345.", ".346."))).toBeNull();
    expect(readUnsubscribeToken(Buffer.alloc(32, 8), token)).toBeNull();
    expect(readUnsubscribeToken(key, "u1.1.2.short")).toBeNull();
    expect(readUnsubscribeToken(key, "")).toBeNull();
  });
});

describe("invitation funnel", () => {
  const d = (h: number) => new Date(Date.UTC(2026, 1, 1, h));
  it("credits each step to the latest send before it and computes the response rate", () => {
    const funnel = invitationFunnel([
      { invitationId: 1, sent: [{ seq: 0, at: d(0) }], opened: d(1), started: d(1), completed: d(2) },
      { invitationId: 2, sent: [{ seq: 0, at: d(0) }, { seq: 1, at: d(10) }], opened: d(11), started: d(11), completed: null },
      { invitationId: 3, sent: [{ seq: 0, at: d(0) }, { seq: 1, at: d(10) }, { seq: 2, at: d(20) }], opened: d(5), started: d(21), completed: d(22) },
      { invitationId: 4, sent: [], opened: d(1) },
    ]);
    expect(funnel.bySend).toEqual([
      { seq: 0, sent: 3, opened: 2, started: 1, completed: 1 },
      { seq: 1, sent: 2, opened: 1, started: 1, completed: 0 },
      { seq: 2, sent: 1, opened: 0, started: 1, completed: 1 },
    ]);
    expect(funnel.total).toMatchObject({ sent: 3, opened: 3, started: 3, completed: 2 });
    expect(funnel.total.responseRate).toBeCloseTo(2 / 3, 10);
    expect(invitationFunnel([]).total.responseRate).toBeNull();
  });
});
