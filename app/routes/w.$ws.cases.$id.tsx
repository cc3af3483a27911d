// One follow-up case: why it opened, the response behind it (comment, overall measures, gaps), the
// customer, its SLA clock, and the work on it — status steps with a note each, assignment, notes —
// with the full history. Another workspace's case id answers 404.
import { getFormProps } from "@conform-to/react";
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
import { caseRefusalText } from "~/i18n/case-refusal";
import { requestLang } from "~/i18n/lang.server";
import { translator, type MessageKey } from "~/i18n/messages";
import { useFormat, useLang, useT } from "~/i18n/use-t";
import { notFound } from "~/web/responses.server";
import { parseRequestForm } from "~/web/conform.server";
import { formOptionalText } from "~/web/form-schema";
import { FormErrors, SelectField, TextField } from "~/components/form/fields";
import { useSchemaForm } from "~/components/form/use-schema-form";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: actCss }];

function caseId(param: string | undefined): number {
  return /^\d{1,15}$/.test(param ?? "") ? Number(param) : NaN;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace, role } = await requireMember(request, params.ws);
  const found = await getCase(workspace.id, caseId(params.id));
  if (!found) throw notFound(translator(await requestLang(request))("case.refusal.not_found"));
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

// Messages are keys (messages/forms.ts): the schema speaks the interface language on both sides.
// The schema-wide message is for a missing note only: zod would otherwise give it to every check.
const caseNote = (required: string) =>
  z
    .string({ error: (issue) => (issue.code === "invalid_type" ? required : undefined) })
    .trim()
    .min(1, required)
    .max(4000);
const StatusStep = z.object({
  to: z.enum(caseStatuses, { error: "case.form.step" }),
  note: caseNote("case.form.stepNote"),
});
const AssignStep = z.object({
  // Empty (unassigned) arrives as undefined: the case is left without an assignee.
  assignee: z.number({ error: "case.form.assignee" }).int().positive("case.form.assignee").optional(),
  note: formOptionalText(4000),
});
const NoteStep = z.object({ note: caseNote("case.form.note") });
const Step = z.discriminatedUnion("intent", [
  StatusStep.extend({ intent: z.literal("status") }),
  AssignStep.extend({ intent: z.literal("assign") }),
  NoteStep.extend({ intent: z.literal("note") }),
]);

