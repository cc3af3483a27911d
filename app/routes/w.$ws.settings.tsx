// Workspace settings (admins): the minimum n below which means are withheld, the case rules, the SLA
// by tier with optional business hours, webhook endpoints with their delivery log, and departments
// with the processes they run.
import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { data, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireMember } from "~/auth/guard.server";
import { caseRuleSettingsSchema } from "~/cem/case-rules";
import { slaSettingsSchema } from "~/cem/sla";
import actCss from "~/components/act/act.css?url";
import { CaseRulesForm, Saved, SlaForm, replyFor, type FormFeedback } from "~/components/act/CaseSettingsForms";
import { TextField } from "~/components/form/fields";
import { useSchemaForm } from "~/components/form/use-schema-form";
import { DepartmentSettings } from "~/components/act/DepartmentSettings";
import { WebhookSettings } from "~/components/act/WebhookSettings";
import { loadActSettings, saveCaseRules, saveSlaSettings } from "~/data/case-rules.server";
import { createDepartment, deleteDepartment, listDepartments, setDepartmentProcesses } from "~/data/clienting.server";
import { listProcesses } from "~/data/processes.server";
import { ensureWebhookWorker, kickWebhookDelivery } from "~/data/webhook-delivery.server";
import {
  WEBHOOK_EVENTS,
  createEndpoint,
  deleteEndpoint,
  listDeliveries,
  listEndpoints,
  redeliver,
  rotateEndpointSecret,
  setEndpointActive,
  webhookUrlSchema,
} from "~/data/webhooks.server";
import { EMBED_INTENT, EmbedOriginsForm } from "~/components/EmbedOriginsForm";
import { LOCALE_INTENT, LocaleForm } from "~/components/screens/LocaleForm";
import { updateBrandName, updateEmbedOrigins, updateWorkspaceLocale, updateWorkspaceSettings, workspaceBrandName, workspaceEmbedOrigins } from "~/data/workspaces.server";
import { knownTimeZones } from "~/i18n/format";
import { requestLang } from "~/i18n/lang.server";
import { translator, type MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";
import { notFound } from "~/web/responses.server";
import { readFormData } from "~/web/request-body.server";
import { submissionOf } from "~/web/conform.server";
import { BrandSchema, CaseRulesSchema, DepartmentSchema, EmbedOriginsSchema, LocaleSchema, MinNSchema, SlaSchema, endpointSchema, keywordsOf } from "~/components/act/settings-schemas";
import { MAX_EMBED_ORIGINS, parseEmbedOrigins } from "~/web/embed-origins.server";
import { formDetail, recordAudit } from "~/data/audit.server";
import { clientAddress } from "~/web/context";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: actCss }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace } = await requireMember(request, params.ws, "settings:edit");
  ensureWebhookWorker();
  const settings = await loadActSettings(workspace.id);
  return {
    slug: workspace.slug,
    minN: workspace.minN,
    timeZone: workspace.timeZone,
    currency: workspace.currency,
    timeZones: knownTimeZones(),
    caseRules: settings.caseRules,
    sla: settings.sla,
    endpoints: await listEndpoints(workspace.id),
    deliveries: await listDeliveries(workspace.id),
    events: WEBHOOK_EVENTS,
    departments: await listDepartments(workspace.id),
    processes: (await listProcesses(workspace.id)).map((p) => ({ id: p.id, name: p.name })),
    embedOrigins: (await workspaceEmbedOrigins(workspace.id)).split(" ").filter(Boolean),
    brandName: await workspaceBrandName(workspace.id),
  };
}

type Result = {
  intent: string;
  ok: boolean;
  errors: Record<string, string>;
  secret?: { endpointId: number; value: string };
  /** A conform form's reply: its messages and what was typed. */
  reply?: SubmissionResult<string[]>;
};

/** The buttons that act on one listed item (an endpoint, a delivery, a department). */
const TargetSchema = z.object({ id: z.number().int().positive(), active: z.enum(["0", "1"]).optional(), processIds: z.array(z.number().int().positive()).optional().default([]) });

