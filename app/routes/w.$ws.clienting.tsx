// The Clienting index: how far the organisation runs around the customer — the share of employees
// (and suppliers, channels, intermediaries) who know how their role contributes to successful and
// profitable experiences, apply it, and are supported by tools, structure and processes. Pulses with
// an anonymous link, the index overall and by department, group or role level with Wilson intervals,
// the trend by month, and the index of the departments behind each process.
import { getFormProps } from "@conform-to/react";
import { data, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireMember } from "~/auth/guard.server";
import { can } from "~/auth/permissions";
import type { ClientingGroupBy, ClientingShare, ClientingSummary } from "~/cem/clienting";
import actCss from "~/components/act/act.css?url";
import { EstimateSeries } from "~/components/charts/EstimateSeries";
import { FormErrors, TextField } from "~/components/form/fields";
import { useSchemaForm } from "~/components/form/use-schema-form";
import {
  CLIENTING_MIN_GROUP,
  clientingIndexByProcess,
  clientingReport,
  clientingTrend,
  createPulse,
  listDepartments,
  listPulses,
  setPulseActive,
} from "~/data/clienting.server";
import { linkOrigin } from "~/data/deployments.server";
import { listProcesses } from "~/data/processes.server";
import type { MessageKey } from "~/i18n/messages";
import { formatPercent } from "~/i18n/format";
import { useLang, useT } from "~/i18n/use-t";
import { notFound } from "~/web/responses.server";
import { readFormData } from "~/web/request-body.server";
import { submissionOf } from "~/web/conform.server";
import { formDay, formText, parseSubmission } from "~/web/form-schema";
import { requestLang } from "~/i18n/lang.server";
import { translator } from "~/i18n/messages";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: actCss }];

const CLIENTING_GROUPINGS = ["department", "group", "roleLevel"] as const satisfies readonly ClientingGroupBy[];

const Query = z.object({
  by: z.enum(CLIENTING_GROUPINGS).catch("department"),
  pulse: z.coerce.number().int().positive().optional().catch(undefined),
});

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace, role } = await requireMember(request, params.ws);
  const url = new URL(request.url);
  const query = Query.parse({ by: url.searchParams.get("by") ?? undefined, pulse: url.searchParams.get("pulse") || undefined });
  const pulses = await listPulses(workspace.id);
  const pulseId = query.pulse && pulses.some((p) => p.id === query.pulse) ? query.pulse : undefined;
  const byProcess = await clientingIndexByProcess(workspace.id);
  const departments = await listDepartments(workspace.id);
  const processRows = (await listProcesses(workspace.id))
    .filter((p) => byProcess.has(p.id))
    .map((p) => ({
      id: p.id,
      name: p.name,
      departments: departments.filter((d) => d.processIds.includes(p.id)).map((d) => d.name),
      ...byProcess.get(p.id)!,
    }));
  return {
    slug: workspace.slug,
    origin: linkOrigin(request),
    query: { by: query.by, pulse: pulseId ?? null },
    pulses,
    report: await clientingReport(workspace.id, { pulseId, by: query.by }),
    trend: await clientingTrend(workspace.id, { pulseId }),
    processRows,
    departmentCount: departments.length,
    minGroup: CLIENTING_MIN_GROUP,
    canEdit: can(role, "settings:edit"),
    today: new Date().toISOString().slice(0, 10),
  };
}

/** A new pulse, worded for the form: the data module's pulseInputSchema speaks English to the API. */
const PulseSchema = z
  .object({ intent: z.literal("create").optional(), title: formText(120), opensOn: formDay(), closesOn: formDay().optional() })
  .refine((p) => p.closesOn === undefined || p.closesOn >= p.opensOn, { path: ["closesOn"], message: "act.clienting.form.closesAfter" });
const ToggleSchema = z.object({ intent: z.literal("toggle"), id: z.number().int().positive(), active: z.enum(["0", "1"]) });

export async function action({ request, params }: ActionFunctionArgs) {
  const { workspace, user } = await requireMember(request, params.ws, "settings:edit");
  const lang = await requestLang(request);
  const formData = await readFormData(request);
  if (formData === null) return data({ intent: "create", result: parseSubmission(new FormData(), PulseSchema, lang).reply({ formErrors: [translator(lang)("form.unreadable")] }) }, { status: 400 });
  if (formData.get("intent") === "toggle") {
    const toggle = submissionOf(formData, ToggleSchema, lang);
    if (toggle.status !== "success" || !(await setPulseActive(workspace.id, toggle.value.id, toggle.value.active === "1"))) throw notFound("No such pulse in this workspace.");
    return { intent: "toggle", result: toggle.reply() };
  }
  const submission = submissionOf(formData, PulseSchema, lang);
  if (submission.status !== "success") return data({ intent: "create", result: submission.reply() }, { status: 400 });
  const { title, opensOn, closesOn } = submission.value;
  await createPulse(workspace.id, { title, opensOn, closesOn: closesOn ?? null }, user.id);
  return { intent: "create", result: submission.reply({ resetForm: true }) };
}

