// The SERVQUAL instrument: 22 expectation/perception item pairs over five dimensions and the
// allocation of 100 importance points over the dimensions (Parasuraman, Zeithaml & Berry 1988,
// J. Retailing 64(1):12–40; wording as refined in 1991, J. Retailing 67(4):420–450), adapted to a
// generic "company" in Spanish and English.
import {
  AGREEMENT,
  page,
  questionName,
  ratingQuestion,
  surveyText,
  type SurveyElementJson,
  type SurveyPageJson,
} from "./blocks";
import { DIMENSION_PROPERTY, MEASURE_PROPERTY } from "./metadata";
import {
  SERVQUAL_DIMENSIONS,
  type LocalizedText,
  type ServqualDimension,
  type SurveyAttribute,
} from "./types";

type ServqualItemText = { label: LocalizedText; expectation: LocalizedText; perception: LocalizedText };
export type ServqualItem = ServqualItemText & { key: string; dimension: ServqualDimension };

const ITEMS: Record<ServqualDimension, ServqualItemText[]> = {
  tangibles: [
    {
      label: { es: "Equipos modernos", en: "Modern equipment" },
      expectation: { es: "Las empresas excelentes tienen equipos de apariencia moderna.", en: "Excellent companies have modern-looking equipment." },
      perception: { es: "La empresa tiene equipos de apariencia moderna.", en: "The company has modern-looking equipment." },
    },
    {
      label: { es: "Instalaciones atractivas", en: "Appealing facilities" },
      expectation: { es: "Las instalaciones físicas de las empresas excelentes son visualmente atractivas.", en: "The physical facilities of excellent companies are visually appealing." },
      perception: { es: "Las instalaciones físicas de la empresa son visualmente atractivas.", en: "The company's physical facilities are visually appealing." },
    },
    {
      label: { es: "Apariencia del personal", en: "Neat employees" },
      expectation: { es: "Los empleados de las empresas excelentes tienen una apariencia pulcra.", en: "Employees of excellent companies are neat-appearing." },
      perception: { es: "Los empleados de la empresa tienen una apariencia pulcra.", en: "The company's employees are neat-appearing." },
    },
    {
      label: { es: "Materiales atractivos", en: "Appealing materials" },
      expectation: { es: "En las empresas excelentes, los materiales asociados al servicio (folletos, estados de cuenta…) son visualmente atractivos.", en: "At excellent companies, materials associated with the service (such as pamphlets or statements) are visually appealing." },
      perception: { es: "Los materiales asociados al servicio de la empresa (folletos, estados de cuenta…) son visualmente atractivos.", en: "The company's materials associated with the service (such as pamphlets or statements) are visually appealing." },
    },
  ],
  reliability: [
    {
      label: { es: "Cumple lo prometido a tiempo", en: "Keeps promised deadlines" },
      expectation: { es: "Cuando las empresas excelentes prometen hacer algo en cierto tiempo, lo cumplen.", en: "When excellent companies promise to do something by a certain time, they do so." },
      perception: { es: "Cuando la empresa promete hacer algo en cierto tiempo, lo cumple.", en: "When the company promises to do something by a certain time, it does so." },
    },
    {
      label: { es: "Interés en resolver problemas", en: "Interest in solving problems" },
      expectation: { es: "Cuando un cliente tiene un problema, las empresas excelentes muestran un sincero interés en resolverlo.", en: "When a customer has a problem, excellent companies show a sincere interest in solving it." },
      perception: { es: "Cuando usted tiene un problema, la empresa muestra un sincero interés en resolverlo.", en: "When you have a problem, the company shows a sincere interest in solving it." },
    },
    {
      label: { es: "Bien a la primera", en: "Right the first time" },
      expectation: { es: "Las empresas excelentes realizan bien el servicio la primera vez.", en: "Excellent companies perform the service right the first time." },
      perception: { es: "La empresa realiza bien el servicio la primera vez.", en: "The company performs the service right the first time." },
    },
    {
      label: { es: "Servicio en el momento prometido", en: "Service when promised" },
      expectation: { es: "Las empresas excelentes prestan sus servicios en el momento en que prometen hacerlo.", en: "Excellent companies provide their services at the time they promise to do so." },
      perception: { es: "La empresa presta sus servicios en el momento en que promete hacerlo.", en: "The company provides its services at the time it promises to do so." },
    },
    {
      label: { es: "Registros sin errores", en: "Error-free records" },
      expectation: { es: "Las empresas excelentes insisten en mantener registros libres de errores.", en: "Excellent companies insist on error-free records." },
      perception: { es: "La empresa insiste en mantener registros libres de errores.", en: "The company insists on error-free records." },
    },
  ],
  responsiveness: [
    {
      label: { es: "Informa cuándo se hará el servicio", en: "Tells when service will happen" },
      expectation: { es: "Los empleados de las empresas excelentes comunican a los clientes exactamente cuándo se realizarán los servicios.", en: "Employees of excellent companies tell customers exactly when services will be performed." },
      perception: { es: "Los empleados de la empresa le comunican exactamente cuándo se realizarán los servicios.", en: "The company's employees tell you exactly when services will be performed." },
    },
    {
      label: { es: "Servicio rápido", en: "Prompt service" },
      expectation: { es: "Los empleados de las empresas excelentes ofrecen un servicio rápido a sus clientes.", en: "Employees of excellent companies give prompt service to customers." },
      perception: { es: "Los empleados de la empresa le ofrecen un servicio rápido.", en: "The company's employees give you prompt service." },
    },
    {
      label: { es: "Disposición a ayudar", en: "Willing to help" },
      expectation: { es: "Los empleados de las empresas excelentes siempre están dispuestos a ayudar a sus clientes.", en: "Employees of excellent companies are always willing to help customers." },
      perception: { es: "Los empleados de la empresa siempre están dispuestos a ayudarle.", en: "The company's employees are always willing to help you." },
    },
    {
      label: { es: "Tiempo para responder", en: "Time to respond" },
      expectation: { es: "Los empleados de las empresas excelentes nunca están demasiado ocupados para responder a las preguntas de sus clientes.", en: "Employees of excellent companies are never too busy to respond to customers' requests." },
      perception: { es: "Los empleados de la empresa nunca están demasiado ocupados para responder a sus preguntas.", en: "The company's employees are never too busy to respond to your requests." },
    },
  ],
  assurance: [
    {
      label: { es: "Transmite confianza", en: "Instills confidence" },
      expectation: { es: "El comportamiento de los empleados de las empresas excelentes transmite confianza a sus clientes.", en: "The behavior of employees of excellent companies instills confidence in customers." },
      perception: { es: "El comportamiento de los empleados de la empresa le transmite confianza.", en: "The behavior of the company's employees instills confidence in you." },
    },
    {
      label: { es: "Seguridad en las transacciones", en: "Safe transactions" },
      expectation: { es: "Los clientes de las empresas excelentes se sienten seguros en sus transacciones.", en: "Customers of excellent companies feel safe in their transactions." },
      perception: { es: "Usted se siente seguro en sus transacciones con la empresa.", en: "You feel safe in your transactions with the company." },
    },
    {
      label: { es: "Amabilidad constante", en: "Consistent courtesy" },
      expectation: { es: "Los empleados de las empresas excelentes son siempre amables con los clientes.", en: "Employees of excellent companies are consistently courteous with customers." },
      perception: { es: "Los empleados de la empresa son siempre amables con usted.", en: "The company's employees are consistently courteous with you." },
    },
    {
      label: { es: "Conocimiento para responder", en: "Knowledge to answer" },
      expectation: { es: "Los empleados de las empresas excelentes tienen los conocimientos necesarios para responder a las preguntas de los clientes.", en: "Employees of excellent companies have the knowledge to answer customers' questions." },
      perception: { es: "Los empleados de la empresa tienen los conocimientos necesarios para responder a sus preguntas.", en: "The company's employees have the knowledge to answer your questions." },
    },
  ],
  empathy: [
    {
      label: { es: "Atención individual", en: "Individual attention" },
      expectation: { es: "Las empresas excelentes dan a sus clientes una atención individualizada.", en: "Excellent companies give customers individual attention." },
      perception: { es: "La empresa le da una atención individualizada.", en: "The company gives you individual attention." },
    },
    {
      label: { es: "Horarios convenientes", en: "Convenient hours" },
      expectation: { es: "Las empresas excelentes tienen horarios convenientes para todos sus clientes.", en: "Excellent companies have operating hours convenient to all their customers." },
      perception: { es: "La empresa tiene horarios convenientes para todos sus clientes.", en: "The company has operating hours convenient to all its customers." },
    },
    {
      label: { es: "Atención personalizada", en: "Personal attention" },
      expectation: { es: "Las empresas excelentes tienen empleados que ofrecen una atención personalizada a sus clientes.", en: "Excellent companies have employees who give customers personal attention." },
      perception: { es: "La empresa tiene empleados que le ofrecen una atención personalizada.", en: "The company has employees who give you personal attention." },
    },
    {
      label: { es: "Busca lo mejor para el cliente", en: "Customer's best interests" },
      expectation: { es: "Las empresas excelentes se preocupan por los mejores intereses de sus clientes.", en: "Excellent companies have their customers' best interests at heart." },
      perception: { es: "La empresa se preocupa por sus mejores intereses.", en: "The company has your best interests at heart." },
    },
    {
      label: { es: "Comprende necesidades específicas", en: "Understands specific needs" },
      expectation: { es: "Los empleados de las empresas excelentes comprenden las necesidades específicas de sus clientes.", en: "Employees of excellent companies understand the specific needs of their customers." },
      perception: { es: "Los empleados de la empresa comprenden sus necesidades específicas.", en: "The company's employees understand your specific needs." },
    },
  ],
};

