// Workspace settings (admins): the minimum n below which means are withheld, the case rules, the SLA
// by tier with optional business hours, webhook endpoints with their delivery log, and departments
// with the processes they run.
import { data, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireMember } from "~/auth/guard.server";
import { caseRuleSettingsSchema } from "~/cem/case-rules";
import { slaSettingsSchema } from "~/cem/sla";
import actCss from "~/components/act/act.css?url";
import { CaseRulesForm, Saved, SlaForm } from "~/components/act/CaseSettingsForms";
import { DepartmentSettings } from "~/components/act/DepartmentSettings";
import { WebhookSettings } from "~/components/act/WebhookSettings";
import { Field } from "~/components/Field";
import { loadActSettings, saveCaseRules, saveSlaSettings } from "~/data/case-rules.server";
import { createDepartment, deleteDepartment, departmentNameSchema, listDepartments, setDepartmentProcesses } from "~/data/clienting.server";
import { listProcesses } from "~/data/processes.server";
import { ensureWebhookWorker, kickWebhookDelivery } from "~/data/webhook-delivery.server";
import {
  WEBHOOK_EVENTS,
  createEndpoint,
  deleteEndpoint,
  endpointInputSchema,
  listDeliveries,
  listEndpoints,
  redeliver,
  rotateEndpointSecret,
  setEndpointActive,
} from "~/data/webhooks.server";
import { EMBED_INTENT, EmbedOriginsForm } from "~/components/EmbedOriginsForm";
import { LOCALE_INTENT, LocaleForm } from "~/components/screens/LocaleForm";
import { updateBrandName, updateEmbedOrigins, updateWorkspaceLocale, updateWorkspaceSettings, workspaceBrandName, workspaceEmbedOrigins } from "~/data/workspaces.server";
import { isCurrency, isTimeZone, knownTimeZones } from "~/i18n/format";
import { requestLang } from "~/i18n/lang.server";
import { translator } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";
import { notFound } from "~/web/responses.server";
import { zodErrors } from "~/web/form.server";
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
  values?: Record<string, string>;
  secret?: { endpointId: number; value: string };
};

const id = z.coerce.number().int().positive();
const on = (formData: FormData, name: string) => formData.get(name) === "on";
const text = (formData: FormData, name: string) => {
  const v = formData.get(name);
  return typeof v === "string" ? v : "";
};
/** A number field: "" is missing (zod says so), anything else is coerced and judged by the schema. */
const num = (formData: FormData, name: string) => {
  const v = text(formData, name).trim();
  return v === "" ? undefined : Number(v);
};

const MinNSchema = z.object({
  minN: z.coerce.number({ error: "Enter a whole number" }).int("Enter a whole number").min(2, "Use at least 2").max(1000, "Use at most 1000"),
});