function ok(intent: string, extra: Partial<Result> = {}) {
  return data<Result>({ intent, ok: true, errors: {}, ...extra });
}
function invalid(intent: string, errors: Record<string, string>) {
  return data<Result>({ intent, ok: false, errors }, { status: 400 });
}
function refused(intent: string, reply: SubmissionResult<string[]>) {
  return data<Result>({ intent, ok: false, errors: {}, reply }, { status: 400 });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { workspace, user } = await requireMember(request, params.ws, "settings:edit");
  const lang = await requestLang(request);
  const t = translator(lang);
  const formData = await readFormData(request);
  if (formData === null) return invalid("", { _form: t("form.unreadable") });
  const intent = String(formData.get("intent") ?? "");
  const ws = workspace.id;
  const parse = <S extends z.ZodType>(schema: S) => submissionOf(formData, schema, lang);
  // A change that succeeded, with its audit line: the section and what was submitted.
  const saved = async (section: string, extra: Partial<Result> = {}) => {
    await recordAudit({ workspaceId: ws, actorUserId: user.id, action: "settings.changed", target: section, detail: formDetail(formData), ip: clientAddress(context) || null });
    return ok(section, extra);
  };

  switch (intent) {
    case "minN": {
      const form = parse(MinNSchema);
      if (form.status !== "success") return refused(intent, form.reply());
      await updateWorkspaceSettings(ws, form.value);
      return saved(intent);
    }
    case "rules": {
      const form = parse(CaseRulesSchema);
      if (form.status !== "success") return refused(intent, form.reply());
      const r = form.value;
      // The domain's own schema has the last word; its messages are English, so the form says it in the admin's language.
      const parsed = caseRuleSettingsSchema.safeParse({
        detractor: { enabled: r.detractor },
        gap: { enabled: r.gap, threshold: r.gapThreshold },
        lowCsat: { enabled: r.lowCsat },
        keywords: { enabled: r.keywords, words: keywordsOf(r.words) },
      });
      if (!parsed.success) return refused(intent, form.reply({ formErrors: [t("act.settings.form.refused")] }));
      await saveCaseRules(ws, parsed.data, user.id);
      return saved(intent);
    }
    case "sla": {
      const form = parse(SlaSchema);
      if (form.status !== "success") return refused(intent, form.reply());
      const v = form.value;
      const parsed = slaSettingsSchema.safeParse({
        hoursByTier: { premium: v.premium, regular: v.regular, generic: v.generic },
        businessHours: v.businessHours ? { days: v.days, start: v.start, end: v.end, utcOffsetMinutes: Math.round(v.utcOffset * 60) } : null,
      });
      if (!parsed.success) return refused(intent, form.reply({ formErrors: [t("act.settings.form.refused")] }));
      await saveSlaSettings(ws, parsed.data, user.id);
      return saved(intent);
    }
    case "endpoint-create": {
      const form = parse(endpointSchema(WEBHOOK_EVENTS));
      if (form.status !== "success") return refused(intent, form.reply());
      // The server's own word on the URL: a private or local host, plain http outside development.
      const url = webhookUrlSchema.safeParse(form.value.url);
      if (!url.success) return refused(intent, form.reply({ fieldErrors: { url: [t(url.error.issues[0].message as MessageKey)] } }));
      const created = await createEndpoint(ws, { ...form.value, url: url.data }, user.id);
      if (!created.ok) return refused(intent, form.reply({ formErrors: [t(created.reason, { max: created.max })] }));
      return saved(intent, { secret: { endpointId: created.id, value: created.secret }, reply: form.reply({ resetForm: true }) });
    }
    case "endpoint-toggle":
    case "endpoint-rotate":
    case "endpoint-delete":
    case "redeliver":
    case "department-processes":
    case "department-delete": {
      const target = parse(TargetSchema);
      if (target.status !== "success") return invalid(intent, { _form: t("settings.form.target") });
      const targetId = target.value.id;
      if (intent === "endpoint-toggle") {
        if (!(await setEndpointActive(ws, targetId, target.value.active === "1"))) throw notFound();
        return saved(intent);
      }
      if (intent === "endpoint-rotate") {
        const secret = await rotateEndpointSecret(ws, targetId);
        if (!secret) throw notFound();
        return saved(intent, { secret: { endpointId: targetId, value: secret } });
      }
      if (intent === "endpoint-delete") {
        if (!(await deleteEndpoint(ws, targetId))) throw notFound();
        return saved(intent);
      }
      if (intent === "redeliver") {
        if (!(await redeliver(ws, targetId))) return invalid(intent, { _form: t("settings.form.redeliver") });
        kickWebhookDelivery();
        return ok(intent);
      }
      if (intent === "department-delete") {
        if (!(await deleteDepartment(ws, targetId))) throw notFound();
        return saved(intent);
      }
      if (!(await setDepartmentProcesses(ws, targetId, target.value.processIds))) throw notFound();
      return saved(intent);
    }
    case "department-create": {
      const form = parse(DepartmentSchema);
      if (form.status !== "success") return refused(intent, form.reply());
      const created = await createDepartment(ws, form.value.name);
      if (!created.ok) return refused(intent, form.reply({ fieldErrors: { name: [t(created.reason, { name: form.value.name })] } }));
      return saved(intent);
    }
    case LOCALE_INTENT: {
      const form = parse(LocaleSchema);
      if (form.status !== "success") return refused(intent, form.reply());
      await updateWorkspaceLocale(ws, form.value);
      return saved(intent);
    }
    case "brand": {
      const form = parse(BrandSchema);
      if (form.status !== "success") return refused(intent, form.reply());
      await updateBrandName(ws, form.value.brandName);
      return saved(intent);
    }
    case EMBED_INTENT: {
      // Sites allowed to frame the respondent pages; the message says which origin is wrong, in the admin's language.
      const form = parse(EmbedOriginsSchema);
      if (form.status !== "success") return refused(intent, form.reply());
      const parsed = parseEmbedOrigins(form.value.embedOrigins);
      if (!parsed.ok) {
        return refused(intent, form.reply({ fieldErrors: { embedOrigins: [t(`embed.${parsed.problem}`, { origin: parsed.origin, max: MAX_EMBED_ORIGINS })] } }));
      }
      await updateEmbedOrigins(ws, parsed.origins);
      return saved(intent);
    }
    default:
      return invalid(intent, { _form: t("form.unknownAction") });
  }
}