function ShareCell({ share }: { share: ClientingShare | null }) {
  const lang = useLang();
  if (!share) return <>—</>;
  const pct = (x: number) => formatPercent(x, lang, 0);
  return (
    <>
      <span className="share-bar" aria-hidden="true">
        <span className="fill" style={{ width: `${share.p * 100}%` }} />
        <span className="ci" style={{ left: `${share.lo * 100}%`, width: `${(share.hi - share.lo) * 100}%` }} />
      </span>
      <strong>{pct(share.p)}</strong> <span className="muted">[{pct(share.lo)}, {pct(share.hi)}]</span>
    </>
  );
}

function SummaryRow({ summary, label, minGroup }: { summary: ClientingSummary; label: string; minGroup: number }) {
  const t = useT();
  return (
    <tr>
      <th scope="row">{label}</th>
      <td className="num">{summary.n}</td>
      {summary.suppressed ? (
        <td colSpan={4} className="muted">
          {t("act.clienting.suppressed", { min: minGroup })}
        </td>
      ) : (
        <>
          <td>
            <ShareCell share={summary.index} />
          </td>
          <td>
            <ShareCell share={summary.knows} />
          </td>
          <td>
            <ShareCell share={summary.applies} />
          </td>
          <td>
            <ShareCell share={summary.supported} />
          </td>
        </>
      )}
    </tr>
  );
}