function ok(intent: string, extra: Partial<Result> = {}) {
  return data<Result>({ intent, ok: true, errors: {}, ...extra });
}
function invalid(intent: string, errors: Record<string, string>, values?: Record<string, string>) {
  return data<Result>({ intent, ok: false, errors, values }, { status: 400 });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { workspace, user } = await requireMember(request, params.ws, "settings:edit");
  const formData = await request.formData();
  const intent = text(formData, "intent");
  const ws = workspace.id;
  // A change that succeeded, with its audit line: the section and what was submitted.
  const saved = async (section: string, extra: Partial<Result> = {}) => {
    await recordAudit({ workspaceId: ws, actorUserId: user.id, action: "settings.changed", target: section, detail: formDetail(formData), ip: clientAddress(context) || null });
    return ok(section, extra);
  };

  switch (intent) {
    case "minN": {
      const parsed = MinNSchema.safeParse({ minN: text(formData, "minN") });
      if (!parsed.success) return invalid(intent, zodErrors(parsed.error));
      await updateWorkspaceSettings(ws, parsed.data);
      return saved(intent);
    }
    case "rules": {
      const words = text(formData, "words")
        .split(/[\n,;]+/)
        .map((w) => w.trim())
        .filter(Boolean);
      const parsed = caseRuleSettingsSchema.safeParse({
        detractor: { enabled: on(formData, "detractor") },
        gap: { enabled: on(formData, "gap"), threshold: num(formData, "gapThreshold") ?? -2 },
        lowCsat: { enabled: on(formData, "lowCsat") },
        keywords: { enabled: on(formData, "keywords"), words },
      });
      if (!parsed.success) {
        const errors: Record<string, string> = {};
        for (const issue of parsed.error.issues) {
          const key = issue.path[0] === "gap" ? "gapThreshold" : issue.path[0] === "keywords" ? "words" : "_form";
          errors[key] ??= issue.code === "invalid_type" ? "Enter a number, e.g. -2" : issue.message;
        }
        return invalid(intent, errors);
      }
      if (parsed.data.keywords.enabled && parsed.data.keywords.words.length === 0) {
        return invalid(intent, { words: "Enter at least one keyword, or turn the keyword rule off" });
      }
      await saveCaseRules(ws, parsed.data, user.id);
      return saved(intent);
    }
    case "sla": {
      const businessHours = on(formData, "businessHours")
        ? {
            days: formData.getAll("days").map(Number),
            start: text(formData, "start"),
            end: text(formData, "end"),
            utcOffsetMinutes: Math.round((num(formData, "utcOffset") ?? 0) * 60),
          }
        : null;
      const parsed = slaSettingsSchema.safeParse({
        hoursByTier: { premium: num(formData, "premium"), regular: num(formData, "regular"), generic: num(formData, "generic") },
        businessHours,
      });
      if (!parsed.success) {
        const errors: Record<string, string> = {};
        for (const issue of parsed.error.issues) {
          const field = issue.path[issue.path.length - 1];
          const key = field === "utcOffsetMinutes" ? "utcOffset" : String(field ?? "_form");
          errors[key] ??= issue.code === "invalid_type" ? "Enter a number of hours" : issue.message;
        }
        return invalid(intent, errors);
      }
      await saveSlaSettings(ws, parsed.data, user.id);
      return saved(intent);
    }
    case "endpoint-create": {
      const values = { url: text(formData, "url"), description: text(formData, "description") };
      const parsed = endpointInputSchema.safeParse({ ...values, events: formData.getAll("events") });
      if (!parsed.success) return invalid(intent, zodErrors(parsed.error), values);
      const created = await createEndpoint(ws, parsed.data, user.id);
      if (!created.ok) return invalid(intent, { _form: created.message }, values);
      return saved(intent, { secret: { endpointId: created.id, value: created.secret } });
    }
    case "endpoint-toggle":
    case "endpoint-rotate":
    case "endpoint-delete":
    case "redeliver":
    case "department-processes":
    case "department-delete": {
      const target = id.safeParse(text(formData, "id"));
      if (!target.success) return invalid(intent, { _form: "The form is missing which item to change; reload the page." });
      const targetId = target.data;
      if (intent === "endpoint-toggle") {
        if (!(await setEndpointActive(ws, targetId, text(formData, "active") === "1"))) throw notFound();
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
        if (!(await redeliver(ws, targetId))) return invalid(intent, { _form: "That delivery is not waiting or failed any more; reload the log." });
        kickWebhookDelivery();
        return ok(intent);
      }
      if (intent === "department-delete") {
        if (!(await deleteDepartment(ws, targetId))) throw notFound();
        return saved(intent);
      }
      const processIds = formData.getAll("processIds").map(Number);
      if (processIds.some((p) => !Number.isSafeInteger(p) || p <= 0)) return invalid(intent, { _form: "Choose processes from the list." });
      if (!(await setDepartmentProcesses(ws, targetId, processIds))) throw notFound();
      return saved(intent);
    }
    case "department-create": {
      const parsed = departmentNameSchema.safeParse(text(formData, "name"));
      if (!parsed.success) return invalid(intent, { name: parsed.error.issues[0].message });
      const created = await createDepartment(ws, parsed.data);
      if (!created.ok) return invalid(intent, { name: created.message });
      return saved(intent);
    }
    case LOCALE_INTENT: {
      const values = { timeZone: text(formData, "timeZone").trim(), currency: text(formData, "currency").trim().toUpperCase() };
      const t = translator(await requestLang(request));
      const LocaleSchema = z.object({
        timeZone: z.string().refine(isTimeZone, t("locale.badTimeZone")),
        currency: z.string().refine(isCurrency, t("locale.badCurrency")),
      });
      const parsed = LocaleSchema.safeParse(values);
      if (!parsed.success) return invalid(intent, zodErrors(parsed.error), values);
      await updateWorkspaceLocale(ws, parsed.data);
      return saved(intent);
    }
    case "brand": {
      // The brand generated surveys and messages name; the message is a key of messages/bilingual.ts.
      const parsed = z.string().trim().max(100).refine((v) => !/[\r\n]/.test(v)).safeParse(text(formData, "brandName"));
      if (!parsed.success) return invalid(intent, { brandName: "brand.error" }, { brandName: text(formData, "brandName") });
      await updateBrandName(ws, parsed.data);
      return saved(intent);
    }
    case EMBED_INTENT: {
      // Sites allowed to frame the respondent pages; the message says which origin is wrong, in the admin's language.
      const typed = text(formData, "embedOrigins");
      const parsed = parseEmbedOrigins(typed);
      if (!parsed.ok) {
        const t = translator(await requestLang(request));
        return invalid(intent, { embedOrigins: t(`embed.${parsed.problem}`, { origin: parsed.origin, max: MAX_EMBED_ORIGINS }) }, { embedOrigins: typed });
      }
      await updateEmbedOrigins(ws, parsed.origins);
      return saved(intent);
    }
    default:
      return invalid(intent, { _form: "Unknown action; reload the page and try again." });
  }
}

