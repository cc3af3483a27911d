// One innovation and its effect: gap and NPS of its touchpoints in equal windows before and after the
// change, the difference after − before with its 95 % interval, week by week around the change.
import { data, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { parseRequestForm } from "~/web/conform.server";
import { requireMember } from "~/auth/guard.server";
import { can } from "~/auth/permissions";
import actCss from "~/components/act/act.css?url";
import { EstimateSeries, type EstimatePoint } from "~/components/charts/EstimateSeries";
import { deleteInnovation, getInnovation, innovationEffect, type Effect } from "~/data/innovations.server";
import { formatDecimal, formatNumber } from "~/i18n/format";
import { useLang, useT } from "~/i18n/use-t";
import { notFound } from "~/web/responses.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: actCss }];

function innovationId(param: string | undefined): number {
  return /^\d{1,15}$/.test(param ?? "") ? Number(param) : NaN;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace, role } = await requireMember(request, params.ws);
  const innovation = await getInnovation(workspace.id, innovationId(params.id));
  if (!innovation) throw notFound("No such innovation in this workspace.");
  const effect = await innovationEffect(
    workspace.id,
    { changedOn: innovation.changedOn, windowDays: innovation.windowDays, touchpointIds: innovation.touchpoints.map((tp) => tp.id) },
    workspace.minN,
  );
  return { slug: workspace.slug, innovation, effect, canEdit: can(role, "journeys:edit") };
}

/** The page's one form: a button that deletes the entry. */
const DeleteSchema = z.object({ intent: z.literal("delete") });

export async function action({ request, params }: ActionFunctionArgs) {
  const { workspace } = await requireMember(request, params.ws, "journeys:edit");
  const { submission, t } = await parseRequestForm(request, DeleteSchema);
  if (submission.status !== "success") return data({ message: t("form.unknownAction") }, { status: 400 });
  if (!(await deleteInnovation(workspace.id, innovationId(params.id)))) throw notFound("No such innovation in this workspace.");
  return redirect(`/w/${workspace.slug}/innovations`);
}

type Reading = "improved" | "worsened" | "unclear" | "withheld";

function reading(d: { lo: number | null; hi: number | null } | null): Reading {
  if (!d || d.lo === null || d.hi === null) return "withheld";
  if (d.lo > 0) return "improved";
  if (d.hi < 0) return "worsened";
  return "unclear";
}