/** The 22 items in published order, keyed "sq_<dimension>_<n>" (n counts within the dimension). */
export const SERVQUAL_ITEMS: readonly ServqualItem[] = SERVQUAL_DIMENSIONS.flatMap((dimension) =>
  ITEMS[dimension].map((item, i) => ({ ...item, key: `sq_${dimension}_${i + 1}`, dimension })),
);

/** The SERVQUAL items as touchpoint attributes, for a touchpoint measured with this instrument. */
export function servqualAttributes(): SurveyAttribute[] {
  return SERVQUAL_ITEMS.map((item) => ({ key: item.key, label: item.label, servqual: item.dimension }));
}

export const DIMENSION_LABELS: Record<ServqualDimension, LocalizedText> = {
  tangibles: { es: "Elementos tangibles", en: "Tangibles" },
  reliability: { es: "Fiabilidad", en: "Reliability" },
  responsiveness: { es: "Capacidad de respuesta", en: "Responsiveness" },
  assurance: { es: "Seguridad", en: "Assurance" },
  empathy: { es: "Empatía", en: "Empathy" },
};

/** The 1991 definitions of the dimensions, shown where customers share their 100 points. */
const DIMENSION_DEFINITIONS: Record<ServqualDimension, LocalizedText> = {
  tangibles: {
    es: "La apariencia de las instalaciones físicas, los equipos, el personal y los materiales de comunicación.",
    en: "The appearance of the physical facilities, equipment, personnel and communication materials.",
  },
  reliability: {
    es: "La capacidad de prestar el servicio prometido de forma fiable y precisa.",
    en: "The ability to perform the promised service dependably and accurately.",
  },
  responsiveness: {
    es: "La disposición a ayudar a los clientes y a prestar un servicio rápido.",
    en: "The willingness to help customers and provide prompt service.",
  },
  assurance: {
    es: "El conocimiento y la amabilidad de los empleados y su capacidad de transmitir confianza y seguridad.",
    en: "The knowledge and courtesy of employees and their ability to convey trust and confidence.",
  },
  empathy: {
    es: "La atención cuidadosa e individualizada que se presta a los clientes.",
    en: "The caring, individualized attention provided to customers.",
  },
};

