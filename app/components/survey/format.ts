// Dates on survey pages, written the same on the server and in the browser (UTC), so hydration
// never disagrees with the server's rendering.
export function formatDateTime(value: Date | string | number | null | undefined, lang: string): string {
  if (value === null || value === undefined) return "—";
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return "—";
  const text = date.toLocaleString(lang === "en" ? "en-GB" : "es-ES", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
  return `${text} UTC`;
}