export default function SettingsPage() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const minNErrors = result && !result.ok && result.intent === "minN" ? result.errors : {};
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
      <Form method="post" className="card stack" aria-labelledby="analysis">
        <Saved feedback={result} intent="minN" />
        <input type="hidden" name="intent" value="minN" />
        <div className="row">
          <Field
            label={t("act.settings.minN")}
            name="minN"
            id="min-n"
            type="number"
            min="2"
            max="1000"
            step="1"
            required
            defaultValue={String(loaded.minN)}
            error={minNErrors.minN}
            hint={t("act.settings.minNHint")}
          />
          <button type="submit">{t("act.settings.save")}</button>
        </div>
      </Form>
      <LocaleForm timeZone={loaded.timeZone} currency={loaded.currency} timeZones={loaded.timeZones} feedback={result} />

      <h2 id="brand">{t("brand.title")}</h2>
      <Form method="post" className="card stack" aria-labelledby="brand">
        <Saved feedback={result} intent="brand" />
        <input type="hidden" name="intent" value="brand" />
        <div className="row">
          <Field
            label={t("brand.name")}
            name="brandName"
            id="brand-name"
            maxLength={100}
            defaultValue={result?.intent === "brand" ? result.values?.brandName : loaded.brandName}
            error={result && !result.ok && result.intent === "brand" ? t("brand.error") : undefined}
            hint={t("brand.hint")}
          />
          <button type="submit">{t("brand.save")}</button>
        </div>
      </Form>

      <h2 id="cases">{t("act.settings.cases")}</h2>
      <CaseRulesForm rules={loaded.caseRules} feedback={result} />
      <SlaForm sla={loaded.sla} feedback={result} />

      <h2 id="webhooks">{t("act.settings.webhooks")}</h2>
      <WebhookSettings endpoints={loaded.endpoints} deliveries={loaded.deliveries} events={loaded.events} feedback={result} secret={result?.secret ?? null} />

      <h2 id="departments">{t("act.settings.departments")}</h2>
      <DepartmentSettings departments={loaded.departments} processes={loaded.processes} feedback={result} />

      <h2 id="embedding">{t("embed.title")}</h2>
      <EmbedOriginsForm origins={loaded.embedOrigins} feedback={result} />
    </>
  );
}
