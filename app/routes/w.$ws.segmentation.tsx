// Segmentation settings of the workspace (behaviour window, variable weights, tier cut-offs), a
// preview of customers and revenue per tier before saving, and the recompute of tiers and RFM scores.
import { getFormProps, getInputProps, type SubmissionResult } from "@conform-to/react";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { requireMember } from "~/auth/guard.server";
import { can } from "~/auth/permissions";
import { RFM_SEGMENTS } from "~/cem/rfm";
import { BEHAVIOUR_VARIABLES, TIERS, segmentationSettingsSchema, type SegmentationSettings } from "~/cem/segmentation";
import { customerCount } from "~/data/customers.server";
import {
  loadSegmentationSettings,
  previewSegmentation,
  recomputeTiers,
  rfmSegmentCounts,
  saveSegmentationSettings,
  tierDistribution,
  type SegmentationPreview,
} from "~/data/segmentation.server";
import { FieldsetField, FormErrors, TextField } from "~/components/form/fields";
import { useSchemaForm } from "~/components/form/use-schema-form";
import { requestLang } from "~/i18n/lang.server";
import { translator, type MessageKey } from "~/i18n/messages";
import { useFormat, useLang, useT } from "~/i18n/use-t";
import { forbidden } from "~/web/responses.server";
import { recordAudit } from "~/data/audit.server";
import { clientAddress } from "~/web/context";
import { submissionOf } from "~/web/conform.server";
import { parseSubmission } from "~/web/form-schema";
import { readFormData } from "~/web/request-body.server";

// The form's schema, worded by message keys (app/web/form-schema.ts); percentages as typed (0–100),
// turned into the domain's shares by settingsOf.
const percent = z.number().min(0).max(100);
const SettingsFormSchema = z
  .object({
    windowDays: z.number().int().min(1).max(3650),
    w: z.object(Object.fromEntries(BEHAVIOUR_VARIABLES.map((v) => [v, z.number().min(0).max(100)])) as Record<(typeof BEHAVIOUR_VARIABLES)[number], typeof percent>),
    method: z.enum(["score_percentile", "revenue_share"]),
    premiumShare: percent,
    regularShare: percent,
    premiumRevenueShare: percent,
    regularRevenueShare: percent,
  })
  .refine((f) => BEHAVIOUR_VARIABLES.some((v) => f.w[v] > 0), { message: "seg.error.weights", path: ["w"] })
  .refine((f) => (f.method === "score_percentile" ? f.premiumShare + f.regularShare : f.premiumRevenueShare + f.regularRevenueShare) <= 100, {
    message: "seg.error.cutoff",
    path: ["method"],
  });
type SettingsForm = z.output<typeof SettingsFormSchema>;

function formOf(settings: SegmentationSettings): z.input<typeof SettingsFormSchema> {
  const c = settings.cutoff;
  const pct = (x: number) => Math.round(x * 1000) / 10;
  return {
    windowDays: settings.windowDays,
    w: settings.weights,
    method: c.method,
    premiumShare: pct(c.method === "score_percentile" ? c.premiumShare : 0.1),
    regularShare: pct(c.method === "score_percentile" ? c.regularShare : 0.3),
    premiumRevenueShare: pct(c.method === "revenue_share" ? c.premiumRevenueShare : 0.5),
    regularRevenueShare: pct(c.method === "revenue_share" ? c.regularRevenueShare : 0.3),
  };
}

/** The form as the domain's settings (the domain's own schema fills in what the form leaves out). */
function settingsOf(f: SettingsForm): SegmentationSettings {
  return segmentationSettingsSchema.parse({
    windowDays: f.windowDays,
    weights: f.w,
    cutoff:
      f.method === "score_percentile"
        ? { method: f.method, premiumShare: f.premiumShare / 100, regularShare: f.regularShare / 100 }
        : { method: f.method, premiumRevenueShare: f.premiumRevenueShare / 100, regularRevenueShare: f.regularRevenueShare / 100 },
  });
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace, role } = await requireMember(request, params.ws);
  return {
    slug: workspace.slug,
    saved: formOf(await loadSegmentationSettings(workspace.id)),
    distribution: await tierDistribution(workspace.id),
    rfm: await rfmSegmentCounts(workspace.id),
    customers: await customerCount(workspace.id),
    canEdit: can(role, "segmentation:edit"),
  };
}