function EffectTable({ effect, minN }: { effect: Effect; minN: number }) {
  const t = useT();
  const lang = useLang();
  const gapFmt = (v: number | null) => formatNumber(v, "gap", lang);
  const npsFmt = (v: number | null) => formatNumber(v, "score", lang);
  const interval = (lo: number | null, hi: number | null, fmt: (v: number | null) => string) => (lo === null || hi === null ? "" : ` [${fmt(lo)}, ${fmt(hi)}]`);
  const rows = [
    {
      key: "gap",
      label: t("act.effect.gap"),
      before: effect.before.gap,
      after: effect.after.gap,
      beforeValue: effect.before.gap.mean,
      afterValue: effect.after.gap.mean,
      diff: effect.gapDifference,
      fmt: gapFmt,
    },
    {
      key: "nps",
      label: t("act.effect.nps"),
      before: effect.before.nps,
      after: effect.after.nps,
      beforeValue: effect.before.nps.score,
      afterValue: effect.after.nps.score,
      diff: effect.npsDifference,
      fmt: npsFmt,
    },
  ];
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">{t("act.effect.measure")}</th>
            <th scope="col" className="num">{t("act.effect.before")}</th>
            <th scope="col" className="num">{t("act.effect.after")}</th>
            <th scope="col" className="num">{t("act.effect.difference")}</th>
            <th scope="col">{t("act.effect.reading")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const verdict = reading(r.diff);
            return (
              <tr key={r.key}>
                <th scope="row">{r.label}</th>
                <td className="num">
                  {r.fmt(r.beforeValue)}
                  <span className="muted">{`${interval(r.before.lo, r.before.hi, r.fmt)} n=${r.before.n}`}</span>
                </td>
                <td className="num">
                  {r.fmt(r.afterValue)}
                  <span className="muted">{`${interval(r.after.lo, r.after.hi, r.fmt)} n=${r.after.n}`}</span>
                </td>
                <td className="num">
                  <strong>{r.diff ? r.fmt(r.diff.difference) : "—"}</strong>
                  <span className="muted">{r.diff ? interval(r.diff.lo, r.diff.hi, r.fmt) : ""}</span>
                </td>
                <td className={`reading ${verdict === "improved" ? "gap-pos" : verdict === "worsened" ? "gap-neg" : ""}`}>
                  {verdict === "withheld" ? t("act.effect.withheld", { minN }) : t(`act.effect.${verdict}`)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export default function InnovationPage() {
  const { slug, innovation, effect, canEdit } = useLoaderData<typeof loader>();
  const t = useT();
  const lang = useLang();
  const weekLabel = (w: number) => (w > 0 ? `+${w}` : String(w));
  // A week under the minimum n is left blank, like every other figure below it.
  const floor = effect.status === "ok" ? effect.minN : 0;
  const point = (label: string, n: number, value: number | null, lo: number | null, hi: number | null): EstimatePoint =>
    n >= floor ? { label, value, lo, hi, n } : { label, value: null, lo: null, hi: null, n };
  const points = (pick: "gap" | "nps"): EstimatePoint[] =>
    effect.status === "ok"
      ? effect.weeks.map((w) =>
          pick === "gap"
            ? point(weekLabel(w.week), w.gap.n, w.gap.mean, w.gap.lo, w.gap.hi)
            : point(weekLabel(w.week), w.nps.n, w.nps.score, w.nps.lo, w.nps.hi),
        )
      : [];
  const firstAfter = effect.status === "ok" ? effect.weeks.findIndex((w) => w.week > 0) : 0;
  const weeks = effect.status === "ok" ? effect.weeks.length : 0;
  const spans = [
    { from: 0, to: firstAfter - 1, label: t("act.effect.before") },
    { from: firstAfter, to: weeks - 1, label: t("act.effect.after") },
  ];
  const markers = [{ beforeIndex: firstAfter, label: `${innovation.changedOn} · ${innovation.title}`.slice(0, 60) }];
  const gapFmt = (v: number) => formatDecimal(v, lang, 2, true);
  const npsFmt = (v: number) => formatDecimal(v, lang, 0);
  const tpName = new Map(innovation.touchpoints.map((tp) => [tp.id, tp.name]));

  return (
    <>
      <p>
        <Link to={`/w/${slug}/innovations`}>← {t("nav.innovations")}</Link>
      </p>
      <h1>{innovation.title}</h1>
      <div className="grid">
        <section className="card" aria-labelledby="change">
          <h2 id="change">{t("act.innovations.change")}</h2>
          <dl>
            <dt>{t("act.innovations.date")}</dt>
            <dd>
              <time dateTime={innovation.changedOn}>{innovation.changedOn}</time>
            </dd>
            <dt>{t("act.innovations.owner")}</dt>
            <dd>{innovation.owner}</dd>
            <dt>{t("act.innovations.touchpoints")}</dt>
            <dd>{innovation.touchpoints.map((tp) => tp.name).join(", ")}</dd>
          </dl>
        </section>
        <section className="card" aria-labelledby="what">
          <h2 id="what">{t("act.innovations.what")}</h2>
          <p style={{ whiteSpace: "pre-wrap" }}>{innovation.whatChanged}</p>
          <h3>{t("act.innovations.hypothesis")}</h3>
          <p style={{ whiteSpace: "pre-wrap" }}>{innovation.hypothesis}</p>
        </section>
      </div>

      <h2 id="effect">{t("act.effect.title")}</h2>
      {effect.status === "too_early" ? (
        <p className="notice">{t("act.effect.tooEarly")}</p>
      ) : (
        <>
          <p className="muted">
            {t("act.effect.windows", {
              days: effect.windows.days,
              beforeFrom: effect.windows.before.from,
              beforeTo: effect.windows.before.to,
              afterFrom: effect.windows.after.from,
              afterTo: effect.windows.after.to,
            })}
          </p>
          <EffectTable effect={effect.overall} minN={effect.minN} />
          <p className="muted">{t("act.effect.method")}</p>
          <h3>{t("act.effect.weeklyGap")}</h3>
          <p className="muted">{t("act.effect.weeklyNote", { minN: effect.minN })}</p>
          <div className="chart-scroll">
            <EstimateSeries title={t("act.effect.weeklyGap")} points={points("gap")} format={gapFmt} markers={markers} spans={spans} include={[0]} />
          </div>
          <h3>{t("act.effect.weeklyNps")}</h3>
          <div className="chart-scroll">
            <EstimateSeries title={t("act.effect.weeklyNps")} points={points("nps")} format={npsFmt} markers={markers} spans={spans} include={[0]} />
          </div>
          {effect.byTouchpoint.length > 1 ? (
            <>
              <h3>{t("act.effect.byTouchpoint")}</h3>
              {effect.byTouchpoint.map((row) => (
                <section key={row.touchpointId} aria-label={tpName.get(row.touchpointId)}>
                  <h4>{tpName.get(row.touchpointId)}</h4>
                  <EffectTable effect={row.effect} minN={effect.minN} />
                </section>
              ))}
            </>
          ) : null}
        </>
      )}

      {canEdit ? (
        <Form method="post" className="actions" style={{ marginTop: "2rem" }}>
          <button type="submit" name="intent" value="delete" className="danger">
            {t("act.innovations.delete")}
          </button>
        </Form>
      ) : null}
    </>
  );
}
