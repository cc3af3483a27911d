// The one formatting module and the plural helper: both languages, time zones, money, counts.
import { describe, expect, it } from "vitest";
import {
  formatDate,
  formatDateTime,
  formatDay,
  formatHours,
  formatInteger,
  formatInterval,
  formatMoney,
  formatNumber,
  formatPercent,
  formatShortDateTime,
  formatterFor,
  isCurrency,
  isTimeZone,
} from "~/i18n/format";
import { countTranslator, pluralForm } from "~/i18n/plural";

// Intl writes a no-break space (U+00A0) or a narrow one (U+202F) where a person reads a space.
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, " ");

describe("dates in the reader's time zone", () => {
  // 23:30 UTC on 6 December is already 7 December in Madrid (UTC+1 in winter), still the 6th in Bogotá (UTC−5).
  const nearMidnight = new Date("2026-12-06T23:30:00Z");

  it("moves an instant near midnight to the next day east of UTC", () => {
    expect(plain(formatDateTime(nearMidnight, { lang: "es", timeZone: "Europe/Madrid" }))).toBe("7 dic 2026, 0:30");
    expect(plain(formatDate(nearMidnight, { lang: "es", timeZone: "Europe/Madrid" }))).toBe("7 dic 2026");
    expect(plain(formatDateTime(nearMidnight, { lang: "en", timeZone: "Europe/Madrid" }))).toBe("7 Dec 2026, 00:30");
  });

  it("keeps the same instant on the 6th in UTC and west of it", () => {
    expect(plain(formatDate(nearMidnight, { lang: "en", timeZone: "UTC" }))).toBe("6 Dec 2026");
    expect(plain(formatDateTime(nearMidnight, { lang: "en", timeZone: "America/Bogota" }))).toBe("6 Dec 2026, 18:30");
    expect(plain(formatDateTime(nearMidnight, { lang: "es", timeZone: "America/Bogota" }))).toBe("6 dic 2026, 18:30");
  });

  it("never depends on the machine's zone: an unknown zone falls back to UTC, not to the server's", () => {
    expect(plain(formatDate(nearMidnight, { lang: "en", timeZone: "Mars/Olympus" }))).toBe("6 Dec 2026");
  });

  it("writes a stored analysis day as that day, whatever the zone", () => {
    expect(plain(formatDay("2026-12-07", "es"))).toBe("7 dic 2026");
    expect(plain(formatDay("2026-12-07", "en"))).toBe("7 Dec 2026");
  });

  it("adds the year to a short date only when it is not this year's", () => {
    const now = new Date("2026-12-07T10:00:00Z");
    expect(plain(formatShortDateTime("2026-03-02T09:05:00Z", { lang: "en", timeZone: "UTC" }, now))).toBe("2 Mar, 09:05");
    expect(plain(formatShortDateTime("2025-03-02T09:05:00Z", { lang: "en", timeZone: "UTC" }, now))).toBe("2 Mar 2025, 09:05");
  });

  it("shows a dash for no date at all", () => {
    expect(formatDateTime(null, { lang: "es", timeZone: "UTC" })).toBe("—");
    expect(formatDate("not a date", { lang: "es", timeZone: "UTC" })).toBe("—");
  });
});

describe("numbers, shares and money", () => {
  it("uses each language's decimal and thousands marks", () => {
    expect(formatNumber(-0.4234, "gap", "es")).toBe("-0,42");
    expect(formatNumber(0.4234, "gap", "en")).toBe("+0.42");
    expect(formatNumber(5.125, "mean", "es")).toBe("5,13");
    expect(formatInteger(3000, "es")).toBe("3.000");
    expect(formatInteger(3000, "en")).toBe("3,000");
  });

  it("writes shares as percentages and differences of shares in points", () => {
    expect(formatPercent(0.4567, "es")).toBe("45,7 %");
    expect(formatPercent(0.4567, "en", 0)).toBe("46 %");
    expect(formatNumber(-0.031, "shareDiff", "en")).toBe("-3.1 pp");
    expect(formatInterval(0.1, 0.25, "share", "es")).toBe("[10,0 %; 25,0 %]");
  });

  it("shows money with the workspace's currency", () => {
    expect(plain(formatMoney(1234.5, { lang: "es", currency: "EUR" }))).toBe("1.234,50 €");
    expect(plain(formatMoney(1234.5, { lang: "en", currency: "EUR" }))).toBe("€1,234.50");
    expect(plain(formatMoney(1234.5, { lang: "en", currency: "USD" }))).toBe("US$1,234.50");
    expect(plain(formatMoney(12000, { lang: "es", currency: "COP" }, 0))).toBe("12.000 COP");
  });

  it("writes hours as days past two days", () => {
    expect(formatHours(5.5, "es")).toBe("5,5 h");
    expect(formatHours(76.8, "en")).toBe("3.2 d");
  });

  it("answers a dash for missing or infinite values, never NaN", () => {
    expect(formatNumber(null, "mean", "es")).toBe("—");
    expect(formatMoney(Number.NaN, { lang: "es", currency: "EUR" })).toBe("—");
    expect(formatInterval(null, 1, "gap", "en")).toBe("");
  });

  it("binds everything to one reader", () => {
    const f = formatterFor({ lang: "en", timeZone: "Europe/Madrid", currency: "EUR" });
    expect(f.int(1200)).toBe("1,200");
    expect(plain(f.money(9.5))).toBe("€9.50");
    expect(plain(f.date("2026-12-06T23:30:00Z"))).toBe("7 Dec 2026");
  });

  it("recognises time zones and currencies", () => {
    expect(isTimeZone("Europe/Madrid")).toBe(true);
    expect(isTimeZone("Europe/Atlantis")).toBe(false);
    expect(isCurrency("EUR")).toBe(true);
    expect(isCurrency("eur")).toBe(false);
    expect(isCurrency("XYZ")).toBe(false);
  });
});

describe("a count with its noun", () => {
  it("picks the plural form of each language", () => {
    expect([0, 1, 2, 1_000_000].map((n) => pluralForm("es", n))).toEqual(["other", "one", "other", "other"]);
    expect([0, 1, 2].map((n) => pluralForm("en", n))).toEqual(["other", "one", "other"]);
  });

  it("writes 1 response / 2 responses and 1 respuesta / 2 respuestas", () => {
    const es = countTranslator("es");
    const en = countTranslator("en");
    expect(es("count.responses", 1)).toBe("1 respuesta");
    expect(es("count.responses", 2)).toBe("2 respuestas");
    expect(es("count.responses", 0)).toBe("0 respuestas");
    expect(en("count.responses", 1)).toBe("1 response");
    expect(en("count.responses", 2)).toBe("2 responses");
    expect(en("count.invitations", 3000)).toBe("3,000 invitations");
    expect(es("count.invitations", 3000)).toBe("3.000 invitaciones");
    expect(es("count.invitations", 1)).toBe("1 invitación");
  });
});