export async function action({ request, params }: ActionFunctionArgs) {
  const { workspace, user } = await requireMember(request, params.ws, "cases:work");
  const id = caseId(params.id);
  const { submission, unreadable, t } = await parseRequestForm(request, Step);
  const intent = String(submission.payload.intent ?? "");
  if (unreadable) return data({ intent, ok: false, result: unreadable }, { status: 400 });
  if (submission.status !== "success") {
    // An id from another workspace is a 404 even when the form is also wrong.
    if (!(await getCase(workspace.id, id))) throw notFound(t("case.refusal.not_found"));
    return data({ intent, ok: false, result: submission.reply() }, { status: 400 });
  }
  const step = submission.value;
  const result =
    step.intent === "status"
      ? await changeCaseStatus(workspace.id, id, { to: step.to, note: step.note, byUserId: user.id })
      : step.intent === "assign"
        ? await assignCase(workspace.id, id, { assigneeId: step.assignee ?? null, note: step.note || undefined, byUserId: user.id })
        : await addCaseNote(workspace.id, id, { note: step.note, byUserId: user.id });
  if (!result.ok) {
    const message = caseRefusalText(t, result.refusal);
    if (result.status === 404) throw notFound(message);
    return data({ intent, ok: false, result: submission.reply({ formErrors: [message] }) }, { status: result.status });
  }
  return data({ intent, ok: true, result: submission.reply({ resetForm: true }) });
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
  const labelOf = (key: string) => {
    const label = c.response?.labels.find((l) => l.key === key);
    return label ? (lang === "en" ? label.en : label.es) : key;
  };
  const signed = (x: number) => f.decimal(x, 2, true);
  // After a successful step the forms start again from the case as it now is (a new key remounts them).
  const formKey = `${c.status}-${c.history.length}`;
  const closedRefusal = result && !result.ok && c.status === "closed" ? (result.result?.error?.[""] ?? []) : [];

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

      {/* A step refused after the case was closed meanwhile (in another tab, by someone else): its form is gone. */}
      {closedRefusal.length ? (
        <p className="notice error" role="alert">
          {closedRefusal.join(" ")}
        </p>
      ) : null}
      {canWork && c.status !== "closed" ? (
        <section aria-labelledby="work">
          <h2 id="work">{t("act.case.work")}</h2>
          {result?.ok ? (
            <p className="notice" role="status">
              {t("act.case.saved")}
            </p>
          ) : null}
          <StatusForm key={`status-${formKey}`} next={c.next} status={c.status} busy={busy} />
          <div className="grid">
            <AssignForm key={`assign-${formKey}`} assignee={c.assignee?.id ?? null} members={members} busy={busy} />
            <NoteForm key={`note-${formKey}`} busy={busy} />
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

type Loaded = ReturnType<typeof useLoaderData<typeof loader>>;

/** The action's reply for one of the case's forms, when that form was the one posted. */
function useReplyFor(intent: string) {
  const result = useActionData<typeof action>();
  return result && result.intent === intent ? result.result : undefined;
}

function StatusForm({ next, status, busy }: { next: Loaded["found"]["next"]; status: Loaded["found"]["status"]; busy: boolean }) {
  const t = useT();
  const [form, fields] = useSchemaForm(StatusStep, { id: "step", lastResult: useReplyFor("status") });
  return (
    <Form method="post" className="card stack" aria-labelledby="step-title" {...getFormProps(form)} noValidate>
      <h3 id="step-title">{t("act.case.nextStep")}</h3>
      <input type="hidden" name="intent" value="status" />
      <FormErrors form={form} />
      <TextField label={t("act.case.stepNote")} field={fields.note} multiline rows={3} hint={t("act.case.stepNoteHint")} />
      {fields.to.errors?.length ? (
        <p id={fields.to.errorId} className="field-error" role="alert">
          {fields.to.errors[0]}
        </p>
      ) : null}
      <div className="step-buttons">
        {next.map((to) => (
          <button key={to} type="submit" name="to" value={to} disabled={busy} className={to === "in_progress" && status === "resolved" ? "secondary" : undefined}>
            {status === "resolved" && to === "in_progress" ? t("act.step.reopen") : t(STEP_LABEL[to])}
          </button>
        ))}
      </div>
    </Form>
  );
}

function AssignForm({ assignee, members, busy }: { assignee: number | null; members: Loaded["members"]; busy: boolean }) {
  const t = useT();
  const [form, fields] = useSchemaForm(AssignStep, { id: "assign", lastResult: useReplyFor("assign"), defaultValue: { assignee: assignee === null ? "" : String(assignee) } });
  const options = [{ value: "", label: t("act.unassigned") }, ...members.map((m) => ({ value: String(m.id), label: `${m.name} (${m.email})` }))];
  return (
    <Form method="post" className="card stack" aria-labelledby="assign-title" {...getFormProps(form)} noValidate>
      <h3 id="assign-title">{t("act.case.assign")}</h3>
      <input type="hidden" name="intent" value="assign" />
      <FormErrors form={form} />
      <SelectField label={t("act.col.assignee")} field={fields.assignee} options={options} />
      <TextField label={t("act.case.assignNote")} field={fields.note} />
      <p>
        <button type="submit" className="secondary" disabled={busy}>
          {t("act.case.assignButton")}
        </button>
      </p>
    </Form>
  );
}

function NoteForm({ busy }: { busy: boolean }) {
  const t = useT();
  const [form, fields] = useSchemaForm(NoteStep, { id: "free", lastResult: useReplyFor("note") });
  return (
    <Form method="post" className="card stack" aria-labelledby="note-title" {...getFormProps(form)} noValidate>
      <h3 id="note-title">{t("act.case.addNote")}</h3>
      <input type="hidden" name="intent" value="note" />
      <FormErrors form={form} />
      <TextField label={t("act.case.noteLabel")} field={fields.note} multiline rows={2} />
      <p>
        <button type="submit" className="secondary" disabled={busy}>
          {t("act.case.noteButton")}
        </button>
      </p>
    </Form>
  );
}