export default function ClientingPage() {
  const { slug, origin, query, pulses, report, trend, processRows, departmentCount, minGroup, canEdit, today } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const lang = useLang();
  const groupLabel = (key: string | null) => {
    if (key === null) return t("act.clienting.notStated");
    if (query.by === "group") return t(`act.clienting.group.${key}` as MessageKey);
    if (query.by === "roleLevel") return t(`act.clienting.role.${key}` as MessageKey);
    return key;
  };
  const overall = report.overall;
  const pct = (x: number) => formatPercent(x, lang, 0);

  return (
    <>
      <h1>{t("nav.clienting")}</h1>
      <p className="muted">{t("act.clienting.intro")}</p>

      <section className="card" aria-labelledby="overall">
        <div className="stat-row">
          <h2 id="overall" style={{ margin: 0 }}>
            {t("act.clienting.index")}
          </h2>
          {overall.index ? (
            <p style={{ margin: 0 }}>
            <span className="stat">{pct(overall.index.p)}</span>{" "}
            <span className="muted">
              [{pct(overall.index.lo)}, {pct(overall.index.hi)}] · n={overall.n}
            </span>
          </p>
          ) : (
            <p className="muted" style={{ margin: 0 }}>
              {overall.n === 0 ? t("act.clienting.noAnswers") : t("act.clienting.suppressed", { min: minGroup })}
            </p>
          )}
        </div>
        <p className="muted" style={{ marginBottom: 0 }}>
          {t("act.clienting.definition")}
        </p>
      </section>

      <Form method="get" className="row card" aria-label={t("act.clienting.view")}>
        <label htmlFor="c-pulse">
          {t("act.clienting.pulse")}
          <select id="c-pulse" name="pulse" defaultValue={query.pulse ?? ""}>
            <option value="">{t("act.clienting.allPulses")}</option>
            {pulses.map((p) => (
              <option key={p.id} value={p.id}>
                {p.title} ({p.opensOn})
              </option>
            ))}
          </select>
        </label>
        <label htmlFor="c-by">
          {t("act.clienting.by")}
          <select id="c-by" name="by" defaultValue={query.by}>
            {CLIENTING_GROUPINGS.map((g) => (
              <option key={g} value={g}>
                {t(`act.clienting.by.${g}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t("act.filter.apply")}</button>
      </Form>

      <h2 id="groups">{t(`act.clienting.by.${query.by}` as MessageKey)}</h2>
      {report.groups.length === 0 ? (
        <p>{t("act.clienting.noAnswers")}</p>
      ) : (
        <div className="table-wrap">
          <table aria-labelledby="groups">
            <thead>
              <tr>
                <th scope="col">{t(`act.clienting.by.${query.by}` as MessageKey)}</th>
                <th scope="col" className="num">n</th>
                <th scope="col">{t("act.clienting.index")}</th>
                <th scope="col">{t("act.clienting.knows")}</th>
                <th scope="col">{t("act.clienting.applies")}</th>
                <th scope="col">{t("act.clienting.supported")}</th>
              </tr>
            </thead>
            <tbody>
              {report.groups.map((g) => (
                <SummaryRow key={String(g.key)} summary={g} label={groupLabel(g.key)} minGroup={minGroup} />
              ))}
              <SummaryRow summary={overall} label={t("act.clienting.overall")} minGroup={minGroup} />
            </tbody>
          </table>
        </div>
      )}

      <h2 id="trend">{t("act.clienting.trend")}</h2>
      {trend.length === 0 ? (
        <p className="muted">{t("act.clienting.noAnswers")}</p>
      ) : trend.every((m) => !m.summary.index) ? (
        // Every month below the minimum group: say why rather than draw empty axes.
        <p className="muted" data-testid="clienting-trend-too-few">
          {t("trends.tooFewMonths", { n: trend.reduce((sum, m) => sum + m.summary.n, 0), minN: minGroup })}
        </p>
      ) : (
        <div className="chart-scroll">
          <EstimateSeries
            title={t("act.clienting.trend")}
            points={trend.map((m) => ({ label: m.month, value: m.summary.index?.p ?? null, lo: m.summary.index?.lo ?? null, hi: m.summary.index?.hi ?? null, n: m.summary.n }))}
            format={pct}
            include={[0, 1]}
          />
        </div>
      )}

      <h2 id="processes">{t("act.clienting.byProcess")}</h2>
      <p className="muted">{t("act.clienting.byProcessIntro")}</p>
      {processRows.length === 0 ? (
        <p>
          {t("act.clienting.noProcessLinks")}{" "}
          {canEdit ? <Link to={`/w/${slug}/settings#departments`}>{t("act.settings.departments")}</Link> : null}
        </p>
      ) : (
        <div className="table-wrap">
          <table aria-labelledby="processes">
            <thead>
              <tr>
                <th scope="col">{t("act.filter.process")}</th>
                <th scope="col">{t("act.settings.departments")}</th>
                <th scope="col" className="num">n</th>
                <th scope="col">{t("act.clienting.index")}</th>
              </tr>
            </thead>
            <tbody>
              {processRows.map((p) => (
                <tr key={p.id}>
                  <th scope="row">{p.name}</th>
                  <td>{p.departments.join(", ")}</td>
                  <td className="num">{p.n}</td>
                  <td>
                    {p.index === null || p.lo === null || p.hi === null ? (
                      <span className="muted">{p.n === 0 ? "—" : t("act.clienting.suppressed", { min: minGroup })}</span>
                    ) : (
                      <ShareCell share={{ yes: 0, n: p.n, p: p.index, lo: p.lo, hi: p.hi }} />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2 id="pulses">{t("act.clienting.pulses")}</h2>
      {pulses.length === 0 ? (
        <p>{t("act.clienting.noPulses")}</p>
      ) : (
        <div className="table-wrap">
          <table aria-labelledby="pulses">
            <thead>
              <tr>
                <th scope="col">{t("act.clienting.pulse")}</th>
                <th scope="col">{t("act.clienting.dates")}</th>
                <th scope="col" className="num">{t("act.clienting.answers")}</th>
                <th scope="col">{t("act.clienting.link")}</th>
                {canEdit ? <th scope="col">{t("common.actions")}</th> : null}
              </tr>
            </thead>
            <tbody>
              {pulses.map((p) => {
                const open = p.active && p.opensOn <= today && (p.closesOn === null || p.closesOn >= today);
                return (
                  <tr key={p.id}>
                    <td>
                      {p.title} <span className="muted">({open ? t("act.clienting.open") : t("act.clienting.closed")})</span>
                    </td>
                    <td className="nowrap">
                      {p.opensOn} – {p.closesOn ?? "…"}
                    </td>
                    <td className="num">{p.answers}</td>
                    <td className="break">
                      <a href={`${origin}/p/${p.publicToken}`}>
                        <code>{`${origin}/p/${p.publicToken}`}</code>
                      </a>
                    </td>
                    {canEdit ? (
                      <td>
                        <Form method="post">
                          <input type="hidden" name="id" value={p.id} />
                          <input type="hidden" name="active" value={p.active ? "0" : "1"} />
                          <button type="submit" name="intent" value="toggle" className="secondary small">
                            {p.active ? t("act.clienting.close") : t("act.clienting.reopen")}
                          </button>
                        </Form>
                      </td>
                    ) : null}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {canEdit ? (
        <NewPulseForm departmentCount={departmentCount} today={today} />
      ) : null}
    </>
  );
}

function NewPulseForm({ departmentCount, today }: { departmentCount: number; today: string }) {
  const result = useActionData<typeof action>();
  const t = useT();
  const [form, fields] = useSchemaForm(PulseSchema, {
    id: "pulse",
    lastResult: result?.intent === "create" ? result.result : undefined,
    defaultValue: { title: t("act.clienting.defaultTitle"), opensOn: today },
  });
  return (
    <Form method="post" className="card stack" aria-labelledby="new-pulse" style={{ marginTop: "1rem" }} {...getFormProps(form)} noValidate>
      <h3 id="new-pulse">{t("act.clienting.newPulse")}</h3>
      <p className="muted">{departmentCount === 0 ? t("act.clienting.noDepartments") : t("act.clienting.newPulseHint", { n: departmentCount })}</p>
      <input type="hidden" name="intent" value="create" />
      <FormErrors form={form} />
      <TextField label={t("act.innovations.title")} field={fields.title} />
      <div className="row">
        <TextField label={t("act.clienting.opens")} field={fields.opensOn} type="date" />
        <TextField label={t("act.clienting.closes")} field={fields.closesOn} type="date" />
      </div>
      <p>
        <button type="submit">{t("act.clienting.create")}</button>
      </p>
    </Form>
  );
}
