// A refused step on a case said in the reader's language: the refusal arrives as a code with its facts
// (app/cem/case-flow.ts, app/data/case-steps.server.ts) and is worded here, on the server, by the page.
import type { CaseStatus, CaseStepRefusal } from "~/cem/case-flow";
import type { Translate } from "./messages";

export function caseRefusalText(t: Translate, refusal: CaseStepRefusal): string {
  const state = (status: CaseStatus) => t(`case.state.${status}`);
  switch (refusal.code) {
    case "same_status":
      return t("case.refusal.same_status", { status: state(refusal.status) });
    case "not_next":
      return t("case.refusal.not_next", {
        from: state(refusal.from),
        to: state(refusal.to),
        allowed: refusal.allowed.map(state).join(t("case.refusal.or")),
      });
    case "note_too_long":
      return t("form.tooLong", { max: refusal.max });
    default:
      return t(`case.refusal.${refusal.code}`);
  }
}