type ActionResult = {
  intent: string;
  result?: SubmissionResult<string[]>;
  preview?: SegmentationPreview;
  saved?: boolean;
  recomputed?: { customers: number; changedTiers: number; durationMs: number };
};

export async function action({ request, params, context }: ActionFunctionArgs) {
  // Previewing writes nothing, so every member may try settings; saving and recomputing are for admins.
  const { workspace, role, user } = await requireMember(request, params.ws);
  const lang = await requestLang(request);
  const formData = await readFormData(request);
  if (!formData) return data({ intent: "", result: parseSubmission(new FormData(), SettingsFormSchema, lang).reply({ formErrors: [translator(lang)("form.unreadable")] }) } satisfies ActionResult, { status: 400 });
  const intent = String(formData.get("intent") ?? "");
  if (intent === "recompute") {
    if (!can(role, "segmentation:edit")) throw forbidden("segmentation:edit");
    const result = await recomputeTiers(workspace.id);
    return { intent, recomputed: { customers: result.customers, changedTiers: result.changedTiers, durationMs: result.durationMs } } satisfies ActionResult;
  }
  const submission = submissionOf(formData, SettingsFormSchema, lang);
  if (intent !== "preview" && intent !== "save") {
    return data({ intent, result: submission.reply({ formErrors: [translator(lang)("form.unknownAction")] }) } satisfies ActionResult, { status: 400 });
  }
  if (intent === "save" && !can(role, "segmentation:edit")) throw forbidden("segmentation:edit");
  if (submission.status !== "success") return data({ intent, result: submission.reply() } satisfies ActionResult, { status: 400 });
  const settings = settingsOf(submission.value);
  if (intent === "save") {
    await saveSegmentationSettings(workspace.id, settings);
    await recordAudit({ workspaceId: workspace.id, actorUserId: user.id, action: "settings.changed", target: "segmentation", detail: settings, ip: clientAddress(context) || null });
  }
  return { intent, result: submission.reply(), preview: await previewSegmentation(workspace.id, settings), saved: intent === "save" } satisfies ActionResult;
}

// Row headers keep the body text's look (the stylesheet's th is for column headers).
const rowHeader = { textTransform: "none", letterSpacing: 0, fontSize: "1rem", color: "var(--ink)", fontWeight: 600 } as const;

