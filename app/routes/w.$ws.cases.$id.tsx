// One follow-up case: why it opened, the response behind it (comment, overall measures, gaps), the
// customer, its SLA clock, and the work on it — status steps with a note each, assignment, notes —
// with the full history. Another workspace's case id answers 404.
import { data, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { requireMember } from "~/auth/guard.server";
import { can } from "~/auth/permissions";
import { caseStatuses } from "~/cem/case-flow";
import type { CaseReason } from "~/cem/case-rules";
import { slaHours } from "~/cem/sla";
import actCss from "~/components/act/act.css?url";
import { CaseTier, OverdueBadge, StatusBadge } from "~/components/act/CaseBits";
import { ReasonBadges, ReasonList } from "~/components/act/CaseReasons";
import { LocalName } from "~/components/LocalName";
import { loadActSettings } from "~/data/case-rules.server";
import { addCaseNote, assignCase, changeCaseStatus } from "~/data/case-steps.server";
import { assignableMembers, getCase, type CaseHistoryItem } from "~/data/cases.server";
import type { MessageKey } from "~/i18n/messages";
import { useFormat, useLang, useT } from "~/i18n/use-t";
import { notFound } from "~/web/responses.server";
import { parseFormData } from "~/web/form.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: actCss }];

function caseId(param: string | undefined): number {
  return /^\d{1,15}$/.test(param ?? "") ? Number(param) : NaN;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace, role } = await requireMember(request, params.ws);
  const found = await getCase(workspace.id, caseId(params.id));
  if (!found) throw notFound("No such case in this workspace.");
  const { sla } = await loadActSettings(workspace.id);
  const canWork = can(role, "cases:work");
  return {
    slug: workspace.slug,
    found,
    slaHours: slaHours(found.tier, sla),
    canWork,
    members: canWork ? await assignableMembers(workspace.id) : [],
  };
}

const StatusStep = z.object({
  intent: z.literal("status"),
  to: z.enum(caseStatuses, { error: "Choose the step to take" }),
  note: z.string().trim().min(1, "A note is required: say what was done or decided").max(4000, "Keep the note under 4000 characters"),
});
const AssignStep = z.object({
  intent: z.literal("assign"),
  assignee: z.union([z.literal(""), z.coerce.number().int().positive()], { error: "Choose a member" }),
  note: z.string().trim().max(4000, "Keep the note under 4000 characters").optional(),
});
const NoteStep = z.object({
  intent: z.literal("note"),
  note: z.string().trim().min(1, "Write the note first").max(4000, "Keep the note under 4000 characters"),
});
const Step = z.discriminatedUnion("intent", [StatusStep, AssignStep, NoteStep], { error: "Unknown action" });

type ActionResult = { intent: string; ok: boolean; errors: Record<string, string>; values: Record<string, string> };

export async function action({ request, params }: ActionFunctionArgs) {
  const { workspace, user } = await requireMember(request, params.ws, "cases:work");
  const id = caseId(params.id);
  const form = parseFormData(await request.formData(), Step);
  const intent = form.values.intent ?? "";
  if (!form.ok) {
    // An id from another workspace is a 404 even when the form is also wrong.
    if (!(await getCase(workspace.id, id))) throw notFound("No such case in this workspace.");
    return data<ActionResult>({ intent, ok: false, errors: form.errors, values: form.values }, { status: 400 });
  }
  const step = form.data;
  const result =
    step.intent === "status"
      ? await changeCaseStatus(workspace.id, id, { to: step.to, note: step.note, byUserId: user.id })
      : step.intent === "assign"
        ? await assignCase(workspace.id, id, { assigneeId: step.assignee === "" ? null : step.assignee, note: step.note, byUserId: user.id })
        : await addCaseNote(workspace.id, id, { note: step.note, byUserId: user.id });
  if (!result.ok) {
    if (result.status === 404) throw notFound(result.message);
    return data<ActionResult>({ intent, ok: false, errors: { _form: result.message }, values: form.values }, { status: result.status });
  }
  return data<ActionResult>({ intent, ok: true, errors: {}, values: {} });
}

const STEP_LABEL: Record<string, MessageKey> = {
  in_progress: "act.step.in_progress",
  resolved: "act.step.resolved",
  closed: "act.step.closed",
};

function HistoryItem({ item, reasons }: { item: CaseHistoryItem; reasons: CaseReason[] }) {
  const t = useT();
  const lang = useLang();
  const f = useFormat();
  const who = item.by ?? t("act.history.system");
  let what: string;
  if (item.kind === "opened") what = t("act.history.opened");
  else if (item.kind === "status")
    what = t("act.history.status", {
      from: t(`act.status.${item.fromStatus}` as MessageKey),
      to: t(`act.status.${item.toStatus}` as MessageKey),
    });
  else if (item.kind === "assigned") what = item.toUser ? t("act.history.assigned", { to: item.toUser }) : t("act.history.unassigned");
  else what = t("act.history.note");
  return (
    <li>
      <div>
        <strong>{what}</strong> <span className="when">· {who} · <time dateTime={new Date(item.at).toISOString()}>{f.dateTime(item.at)}</time></span>
      </div>
      {/* The opening note is the rules' English summary; its reasons are listed, translated, at the top. */}
      {item.kind === "opened" ? (
        <div>
          <ReasonBadges reasons={reasons} />
        </div>
      ) : item.note ? (
        <p className="note">{item.note}</p>
      ) : null}
    </li>
  );
}

