// The Clienting index: how far an organisation is run around the customer, asked of everyone who shapes the
// experience — employees by department and role level, and suppliers, channels and intermediaries — plus its pulse survey.
import { wilson } from "~/cem/statistics";

export const respondentGroups = ["employee", "supplier", "channel", "intermediary"] as const;
export type RespondentGroup = (typeof respondentGroups)[number];

export const roleLevels = ["frontline", "supervisor", "manager", "executive"] as const;
export type RoleLevel = (typeof roleLevels)[number];

/**
 * The three conditions of Clienting (seed 000): a person knows how their role contributes to successful,
 * profitable experiences, applies it, and is supported in it by tools, structure and processes.
 */
export const clientingStatements = ["knows", "applies", "supported"] as const;
export type ClientingStatement = (typeof clientingStatements)[number];

/**
 * Agreement is answered 1–5 (strongly disagree … strongly agree). Only 4 and 5 count as "yes": a neutral 3
 * is not knowing, applying or being supported — the top-2-box convention, which keeps the index demanding.
 */
export const AGREEMENT_YES_MIN = 4;

export type ClientingAnswer = {
  respondentGroup: RespondentGroup;
  /** Employees only; the pulse does not ask partners for a department. */
  department: string | null;
  roleLevel: RoleLevel | null;
  knows: number | null;
  applies: number | null;
  supported: number | null;
};

export type ClientingGroupBy = "department" | "group" | "roleLevel";

/** A share of respondents saying "yes", with its Wilson 95 % interval. */
export type ClientingShare = { yes: number; n: number; p: number; lo: number; hi: number };

export type ClientingSummary = {
  /** The group's department, respondent group or role level; null for "not stated" (and for the overall row). */
  key: string | null;
  /** Respondents who answered all three statements. */
  n: number;
  /** Respondents left out because a statement was unanswered. */
  incomplete: number;
  /** True when n is below the anonymity floor: no shares are shown, only n. */
  suppressed: boolean;
  /** Share who know AND apply AND are supported, with a Wilson 95 % interval. */
  index: ClientingShare | null;
  knows: ClientingShare | null;
  applies: ClientingShare | null;
  supported: ClientingShare | null;
};

export type ClientingIndex = { overall: ClientingSummary; groups: ClientingSummary[] };

export type ClientingOptions = {
  /**
   * Smallest group whose shares are reported. The pulse is anonymous; in a department of three, shares
   * would tell who answered what. Five is a common floor for employee surveys.
   */
  minGroupSize?: number;
};

export function clientingIndex(
  answers: ClientingAnswer[],
  groupBy?: ClientingGroupBy,
  options: ClientingOptions = {},
): ClientingIndex {
  const floor = options.minGroupSize ?? 5;
  const overall = summarise(null, answers, floor);
  if (!groupBy) return { overall, groups: [] };

  const byKey = new Map<string | null, ClientingAnswer[]>();
  for (const a of answers) {
    const key = groupKey(a, groupBy);
    const group = byKey.get(key);
    if (group) group.push(a);
    else byKey.set(key, [a]);
  }
  const groups = [...byKey]
    .sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : a.localeCompare(b)))
    .map(([key, group]) => summarise(key, group, floor));
  return { overall, groups };
}

function groupKey(a: ClientingAnswer, groupBy: ClientingGroupBy): string | null {
  if (groupBy === "group") return a.respondentGroup;
  if (groupBy === "roleLevel") return a.roleLevel;
  const department = a.department?.trim();
  return department ? department : null;
}

/** A statement counts as "yes" on 4 or 5 of the 1–5 agreement scale. */
export function agrees(value: number | null): boolean {
  return value !== null && value >= AGREEMENT_YES_MIN;
}

function summarise(key: string | null, answers: ClientingAnswer[], floor: number): ClientingSummary {
  // Only complete answers count, so the index and its three components share one denominator and
  // the index can never exceed a component.
  const complete = answers.filter((a) => a.knows !== null && a.applies !== null && a.supported !== null);
  const n = complete.length;
  const incomplete = answers.length - n;
  if (n === 0 || n < floor) {
    return { key, n, incomplete, suppressed: n > 0, index: null, knows: null, applies: null, supported: null };
  }
  const count = (yes: (a: ClientingAnswer) => boolean) => complete.filter(yes).length;
  const share = (yes: number): ClientingShare => {
    const w = wilson(yes, n);
    // n > 0 here, so the interval is always defined; the fallbacks only satisfy the types.
    return { yes, n, p: yes / n, lo: w.lo ?? 0, hi: w.hi ?? 1 };
  };
  return {
    key,
    n,
    incomplete,
    suppressed: false,
    index: share(count((a) => agrees(a.knows) && agrees(a.applies) && agrees(a.supported))),
    knows: share(count((a) => agrees(a.knows))),
    applies: share(count((a) => agrees(a.applies))),
    supported: share(count((a) => agrees(a.supported))),
  };
}

