// Reading the respondent page's server-drawn form as a browser without JavaScript would: the hidden
// state, the inputs of the page, and the fields a respondent would post from it.

function decode(text: string): string {
  return text
    .replaceAll("&quot;", '"')
    .replaceAll("&#x27;", "'")
    .replaceAll("&#39;", "'")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&");
}

function attributes(tag: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const m of tag.matchAll(/([a-zA-Z-]+)="([^"]*)"/g)) found[m[1]] = decode(m[2]);
  return found;
}

/** The form's hidden state field, as posted back. */
export function formStateField(html: string): string {
  const tag = [...html.matchAll(/<input[^>]*name="state"[^>]*>/g)][0]?.[0];
  if (!tag) throw new Error("no survey form on the page");
  return attributes(tag).value;
}

export type PageInput = { name: string; type: string; value: string; title: string | null };

/** The inputs of the page's form, each with the title of the question that holds it. */
export function pageInputs(html: string): PageInput[] {
  const inputs: PageInput[] = [];
  // Questions are the elements carrying data-title; their inputs follow until the next one.
  const parts = html.split(/(?=<(?:fieldset|div|p) class="q )/);
  for (const part of parts) {
    const title = /data-title="([^"]*)"/.exec(part)?.[1];
    for (const m of part.matchAll(/<(input|textarea)\b[^>]*>/g)) {
      const a = attributes(m[0]);
      if (!a.name || a.name === "state") continue;
      inputs.push({ name: a.name, type: m[1] === "textarea" ? "textarea" : (a.type ?? "text"), value: a.value ?? "", title: title ? decode(title) : null });
    }
  }
  return inputs;
}

/**
 * The fields a respondent posts from this page: for each radio group the value `choose` picks from
 * those offered (by the question's title), for each text field `text`.
 */
export function answerPage(html: string, choose: (offered: string[], title: string | null) => string | null, text = ""): Record<string, string> {
  const fields: Record<string, string> = { state: formStateField(html), intent: "next" };
  const groups = new Map<string, { offered: string[]; title: string | null }>();
  for (const input of pageInputs(html)) {
    if (input.type === "radio") {
      const group = groups.get(input.name) ?? { offered: [], title: input.title };
      group.offered.push(input.value);
      groups.set(input.name, group);
    } else if (input.type !== "checkbox" && text !== "") fields[input.name] = text;
  }
  for (const [name, group] of groups) {
    const value = choose(group.offered, group.title);
    if (value !== null) fields[name] = value;
  }
  return fields;
}

/** The page's title (the h2 of the form page). */
export function pageTitle(html: string): string | null {
  const m = /<h2 class="survey-page-title"[^>]*>([^<]*)<\/h2>/.exec(html);
  return m ? decode(m[1]) : null;
}
