import { Model } from "survey-core";
import { describe, expect, it } from "vitest";
import {
  clientingAnswerFromSurvey,
  clientingIndex,
  clientingPulseSurvey,
  type ClientingAnswer,
} from "~/cem/clienting";

const employee = (department: string, knows: number | null, applies: number, supported: number): ClientingAnswer => ({
  respondentGroup: "employee",
  department,
  roleLevel: "frontline",
  knows,
  applies,
  supported,
});

// Agreement 1–5; "yes" is 4 or 5.      knows applies supported
const answers: ClientingAnswer[] = [
  employee("Ventas", 5, 5, 5), //         yes   yes     yes   → Clienting
  employee("Ventas", 4, 4, 4), //         yes   yes     yes   → Clienting
  employee("Ventas", 5, 4, 3), //         yes   yes     no
  employee("Ventas", 3, 4, 5), //         no    yes     yes
  employee("Ventas", 2, 2, 2), //         no    no      no
  employee("Ventas", null, 5, 5), //      incomplete: left out
  employee("Cobranza", 5, 5, 4), //       yes   yes     yes   → Clienting
  employee("Cobranza", 4, 3, 3), //       yes   no      no
  employee("Cobranza", 4, 2, 2), //       yes   no      no
  employee("Cobranza", 1, 1, 1), //       no    no      no
  employee("Cobranza", 3, 3, 3), //       no    no      no
];

describe("clientingIndex", () => {
  it("overall: index = know AND apply AND supported, with Wilson 95 % intervals", () => {
    const { overall, groups } = clientingIndex(answers);
    expect(groups).toEqual([]);
    expect(overall).toMatchObject({ key: null, n: 10, incomplete: 1, suppressed: false });
    // 3/10 → Wilson [0.1078, 0.6032]
    expect(overall.index).toMatchObject({ yes: 3, n: 10, p: 0.3 });
    expect(overall.index!.lo).toBeCloseTo(0.1078, 4);
    expect(overall.index!.hi).toBeCloseTo(0.6032, 4);
    // 6/10 → [0.3127, 0.8318]; 5/10 → [0.2366, 0.7634]; 4/10 → [0.1682, 0.6873]
    expect(overall.knows).toMatchObject({ yes: 6, p: 0.6 });
    expect(overall.knows!.lo).toBeCloseTo(0.3127, 4);
    expect(overall.knows!.hi).toBeCloseTo(0.8318, 4);
    expect(overall.applies).toMatchObject({ yes: 5, p: 0.5 });
    expect(overall.applies!.lo).toBeCloseTo(0.2366, 4);
    expect(overall.supported).toMatchObject({ yes: 4, p: 0.4 });
    expect(overall.supported!.hi).toBeCloseTo(0.6873, 4);
  });

  it("per department", () => {
    const { groups } = clientingIndex(answers, "department");
    expect(groups.map((g) => [g.key, g.n, g.incomplete, g.index?.yes, g.knows?.yes, g.applies?.yes, g.supported?.yes])).toEqual([
      ["Cobranza", 5, 0, 1, 3, 1, 1],
      ["Ventas", 5, 1, 2, 3, 4, 3],
    ]);
    const cobranza = groups[0].index!; // 1/5 → [0.0362, 0.6245]
    expect(cobranza.lo).toBeCloseTo(0.0362, 4);
    expect(cobranza.hi).toBeCloseTo(0.6245, 4);
    const ventas = groups[1].index!; // 2/5 → [0.1176, 0.7693]
    expect(ventas.lo).toBeCloseTo(0.1176, 4);
    expect(ventas.hi).toBeCloseTo(0.7693, 4);
  });

  it("suppresses groups below the anonymity floor, keeping only n", () => {
    const partners: ClientingAnswer[] = [
      { respondentGroup: "supplier", department: null, roleLevel: null, knows: 5, applies: 5, supported: 5 },
      { respondentGroup: "supplier", department: null, roleLevel: null, knows: 4, applies: 4, supported: 2 },
    ];
    const { groups } = clientingIndex([...answers, ...partners], "group");
    expect(groups.map((g) => [g.key, g.n, g.suppressed, g.index?.yes ?? null])).toEqual([
      ["employee", 10, false, 3],
      ["supplier", 2, true, null],
    ]);
    const open = clientingIndex(partners, "group", { minGroupSize: 1 }).groups[0];
    expect(open.index).toMatchObject({ yes: 1, n: 2, p: 0.5 });
    expect(open.supported).toMatchObject({ yes: 1, n: 2 });
  });

  it("groups by role level, unstated last", () => {
    const mixed: ClientingAnswer[] = [
      ...answers.slice(0, 5),
      ...answers.slice(6).map((a) => ({ ...a, roleLevel: "manager" as const })),
      { respondentGroup: "channel", department: null, roleLevel: null, knows: 5, applies: 5, supported: 5 },
    ];
    const { groups } = clientingIndex(mixed, "roleLevel", { minGroupSize: 1 });
    expect(groups.map((g) => [g.key, g.n, g.index?.yes])).toEqual([
      ["frontline", 5, 2],
      ["manager", 5, 1],
      [null, 1, 1],
    ]);
  });
});

describe("clientingPulseSurvey", () => {
  const json = clientingPulseSurvey(["Ventas", "Cobranza", " Ventas ", ""]);

  it("switches language with survey.locale", () => {
    const survey = new Model(json);
    const knows = survey.getQuestionByName("knows");
    expect(knows.title).toBe("I know how my role contributes to successful and profitable customer experiences.");
    survey.locale = "es";
    expect(knows.title).toBe("Conozco cómo mi rol contribuye a lograr experiencias exitosas y rentables para el cliente.");
    expect(survey.title).toBe("Pulso de Clienting");
  });

  it("asks department and role level of employees only, from the given departments", () => {
    const survey = new Model(json);
    const department = survey.getQuestionByName("department");
    expect(department.getType()).toBe("dropdown");
    expect(department.choices.map((c: { value: string }) => c.value)).toEqual(["Ventas", "Cobranza"]);
    survey.setValue("respondentGroup", "supplier");
    expect(department.isVisible).toBe(false);
    expect(survey.getQuestionByName("roleLevel").isVisible).toBe(false);
    survey.setValue("respondentGroup", "employee");
    expect(department.isVisible).toBe(true);
    expect(["knows", "applies", "supported"].map((n) => survey.getQuestionByName(n).isRequired)).toEqual([true, true, true]);
    expect(survey.getQuestionByName("comment").isRequired).toBe(false);
  });

  it("its answers read back into a ClientingAnswer", () => {
    const survey = new Model(json);
    survey.data = { respondentGroup: "employee", department: "Ventas", roleLevel: "manager", knows: 5, applies: 4, supported: 2 };
    expect(clientingAnswerFromSurvey(survey.data)).toEqual({
      respondentGroup: "employee",
      department: "Ventas",
      roleLevel: "manager",
      knows: 5,
      applies: 4,
      supported: 2,
    });
    expect(clientingAnswerFromSurvey({ respondentGroup: "channel", department: "Ventas", knows: 9 })).toEqual({
      respondentGroup: "channel",
      department: null,
      roleLevel: null,
      knows: null,
      applies: null,
      supported: null,
    });
    expect(clientingAnswerFromSurvey({})).toBeNull();
  });
});
