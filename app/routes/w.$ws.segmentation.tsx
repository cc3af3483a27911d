// Segmentation settings of the workspace (behaviour window, variable weights, tier cut-offs), a
// preview of customers and revenue per tier before saving, and the recompute of tiers and RFM scores.
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
import type { MessageKey } from "~/i18n/messages";
import { useFormat, useLang, useT } from "~/i18n/use-t";
import { forbidden } from "~/web/responses.server";
import { recordAudit } from "~/data/audit.server";
import { clientAddress } from "~/web/context";

const percent = (label: string) =>
  z.coerce
    .number({ error: `${label}: enter a percentage between 0 and 100.` })
    .min(0, `${label}: enter a percentage between 0 and 100.`)
    .max(100, `${label}: enter a percentage between 0 and 100.`);
const weight = z.coerce
  .number({ error: "Enter a weight between 0 and 100." })
  .min(0, "Enter a weight between 0 and 100.")
  .max(100, "Enter a weight between 0 and 100.");

const SettingsForm = z.object({
  windowDays: z.coerce
    .number({ error: "Enter the window in days (1 to 3650)." })
    .int("Enter whole days.")
    .min(1, "Enter the window in days (1 to 3650).")
    .max(3650, "Enter the window in days (1 to 3650)."),
  ...Object.fromEntries(BEHAVIOUR_VARIABLES.map((v) => [`w.${v}`, weight])),
  method: z.enum(["score_percentile", "revenue_share"], { error: "Choose how tiers are cut." }),
  premiumShare: percent("Premium"),
  regularShare: percent("Regular"),
  premiumRevenueShare: percent("Premium"),
  regularRevenueShare: percent("Regular"),
});

type FormValues = Record<string, string>;

function valuesOf(settings: SegmentationSettings): FormValues {
  const c = settings.cutoff;
  const pct = (x: number) => String(Math.round(x * 1000) / 10);
  return {
    windowDays: String(settings.windowDays),
    ...Object.fromEntries(BEHAVIOUR_VARIABLES.map((v) => [`w.${v}`, String(settings.weights[v])])),
    method: c.method,
    premiumShare: pct(c.method === "score_percentile" ? c.premiumShare : 0.1),
    regularShare: pct(c.method === "score_percentile" ? c.regularShare : 0.3),
    premiumRevenueShare: pct(c.method === "revenue_share" ? c.premiumRevenueShare : 0.5),
    regularRevenueShare: pct(c.method === "revenue_share" ? c.regularRevenueShare : 0.3),
  };
}

/** The form as settings, or the messages to show beside its fields. */
function settingsFrom(values: FormValues): { ok: true; settings: SegmentationSettings } | { ok: false; errors: Record<string, string> } {
  const form = SettingsForm.safeParse(values);
  if (!form.success) {
    const errors: Record<string, string> = {};
    for (const issue of form.error.issues) errors[String(issue.path[0] ?? "_form")] ??= issue.message;
    return { ok: false, errors };
  }
  const f = form.data as z.output<typeof SettingsForm> & Record<string, number>;
  const parsed = segmentationSettingsSchema.safeParse({
    windowDays: f.windowDays,
    weights: Object.fromEntries(BEHAVIOUR_VARIABLES.map((v) => [v, f[`w.${v}`]])),
    cutoff:
      f.method === "score_percentile"
        ? { method: f.method, premiumShare: f.premiumShare / 100, regularShare: f.regularShare / 100 }
        : { method: f.method, premiumRevenueShare: f.premiumRevenueShare / 100, regularRevenueShare: f.regularRevenueShare / 100 },
  });
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? "_form")] ??= issue.message;
    return { ok: false, errors };
  }
  return { ok: true, settings: parsed.data };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace, role } = await requireMember(request, params.ws);
  return {
    slug: workspace.slug,
    values: valuesOf(await loadSegmentationSettings(workspace.id)),
    distribution: await tierDistribution(workspace.id),
    rfm: await rfmSegmentCounts(workspace.id),
    customers: await customerCount(workspace.id),
    canEdit: can(role, "segmentation:edit"),
  };
}

type ActionResult = {
  intent: string;
  values?: FormValues;
  errors?: Record<string, string>;
  preview?: SegmentationPreview;
  saved?: boolean;
  recomputed?: { customers: number; changedTiers: number; durationMs: number };
};