function TierTable({ rows, caption }: { rows: { tier: string; customers: number; revenue: number; revenueShare?: number }[]; caption: string }) {
  const t = useT();
  const lang = useLang();
  const f = useFormat();
  const total = rows.reduce((sum, r) => sum + r.revenue, 0);
  return (
    <div className="table-wrap">
      <table>
        <caption style={{ textAlign: "left", fontWeight: 700, paddingBottom: "0.4rem" }}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t("seg.col.tier")}</th>
            <th scope="col" className="num">
              {t("seg.col.customers")}
            </th>
            <th scope="col" className="num">
              {t("seg.col.revenue")}
            </th>
            <th scope="col" className="num">
              {t("seg.col.share")}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.tier}>
              <th scope="row" style={rowHeader}>
                {t((r.tier ? `crm.tier.${r.tier}` : "crm.tier.none") as MessageKey)}
              </th>
              <td className="num">{f.int(r.customers)}</td>
              <td className="num">{f.money(r.revenue, 0)}</td>
              <td className="num">
                {f.percent(r.revenueShare ?? (total > 0 ? r.revenue / total : 0))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default function SegmentationPage() {
  const { slug, saved, distribution, rfm, customers, canEdit } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const navigation = useNavigation();
  const t = useT();
  const lang = useLang();
  const f = useFormat();
  const [form, fields] = useSchemaForm(SettingsFormSchema, { id: "seg", lastResult: result?.result, defaultValue: saved });
  const weights = fields.w.getFieldset();
  const busy = navigation.state !== "idle";
  const current = TIERS.map((tier) => distribution.find((d) => d.tier === tier) ?? { tier, customers: 0, revenue: 0 });
  const never = distribution.find((d) => d.tier === "");
  const rfmRows = RFM_SEGMENTS.map((segment) => ({ segment, customers: rfm.find((r) => r.segment === segment)?.customers ?? 0 }));

  return (
    <>
      <h1>{t("seg.title")}</h1>
      <p className="muted">{t("seg.intro")}</p>
      {!canEdit ? <p className="notice">{t("seg.readonly")}</p> : null}
      {result?.recomputed ? (
        <p className="notice" role="status">
          {t("seg.recomputed", {
            customers: f.int(result.recomputed.customers),
            ms: f.int(result.recomputed.durationMs),
            changed: f.int(result.recomputed.changedTiers),
          })}
        </p>
      ) : null}
      {result?.saved ? (
        <p className="notice" role="status">
          {t("seg.saved")}
        </p>
      ) : null}

      <div className="grid">
        <section className="card">
          {customers === 0 ? <p>{t("seg.noCustomers")}</p> : null}
          <TierTable caption={t("seg.current")} rows={never ? [...current, never] : current} />
          {canEdit ? (
            <Form method="post" style={{ marginTop: "0.8rem" }}>
              <button type="submit" name="intent" value="recompute" disabled={busy}>
                {t("seg.recompute")}
              </button>
            </Form>
          ) : null}
        </section>
        <section className="card" aria-labelledby="rfm-title">
          <h2 id="rfm-title" style={{ marginTop: 0 }}>
            {t("seg.rfm")}
          </h2>
          <p className="muted">{t("seg.rfmIntro")}</p>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("seg.col.segment")}</th>
                  <th scope="col" className="num">
                    {t("seg.col.customers")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {rfmRows.map((r) => (
                  <tr key={r.segment}>
                    <th scope="row" style={rowHeader}>
                      <Link to={`/w/${slug}/customers?segment=${r.segment}`}>{t(`crm.rfm.${r.segment}` as MessageKey)}</Link>
                    </th>
                    <td className="num">{f.int(r.customers)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      </div>

      {result?.preview ? (
        <section className="card" aria-live="polite">
          <TierTable caption={result.saved ? t("seg.previewSaved") : t("seg.previewTitle")} rows={result.preview.tiers} />
          <p className="muted">
            {t("seg.buyers", {
              buyers: f.int(result.preview.buyers),
              customers: f.int(result.preview.customers),
              revenue: f.money(result.preview.revenue, 0),
            })}
          </p>
        </section>
      ) : null}

      <Form method="post" className="stack card" {...getFormProps(form)} noValidate>
        <FormErrors form={form} />
        <TextField field={fields.windowDays} label={t("seg.window")} type="number" step="1" min={1} max={3650} hint={t("seg.windowHint")} className="narrow-number" />
        <FieldsetField field={fields.w} legend={t("seg.weights")} hint={t("seg.weightsHint")}>
          <div className="row">
            {BEHAVIOUR_VARIABLES.map((v) => (
              <TextField key={v} field={weights[v]} label={t(`seg.var.${v}` as MessageKey)} type="number" step="any" min={0} max={100} className="narrow-number" />
            ))}
          </div>
        </FieldsetField>
        <FieldsetField field={fields.method} legend={t("seg.cutoff")}>
          {(
            [
              ["score_percentile", "premiumShare", "regularShare"],
              ["revenue_share", "premiumRevenueShare", "regularRevenueShare"],
            ] as const
          ).map(([method, premium, regular]) => {
            const { key, ...radio } = getInputProps(fields.method, { type: "radio", value: method });
            return (
              <div key={key ?? method} className="stack" style={{ marginBottom: "0.8rem" }}>
                <label className="check" htmlFor={`${fields.method.id}-${method}`}>
                  <input {...radio} id={`${fields.method.id}-${method}`} /> {t(`seg.method.${method}`)}
                </label>
                <div className="row" style={{ paddingLeft: "1.6rem" }}>
                  <TextField field={fields[premium]} label={t(`seg.${premium}`)} type="number" step="any" min={0} max={100} className="narrow-number" />
                  <TextField field={fields[regular]} label={t(`seg.${regular}`)} type="number" step="any" min={0} max={100} className="narrow-number" />
                </div>
              </div>
            );
          })}
        </FieldsetField>
        <p className="muted">{t("seg.defaults")}</p>
        <div className="actions">
          <button type="submit" name="intent" value="preview" className="secondary" disabled={busy}>
            {t("seg.preview")}
          </button>
          {canEdit ? (
            <button type="submit" name="intent" value="save" disabled={busy}>
              {t("seg.save")}
            </button>
          ) : null}
        </div>
      </Form>
    </>
  );
}