export const IMPORTANCE_POINTS_QUESTION = "importance_points";

function ratingItem(item: ServqualItem, kind: "expectation" | "perception"): SurveyElementJson {
  return ratingQuestion({
    name: questionName(item.key, kind),
    kind,
    attribute: item.key,
    dimension: item.dimension,
    title: item[kind],
    scale: { min: 1, max: 7 },
    minLabel: AGREEMENT.min,
    maxLabel: AGREEMENT.max,
  });
}

/**
 * One page per dimension, expectations first: the published administration asks all expectations
 * before any perception so the second set does not anchor the first.
 */
export function servqualPages(): SurveyPageJson[] {
  const pagesFor = (kind: "expectation" | "perception"): SurveyPageJson[] =>
    SERVQUAL_DIMENSIONS.map((dimension) =>
      page(
        `${kind}_${dimension}`,
        kind === "expectation"
          ? { es: `Lo que espera: ${DIMENSION_LABELS[dimension].es}`, en: `What you expect: ${DIMENSION_LABELS[dimension].en}` }
          : { es: `Lo que recibió: ${DIMENSION_LABELS[dimension].es}`, en: `What you received: ${DIMENSION_LABELS[dimension].en}` },
        SERVQUAL_ITEMS.filter((item) => item.dimension === dimension).map((item) => ratingItem(item, kind)),
        kind === "expectation"
          ? { es: "Piense en una empresa excelente de este sector.", en: "Think of an excellent company in this sector." }
          : { es: "Piense en esta empresa.", en: "Think of this company." },
      ),
    );
  return [...pagesFor("expectation"), ...pagesFor("perception"), importancePointsPage()];
}

