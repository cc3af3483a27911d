// The Brand Experience Scale: 12 items, three per dimension (sensory, affective, behavioral,
// intellectual), one negatively worded item in each (Brakus, Schmitt & Zarantonello 2009, "Brand
// experience: what is it? How is it measured? Does it affect loyalty?", J. Marketing 73(3):52–68).
import { page, questionName, ratingQuestion, type SurveyPageJson } from "./blocks";
import type { BrandExperienceKind, LocalizedText, SurveyAttribute } from "./types";

export type BrandExperienceItem = {
  key: string;
  kind: BrandExperienceKind;
  text: LocalizedText;
  reverseCoded: boolean;
};

type ItemText = { text: LocalizedText; reverseCoded?: true };

// Published order: sensory, affective, behavioral, intellectual.
const ITEMS: [BrandExperienceKind, ItemText[]][] = [
  [
    "bx_sensory",
    [
      { text: { es: "Esta marca causa una fuerte impresión en mi vista o en mis otros sentidos.", en: "This brand makes a strong impression on my visual sense or other senses." } },
      { text: { es: "Esta marca me resulta interesante desde un punto de vista sensorial.", en: "I find this brand interesting in a sensory way." } },
      { text: { es: "Esta marca no apela a mis sentidos.", en: "This brand does not appeal to my senses." }, reverseCoded: true },
    ],
  ],
  [
    "bx_affective",
    [
      { text: { es: "Esta marca despierta en mí sentimientos y emociones.", en: "This brand induces feelings and sentiments." } },
      { text: { es: "No siento emociones fuertes hacia esta marca.", en: "I do not have strong emotions for this brand." }, reverseCoded: true },
      { text: { es: "Esta marca es una marca emocional.", en: "This brand is an emotional brand." } },
    ],
  ],
  [
    "bx_behavioral",
    [
      { text: { es: "Realizo acciones y conductas físicas cuando uso esta marca.", en: "I engage in physical actions and behaviors when I use this brand." } },
      { text: { es: "Esta marca me produce experiencias corporales.", en: "This brand results in bodily experiences." } },
      { text: { es: "Esta marca no está orientada a la acción.", en: "This brand is not action oriented." }, reverseCoded: true },
    ],
  ],
  [
    "bx_intellectual",
    [
      { text: { es: "Pienso mucho cuando me encuentro con esta marca.", en: "I engage in a lot of thinking when I encounter this brand." } },
      { text: { es: "Esta marca no me hace pensar.", en: "This brand does not make me think." }, reverseCoded: true },
      { text: { es: "Esta marca estimula mi curiosidad y mi capacidad de resolver problemas.", en: "This brand stimulates my curiosity and problem solving." } },
    ],
  ],
];

/** The 12 items in published order, keyed "bes_<dimension>_<n>". */
export const BRAND_EXPERIENCE_ITEMS: readonly BrandExperienceItem[] = ITEMS.flatMap(([kind, items]) =>
  items.map((item, i) => ({
    key: `bes_${kind.slice("bx_".length)}_${i + 1}`,
    kind,
    text: item.text,
    reverseCoded: item.reverseCoded === true,
  })),
);

export function brandExperienceAttributes(): SurveyAttribute[] {
  return BRAND_EXPERIENCE_ITEMS.map((item) => ({ key: item.key, label: item.text, servqual: null }));
}

/** Two pages of six items: the whole scale on one phone screen is too long a scroll. */
export function brandExperiencePages(): SurveyPageJson[] {
  const questions = BRAND_EXPERIENCE_ITEMS.map((item) =>
    ratingQuestion({
      name: questionName(item.key, item.kind),
      kind: item.kind,
      attribute: item.key,
      reverseCoded: item.reverseCoded,
      title: item.text,
      scale: { min: 1, max: 7 },
      // The published anchors: how well each statement describes the brand.
      minLabel: { es: "No la describe en absoluto", en: "Not at all descriptive" },
      maxLabel: { es: "La describe totalmente", en: "Extremely descriptive" },
    }),
  );
  const title = { es: "Su experiencia con la marca", en: "Your experience with the brand" };
  const description = {
    es: "¿En qué medida describe cada frase su experiencia con la marca?",
    en: "How well does each statement describe your experience with the brand?",
  };
  return [
    page("brand_experience_1", title, questions.slice(0, 6), description),
    page("brand_experience_2", title, questions.slice(6), description),
  ];
}