export async function action({ request, params, context }: ActionFunctionArgs) {
  // Previewing writes nothing, so every member may try settings; saving and recomputing are for admins.
  const { workspace, role, user } = await requireMember(request, params.ws);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  if (intent === "recompute") {
    if (!can(role, "segmentation:edit")) throw forbidden("segmentation:edit");
    const result = await recomputeTiers(workspace.id);
    return { intent, recomputed: { customers: result.customers, changedTiers: result.changedTiers, durationMs: result.durationMs } } satisfies ActionResult;
  }
  if (intent !== "preview" && intent !== "save") {
    return data({ intent, errors: { _form: "Choose Preview, Save or Recompute." } } satisfies ActionResult, { status: 400 });
  }
  if (intent === "save" && !can(role, "segmentation:edit")) throw forbidden("segmentation:edit");
  const values: FormValues = {};
  for (const [key, value] of form.entries()) if (typeof value === "string") values[key] = value;
  const parsed = settingsFrom(values);
  if (!parsed.ok) return data({ intent, values, errors: parsed.errors } satisfies ActionResult, { status: 400 });
  if (intent === "save") {
    await saveSegmentationSettings(workspace.id, parsed.settings);
    await recordAudit({ workspaceId: workspace.id, actorUserId: user.id, action: "settings.changed", target: "segmentation", detail: parsed.settings, ip: clientAddress(context) || null });
  }
  return { intent, values, preview: await previewSegmentation(workspace.id, parsed.settings), saved: intent === "save" } satisfies ActionResult;
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

function NumberField({ name, label, values, errors, step = "any", min = 0, max = 100 }: {
  name: string;
  label: string;
  values: FormValues;
  errors: Record<string, string>;
  step?: string;
  min?: number;
  max?: number;
}) {
  const id = `f-${name.replace(/\W/g, "-")}`;
  return (
    <label htmlFor={id}>
      {label}
      <input
        id={id}
        name={name}
        type="number"
        inputMode="decimal"
        step={step}
        min={min}
        max={max}
        defaultValue={values[name]}
        aria-invalid={errors[name] ? true : undefined}
        aria-describedby={errors[name] ? `${id}-error` : undefined}
        style={{ maxWidth: "10rem" }}
      />
      {errors[name] ? (
        <span id={`${id}-error`} className="field-error">
          {errors[name]}
        </span>
      ) : null}
    </label>
  );
}

export default function SegmentationPage() {
  const { slug, values: saved, distribution, rfm, customers, canEdit } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const navigation = useNavigation();
  const t = useT();
  const lang = useLang();
  const f = useFormat();
  const values = result?.values ?? saved;
  const errors = result?.errors ?? {};
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
      {errors._form ? (
        <p className="notice error" role="alert">
          {errors._form}
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

      <Form method="post" className="stack card" key={JSON.stringify(saved)}>
        <NumberField name="windowDays" label={t("seg.window")} values={values} errors={errors} step="1" min={1} max={3650} />
        <span className="muted">{t("seg.windowHint")}</span>
        <fieldset aria-describedby="weights-hint">
          <legend>{t("seg.weights")}</legend>
          <p id="weights-hint" className="muted">
            {t("seg.weightsHint")}
          </p>
          <div className="row">
            {BEHAVIOUR_VARIABLES.map((v) => (
              <NumberField key={v} name={`w.${v}`} label={t(`seg.var.${v}` as MessageKey)} values={values} errors={errors} />
            ))}
          </div>
          {errors.weights ? (
            <p className="field-error" role="alert">
              {errors.weights}
            </p>
          ) : null}
        </fieldset>
        <fieldset>
          <legend>{t("seg.cutoff")}</legend>
          {(
            [
              ["score_percentile", "premiumShare", "regularShare"],
              ["revenue_share", "premiumRevenueShare", "regularRevenueShare"],
            ] as const
          ).map(([method, premium, regular]) => (
            <div key={method} className="stack" style={{ marginBottom: "0.8rem" }}>
              <label className="check">
                <input type="radio" name="method" value={method} defaultChecked={values.method === method} /> {t(`seg.method.${method}`)}
              </label>
              <div className="row" style={{ paddingLeft: "1.6rem" }}>
                <NumberField name={premium} label={t(`seg.${premium}`)} values={values} errors={errors} />
                <NumberField name={regular} label={t(`seg.${regular}`)} values={values} errors={errors} />
              </div>
            </div>
          ))}
          {errors.cutoff || errors.method ? (
            <p className="field-error" role="alert">
              {errors.cutoff ?? errors.method}
            </p>
          ) : null}
        </fieldset>
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