/**
 * 100 points shared over the five dimensions, the total enforced on the page by an expression
 * validator (the answer validation enforces it again on the server).
 */
function importancePointsPage(): SurveyPageJson {
  const sum = `sum(${SERVQUAL_DIMENSIONS.map((d) => `{${IMPORTANCE_POINTS_QUESTION}.${d}}`).join(", ")})`;
  const points: SurveyElementJson = {
    type: "multipletext",
    name: IMPORTANCE_POINTS_QUESTION,
    title: surveyText({
      es: "Reparta 100 puntos entre estas cinco características según la importancia que cada una tiene para usted.",
      en: "Allocate 100 points among these five features according to how important each one is to you.",
    }),
    isRequired: true,
    colCount: 1,
    items: SERVQUAL_DIMENSIONS.map((dimension) => ({
      name: dimension,
      title: surveyText({
        es: `${DIMENSION_LABELS[dimension].es}: ${DIMENSION_DEFINITIONS[dimension].es}`,
        en: `${DIMENSION_LABELS[dimension].en}: ${DIMENSION_DEFINITIONS[dimension].en}`,
      }),
      inputType: "number",
      isRequired: true,
      [MEASURE_PROPERTY]: "importance_points",
      [DIMENSION_PROPERTY]: dimension,
      validators: [{ type: "numeric", minValue: 0, maxValue: 100 }],
    })),
    validators: [
      {
        type: "expression",
        expression: `${sum} = 100`,
        text: surveyText({ es: "Los puntos deben sumar 100.", en: "The points must add up to 100." }),
      },
    ],
  };
  const total: SurveyElementJson = {
    type: "expression",
    name: `${IMPORTANCE_POINTS_QUESTION}_total`,
    title: surveyText({ es: "Total (debe ser 100)", en: "Total (must be 100)" }),
    expression: sum,
  };
  return page("importance_points", { es: "Importancia relativa", en: "Relative importance" }, [points, total]);
}