/** Reads one SurveyJS result of the pulse below into an answer; null when the respondent group is missing. */
export function clientingAnswerFromSurvey(data: Record<string, unknown>): ClientingAnswer | null {
  const group = data.respondentGroup;
  if (!respondentGroups.includes(group as RespondentGroup)) return null;
  const isEmployee = group === "employee";
  const level = data.roleLevel;
  const score = (v: unknown) => (typeof v === "number" && v >= 1 && v <= 5 ? v : null);
  return {
    respondentGroup: group as RespondentGroup,
    department: isEmployee && typeof data.department === "string" ? data.department : null,
    roleLevel: isEmployee && roleLevels.includes(level as RoleLevel) ? (level as RoleLevel) : null,
    knows: score(data.knows),
    applies: score(data.applies),
    supported: score(data.supported),
  };
}

type Localized = { default: string; es: string };

const statementText: Record<ClientingStatement, Localized> = {
  knows: {
    default: "I know how my role contributes to successful and profitable customer experiences.",
    es: "Conozco cómo mi rol contribuye a lograr experiencias exitosas y rentables para el cliente.",
  },
  applies: {
    default: "I apply that contribution in my daily work.",
    es: "Aplico esa contribución en mi trabajo diario.",
  },
  supported: {
    default: "The tools, structure and processes I work with support me in making that contribution.",
    es: "Las herramientas, la estructura y los procesos con los que trabajo me apoyan para hacer esa contribución.",
  },
};

const groupText: Record<RespondentGroup, Localized> = {
  employee: { default: "Employee", es: "Colaborador" },
  supplier: { default: "Supplier", es: "Proveedor" },
  channel: { default: "Channel / distributor", es: "Canal / distribuidor" },
  intermediary: { default: "Intermediary", es: "Intermediario" },
};

const roleText: Record<RoleLevel, Localized> = {
  frontline: { default: "Frontline (in contact with customers)", es: "Primera línea (en contacto con clientes)" },
  supervisor: { default: "Supervisor / coordinator", es: "Supervisor / coordinador" },
  manager: { default: "Manager", es: "Gerente / jefe de área" },
  executive: { default: "Executive", es: "Directivo" },
};

/**
 * The pulse as SurveyJS JSON. Texts are localizable strings ({ default: English, es: Spanish }), so setting
 * `survey.locale = "es"` switches language. It asks no name or e-mail, and department and role level only of
 * employees: the index is anonymous, and partners belong to a respondent group rather than a department.
 */
export function clientingPulseSurvey(departments: string[]): Record<string, unknown> {
  const employeeOnly = "{respondentGroup} = 'employee'";
  const agreement = (name: ClientingStatement) => ({
    type: "rating",
    name,
    title: statementText[name],
    isRequired: true,
    rateMin: 1,
    rateMax: 5,
    minRateDescription: { default: "Strongly disagree", es: "Totalmente en desacuerdo" },
    maxRateDescription: { default: "Strongly agree", es: "Totalmente de acuerdo" },
  });
  return {
    title: { default: "Clienting pulse", es: "Pulso de Clienting" },
    description: {
      default: "Anonymous: we do not ask your name. It takes one minute.",
      es: "Anónima: no pedimos su nombre. Toma un minuto.",
    },
    showQuestionNumbers: "off",
    pages: [
      {
        name: "clienting",
        elements: [
          {
            type: "radiogroup",
            name: "respondentGroup",
            title: { default: "You answer as", es: "Usted responde como" },
            isRequired: true,
            choices: respondentGroups.map((value) => ({ value, text: groupText[value] })),
          },
          {
            type: "dropdown",
            name: "department",
            title: { default: "Department", es: "Área o departamento" },
            visibleIf: employeeOnly,
            choices: [...new Set(departments.map((d) => d.trim()).filter(Boolean))],
          },
          {
            type: "radiogroup",
            name: "roleLevel",
            title: { default: "Role level", es: "Nivel del cargo" },
            visibleIf: employeeOnly,
            choices: roleLevels.map((value) => ({ value, text: roleText[value] })),
          },
          ...clientingStatements.map(agreement),
          {
            type: "comment",
            name: "comment",
            title: {
              default: "What would help you contribute more to customers' experiences? (optional)",
              es: "¿Qué le ayudaría a contribuir más a la experiencia de los clientes? (opcional)",
            },
          },
        ],
      },
    ],
  };
}