export default function CasePage() {
  const { slug, found: c, slaHours: hours, canWork, members } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const t = useT();
  const lang = useLang();
  const f = useFormat();
  const busy = navigation.state !== "idle";
  const errorsFor = (intent: string) => (result && !result.ok && result.intent === intent ? result.errors : {});
  const statusErrors = errorsFor("status");
  const assignErrors = errorsFor("assign");
  const noteErrors = errorsFor("note");
  const labelOf = (key: string) => {
    const label = c.response?.labels.find((l) => l.key === key);
    return label ? (lang === "en" ? label.en : label.es) : key;
  };
  const signed = (x: number) => f.decimal(x, 2, true);
  // After a successful step the form starts empty again (a new key remounts it).
  const formKey = `${c.status}-${c.history.length}`;

  return (
    <>
      <p>
        <Link to={`/w/${slug}/cases`}>← {t("nav.cases")}</Link>
      </p>
      <h1>
        {t("act.case.title", { id: c.id })} <StatusBadge status={c.status} /> {c.overdue ? <OverdueBadge /> : null}
      </h1>

      <section className="card" aria-labelledby="reasons">
        <h2 id="reasons">{t("act.case.reasons")}</h2>
        <ReasonList reasons={c.reasons} response={c.response} labelOf={labelOf} />
      </section>

      <div className="grid">
        <section className="card" aria-labelledby="customer">
          <h2 id="customer">{t("act.case.customer")}</h2>
          {c.customer ? (
            <dl>
              <dt>{t("act.col.customer")}</dt>
              <dd>
                <Link to={`/w/${slug}/customers/${c.customer.id}`}>{c.customer.name || c.customer.externalId}</Link>
              </dd>
              <dt>{t("crm.col.externalId")}</dt>
              <dd>
                <code>{c.customer.externalId}</code>
              </dd>
              {c.customer.email ? (
                <>
                  <dt>{t("crm.col.email")}</dt>
                  <dd>
                    <a href={`mailto:${c.customer.email}`}>{c.customer.email}</a>
                  </dd>
                </>
              ) : null}
              {c.customer.phone ? (
                <>
                  <dt>{t("crm.customer.phone")}</dt>
                  <dd>
                    <a href={`tel:${c.customer.phone}`}>{c.customer.phone}</a>
                  </dd>
                </>
              ) : null}
            </dl>
          ) : (
            <p className="muted">{t("act.case.anonymous")}</p>
          )}
          <p>
            {t("act.case.tierAtOpening")}: <CaseTier tier={c.tier} />
          </p>
        </section>
        <section className="card" aria-labelledby="clock">
          <h2 id="clock">{t("act.case.clock")}</h2>
          <dl>
            <dt>{t("act.case.opened")}</dt>
            <dd>{f.dateTime(c.openedAt)}</dd>
            <dt>{t("act.case.due", { hours })}</dt>
            <dd>
              {f.dateTime(c.dueAt)} {c.overdue ? <OverdueBadge /> : null}
            </dd>
            <dt>{t("act.case.firstAction")}</dt>
            <dd>{f.dateTime(c.firstActionAt)}</dd>
            <dt>{t("act.case.resolved")}</dt>
            <dd>{f.dateTime(c.resolvedAt)}</dd>
            <dt>{t("act.case.closed")}</dt>
            <dd>{f.dateTime(c.closedAt)}</dd>
            <dt>{t("act.col.assignee")}</dt>
            <dd>{c.assignee?.name ?? t("act.unassigned")}</dd>
          </dl>
        </section>
        <section className="card" aria-labelledby="contact">
          <h2 id="contact">{t("act.case.contact")}</h2>
          <dl>
            <dt>{t("act.col.touchpoint")}</dt>
            <dd>{c.touchpoint ? <LocalName item={c.touchpoint} /> : "—"}</dd>
            <dt>{t("act.filter.process")}</dt>
            <dd>{c.touchpoint?.processName ? <LocalName item={{ name: c.touchpoint.processName, nameEn: c.touchpoint.processNameEn }} /> : "—"}</dd>
            <dt>{t("act.case.answered")}</dt>
            <dd>{c.response ? f.dateTime(c.response.completedAt) : "—"}</dd>
          </dl>
        </section>
      </div>

      {c.response ? (
        <section aria-labelledby="response">
          <h2 id="response">{t("act.case.response")}</h2>
          {c.response.comment ? (
            <blockquote className="quote" lang={c.response.lang}>
              {c.response.comment}
            </blockquote>
          ) : (
            <p className="muted">{t("act.case.noComment")}</p>
          )}
          {c.response.overall.length ? (
            <p className="stat-row">
              {c.response.overall.map((m) => (
                <span key={m.kind}>
                  <span className="stat-label">{m.kind.toUpperCase()}</span> <strong>{m.value}</strong>
                </span>
              ))}
            </p>
          ) : null}
          {c.response.gaps.length ? (
            <div className="table-wrap">
              <table>
                <caption className="muted" style={{ textAlign: "left" }}>
                  {t("act.case.gaps")}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">{t("act.case.attribute")}</th>
                    <th scope="col" className="num">{t("act.case.expectation")}</th>
                    <th scope="col" className="num">{t("act.case.perception")}</th>
                    <th scope="col" className="num">{t("act.case.gap")}</th>
                  </tr>
                </thead>
                <tbody>
                  {c.response.gaps.map((g) => (
                    <tr key={g.attributeKey}>
                      <th scope="row">{labelOf(g.attributeKey)}</th>
                      <td className="num">{g.expectation}</td>
                      <td className="num">{g.perception}</td>
                      <td className={`num ${g.gap < 0 ? "gap-neg" : "gap-pos"}`}>{signed(g.gap)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </section>
      ) : null}

      {canWork && c.status !== "closed" ? (
        <section aria-labelledby="work">
          <h2 id="work">{t("act.case.work")}</h2>
          {result?.ok ? (
            <p className="notice" role="status">
              {t("act.case.saved")}
            </p>
          ) : null}
          <Form method="post" className="card stack" key={`status-${formKey}`} aria-labelledby="step-title">
            <h3 id="step-title">{t("act.case.nextStep")}</h3>
            <input type="hidden" name="intent" value="status" />
            {statusErrors._form ? (
              <p className="field-error" role="alert">
                {statusErrors._form}
              </p>
            ) : null}
            <label htmlFor="step-note">
              {t("act.case.stepNote")}
              <textarea
                id="step-note"
                name="note"
                rows={3}
                required
                defaultValue={statusErrors.note || statusErrors._form ? result?.values.note : ""}
                aria-invalid={statusErrors.note ? true : undefined}
                aria-describedby={statusErrors.note ? "step-note-error" : "step-note-hint"}
              />
              <span id="step-note-hint" className="muted">
                {t("act.case.stepNoteHint")}
              </span>
              {statusErrors.note ? (
                <span id="step-note-error" className="field-error">
                  {statusErrors.note}
                </span>
              ) : null}
            </label>
            <div className="step-buttons">
              {c.next.map((to) => (
                <button key={to} type="submit" name="to" value={to} disabled={busy} className={to === "in_progress" && c.status === "resolved" ? "secondary" : undefined}>
                  {c.status === "resolved" && to === "in_progress" ? t("act.step.reopen") : t(STEP_LABEL[to])}
                </button>
              ))}
            </div>
          </Form>

          <div className="grid">
            <Form method="post" className="card stack" key={`assign-${formKey}`} aria-labelledby="assign-title">
              <h3 id="assign-title">{t("act.case.assign")}</h3>
              <input type="hidden" name="intent" value="assign" />
              {assignErrors._form || assignErrors.assignee ? (
                <p className="field-error" role="alert">
                  {assignErrors._form ?? assignErrors.assignee}
                </p>
              ) : null}
              <label htmlFor="assignee">
                {t("act.col.assignee")}
                <select id="assignee" name="assignee" defaultValue={c.assignee?.id ?? ""}>
                  <option value="">{t("act.unassigned")}</option>
                  {members.map((m) => (
                    <option key={m.id} value={m.id}>
                      {m.name} ({m.email})
                    </option>
                  ))}
                </select>
              </label>
              <label htmlFor="assign-note">
                {t("act.case.assignNote")}
                <input id="assign-note" name="note" maxLength={4000} />
              </label>
              <p>
                <button type="submit" className="secondary" disabled={busy}>
                  {t("act.case.assignButton")}
                </button>
              </p>
            </Form>
            <Form method="post" className="card stack" key={`note-${formKey}`} aria-labelledby="note-title">
              <h3 id="note-title">{t("act.case.addNote")}</h3>
              <input type="hidden" name="intent" value="note" />
              {noteErrors._form ? (
                <p className="field-error" role="alert">
                  {noteErrors._form}
                </p>
              ) : null}
              <label htmlFor="free-note">
                {t("act.case.noteLabel")}
                <textarea
                  id="free-note"
                  name="note"
                  rows={2}
                  required
                  aria-invalid={noteErrors.note ? true : undefined}
                  aria-describedby={noteErrors.note ? "free-note-error" : undefined}
                />
                {noteErrors.note ? (
                  <span id="free-note-error" className="field-error">
                    {noteErrors.note}
                  </span>
                ) : null}
              </label>
              <p>
                <button type="submit" className="secondary" disabled={busy}>
                  {t("act.case.noteButton")}
                </button>
              </p>
            </Form>
          </div>
        </section>
      ) : null}

      <section aria-labelledby="history">
        <h2 id="history">{t("act.case.history")}</h2>
        <ol className="case-history">
          {c.history.map((item) => (
            <HistoryItem key={item.id} item={item} reasons={c.reasons} />
          ))}
        </ol>
      </section>
    </>
  );
}
