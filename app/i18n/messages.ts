// Interface texts in Spanish (the source) and English, one file per area under messages/.
// Keys are typed from the Spanish tables, so a text missing in English is a compile error.
import type { Lang } from "./lang";
import * as core from "./messages/core";
import * as insights from "./messages/insights";
import * as surveys from "./messages/surveys";
import * as respondent from "./messages/respondent";
import * as respondentForm from "./messages/respondent-form";
import * as crm from "./messages/crm";
import * as crmImport from "./messages/crm-import";
import * as act from "./messages/act";
import * as actSettings from "./messages/act-settings";
import * as clienting from "./messages/clienting";
import * as jobs from "./messages/jobs";
import * as operations from "./messages/operations";
import * as security from "./messages/security";
import * as embedding from "./messages/embedding";
import * as home from "./messages/home";
import * as screens from "./messages/screens";
import * as behaviour from "./messages/behaviour";
import * as mail from "./messages/mail";
import * as bilingual from "./messages/bilingual";
import * as forms from "./messages/forms";
import * as journeyMap from "./messages/journey-map";
import * as builder from "./messages/builder";
import * as alerts from "./messages/alerts";

// Each area module exports `es` (as const) and `en: Record<keyof typeof es, string>`.
const areas = [core, surveys, respondent, respondentForm, crm, crmImport, act, actSettings, clienting, insights, jobs, operations, security, embedding, screens, behaviour, home, bilingual, mail, forms, builder, journeyMap, alerts] as const;

type AreaKeys<A> = A extends { es: infer E } ? keyof E : never;
export type MessageKey = AreaKeys<(typeof areas)[number]>;

const tables: Record<Lang, Record<string, string>> = {
  es: Object.assign({}, ...areas.map((a) => a.es)),
  en: Object.assign({}, ...areas.map((a) => a.en)),
};

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function translator(lang: Lang): Translate {
  const table = tables[lang];
  return (key, vars) => {
    let text = table[key] ?? key;
    if (vars) for (const [name, value] of Object.entries(vars)) text = text.replaceAll(`{${name}}`, String(value));
    return text;
  };
}
