// The Spanish interface, the default texts customers receive and SurveyJS's own Spanish strings address
// the reader as "usted": a text written with "tú" (tienes, tu rol, inténtalo…) is caught here.
import { surveyLocalization } from "survey-core";
import { describe, expect, it } from "vitest";
import { DEFAULT_TEMPLATES } from "~/cem/invitation-mail";
import { DEFAULT_SMS_TEXTS } from "~/cem/sms-text";
import "~/survey/locales";

type Area = { es: Record<string, string> };
const areas = import.meta.glob<Area>("../../app/i18n/messages/*.ts", { eager: true });

// Forms that are second person singular whatever the sentence: pronouns, "tú" verb endings that the
// third person never takes, and "tú" imperatives with an attached pronoun.
const TU_FORMS = [
  "tú", "tu", "tus", "ti", "te", "contigo",
  "tienes", "puedes", "quieres", "necesitas", "debes", "estás", "eres", "has", "haz", "sabes",
  "perteneces", "editas", "recibes", "sigues", "verás", "podrás", "recibirás",
  "inténtalo", "suéltalo", "muévelo", "cámbialo", "enfócalo", "súbelo", "impórtalos", "envíalos",
  "revísala", "publícala", "recalcúlalos", "cuéntanos", "dinos", "ayúdanos",
];
// Bare "tú" imperatives are also the third person ("la API usa…"), so they count only where an
// instruction starts: at the start of the text, after punctuation or after "primero". Words that are
// also nouns or adjectives there ("Marca", "Prueba", "Activa", "Abre") are left out.
const TU_IMPERATIVES = [
  "entra", "crea", "envía", "copia", "sube", "usa", "elige", "escribe", "revisa", "pulsa", "recarga",
  "recalcula", "define", "corrige", "importa", "exporta", "empieza", "comprueba", "arrastra", "pide",
  "añade", "guarda", "vuelve", "mira", "indica", "selecciona", "pega", "intenta", "confirma",
  "configura", "borra", "quita", "deja", "introduce", "asigna", "invita", "busca", "filtra",
  "edita", "comienza", "toca", "completa", "firma", "elimina",
];
const NOT_A_LETTER = "(?![\\p{L}\\p{N}_-])";
const TU_PATTERN = new RegExp(`(?<![\\p{L}\\p{N}_-])(${TU_FORMS.join("|")})${NOT_A_LETTER}`, "iu");
const TU_IMPERATIVE_PATTERN = new RegExp(`(^|[.,:;!?¿¡—(]\\s*|primero\\s+)(${TU_IMPERATIVES.join("|")})${NOT_A_LETTER}`, "iu");

function tuForms(texts: Record<string, string>): string[] {
  return Object.entries(texts)
    .filter(([, text]) => TU_PATTERN.test(text) || TU_IMPERATIVE_PATTERN.test(text))
    .map(([key, text]) => `${key}: ${text}`);
}

describe("the Spanish register", () => {
  it("finds every messages file", () => {
    expect(Object.keys(areas).length).toBeGreaterThanOrEqual(20);
  });

  it("addresses the reader as usted in every interface text", () => {
    const offending = Object.entries(areas).flatMap(([file, area]) =>
      tuForms(area.es).map((line) => `${file.replace(/^.*\//, "")} ${line}`),
    );
    expect(offending).toEqual([]);
  });

  it("addresses the customer as usted in the default invitation e-mail and SMS", () => {
    expect(tuForms({ ...DEFAULT_TEMPLATES.es, sms: DEFAULT_SMS_TEXTS.es })).toEqual([]);
  });

  it("addresses the respondent as usted in SurveyJS's Spanish buttons and errors", () => {
    const strings = surveyLocalization.locales.es as Record<string, unknown>;
    const texts = Object.fromEntries(Object.entries(strings).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
    expect(Object.keys(texts).length).toBeGreaterThan(100);
    expect(tuForms(texts)).toEqual([]);
  });

  it("would catch a text written with tú", () => {
    const tu = { a: "¿No tienes cuenta?", b: "Tu rol puede leer", c: "La subida falló. Comprueba la conexión.", d: "— elige uno —", e: "No está; recarga la página." };
    expect(tuForms(tu)).toHaveLength(5);
    const usted = { a: "¿No tiene cuenta?", b: "Su rol puede leer", c: "La API usa los mismos nombres; webhook-timestamp.", d: "Marca", e: "No está; recargue la página." };
    expect(tuForms(usted)).toEqual([]);
  });
});