export default function SettingsPage() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  return (
    <>
      <h1>{t("nav.settings")}</h1>
      <nav aria-label={t("act.settings.sections")}>
        <p className="actions">
          <a href="#analysis">{t("act.settings.analysis")}</a> · <a href="#cases">{t("act.settings.cases")}</a> · <a href="#webhooks">{t("act.settings.webhooks")}</a> ·{" "}
          <a href="#departments">{t("act.settings.departments")}</a> · <a href="#embedding">{t("embed.title")}</a> · <Link to={`/w/${loaded.slug}/jobs`}>{t("jobs.link")}</Link> ·{" "}
          <Link to={`/w/${loaded.slug}/audit`}>{t("audit.link")}</Link> · <a href="#brand">{t("brand.title")}</a> ·{" "}
          <Link to={`/w/${loaded.slug}/sms`}>{t("sms.link")}</Link>
        </p>
      </nav>

      <h2 id="analysis">{t("act.settings.analysis")}</h2>
      <MinNForm minN={loaded.minN} feedback={result} />
      <LocaleForm timeZone={loaded.timeZone} currency={loaded.currency} timeZones={loaded.timeZones} feedback={result} />

      <h2 id="brand">{t("brand.title")}</h2>
      <BrandForm brandName={loaded.brandName} feedback={result} />

      <h2 id="cases">{t("act.settings.cases")}</h2>
      <CaseRulesForm rules={loaded.caseRules} feedback={result} />
      <SlaForm sla={loaded.sla} feedback={result} />

      <h2 id="webhooks">{t("act.settings.webhooks")}</h2>
      <WebhookSettings endpoints={loaded.endpoints} deliveries={loaded.deliveries} events={loaded.events} feedback={result} secret={result?.secret ?? null} />

      <h2 id="departments">{t("act.settings.departments")}</h2>
      <DepartmentSettings departments={loaded.departments} processes={loaded.processes} feedback={result} />

      <h2 id="embedding">{t("embed.title")}</h2>
      <EmbedOriginsForm key={loaded.embedOrigins.join("\n")} origins={loaded.embedOrigins} feedback={result} />
    </>
  );
}

function MinNForm({ minN, feedback }: { minN: number; feedback: FormFeedback }) {
  const t = useT();
  const [form, fields] = useSchemaForm(MinNSchema, { id: "analysis", lastResult: replyFor(feedback, "minN"), defaultValue: { minN: String(minN) } });
  return (
    <Form method="post" className="card stack" aria-labelledby="analysis" {...getFormProps(form)} noValidate>
      <Saved feedback={feedback} intent="minN" />
      <input type="hidden" name="intent" value="minN" />
      <div className="row">
        <TextField label={t("act.settings.minN")} field={fields.minN} type="number" step="1" hint={t("act.settings.minNHint")} />
        <button type="submit">{t("act.settings.save")}</button>
      </div>
    </Form>
  );
}

function BrandForm({ brandName, feedback }: { brandName: string; feedback: FormFeedback }) {
  const t = useT();
  const [form, fields] = useSchemaForm(BrandSchema, { id: "brand", lastResult: replyFor(feedback, "brand"), defaultValue: { brandName } });
  return (
    <Form method="post" className="card stack" aria-labelledby="brand" {...getFormProps(form)} noValidate>
      <Saved feedback={feedback} intent="brand" />
      <input type="hidden" name="intent" value="brand" />
      <div className="row">
        <TextField label={t("brand.name")} field={fields.brandName} hint={t("brand.hint")} />
        <button type="submit">{t("brand.save")}</button>
      </div>
    </Form>
  );
}
