// The experience home: the workspace's first page leads with what needs a manager's attention
// (tiers served differently, significant changes, the worst gaps, targets missed, overdue cases),
// each with its n and interval and a link to the evidence; the model's counters follow, small.
import type { HeadersFunction, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireMember } from "~/auth/guard.server";
import type { Estimate, TargetMetric, TargetUnit } from "~/cem/targets";
import type { ChangeFinding, GapFinding, HomeUnit, Listed, TargetFinding, TierFinding, Tested } from "~/cem/home-findings";
import { dayOf, DEFAULT_DAYS, parseInsightFilter, previousPeriod, type InsightFilter } from "~/cem/insights-filters";
import homeCss from "~/components/home/home.css?url";
import { formatInterval, formatNumber, type NumberStyle } from "~/i18n/format";
import { insightsHref } from "~/components/insights/format";
import insightsCss from "~/components/insights/insights.css?url";
import { homeView } from "~/data/home.server";
import { insightScope, selectTouchpoints } from "~/data/insights.server";
import { workspaceCounts } from "~/data/journeys.server";
import { requestLang } from "~/i18n/lang.server";
import { translator, type MessageKey } from "~/i18n/messages";
import { useLang, useT } from "~/i18n/use-t";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: insightsCss },
  { rel: "stylesheet", href: homeCss },
];

// The loader's server time reaches the page's response, where the insights budget is checked.
export const headers: HeadersFunction = ({ loaderHeaders }) => {
  const timing = loaderHeaders.get("Server-Timing");
  return timing ? { "Server-Timing": timing } : new Headers();
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const started = performance.now();
  const { workspace, role } = await requireMember(request, params.ws);
  // The insights' default window (the last 90 days), so every evidence link opens the same numbers;
  // optionally one journey (a digest's link opens the home with its journey chosen).
  const journey = new URL(request.url).searchParams.get("journey");
  const parsed = parseInsightFilter(new URLSearchParams(journey ? { journey } : {}), dayOf(Date.now()));
  const lang = await requestLang(request);
  const [scope, counts] = await Promise.all([insightScope(workspace.id, lang), workspaceCounts(workspace.id)]);
  if (!parsed.ok || (journey && !scope.journeys.some((j) => j.key === journey))) {
    throw data(translator(lang)("homeFilter.unknown"), { status: 400 });
  }
  const filter = parsed.filter;
  const home = await homeView({ workspaceId: workspace.id, minN: workspace.minN, lang }, { ...scope, touchpoints: selectTouchpoints(scope, filter) }, filter);
  return data(
    {
      workspace: { name: workspace.name, slug: workspace.slug, minN: workspace.minN },
      role,
      counts,
      journeys: scope.journeys,
      filter,
      previous: previousPeriod(filter),
      home,
    },
    { headers: { "Server-Timing": `home;dur=${(performance.now() - started).toFixed(1)}` } },
  );
}

type Lang = ReturnType<typeof useLang>;
const STYLE: Record<TargetMetric, NumberStyle> = { gap: "gap", nps: "score", csat: "share", ces: "mean" };

/** "−2,05 [−2,31; −1,79] n=96": never a number without its n. */
function estimateText(e: Estimate | null, style: NumberStyle, lang: Lang): string {
  if (!e) return "—";
  const interval = formatInterval(e.lo, e.hi, style, lang);
  return `${formatNumber(e.value, style, lang)}${interval ? ` ${interval}` : ""} n=${formatNumber(e.n, "int", lang)}`;
}

function testText(t: Tested, style: NumberStyle, lang: Lang): string {
  return `${formatNumber(t.difference, style, lang)} ${formatInterval(t.lo, t.hi, style, lang)}`;
}

export default function WorkspaceHome() {
  const { workspace, role, counts, journeys, filter, previous, home } = useLoaderData<typeof loader>();
  const t = useT();
  const lang = useLang();
  const ws = workspace.slug;
  const evidence = (unit: HomeUnit, extra: Record<string, string> = {}) =>
    insightsHref(ws, "", filter as InsightFilter, { by: unit.kind, ...extra });
  const unitName = (unit: HomeUnit) => `${t(`home.unit.${unit.kind}` as MessageKey)} «${unit.name}»`;
  return (
    <>
      <h1>{workspace.name}</h1>
      <p className="muted">
        {t("ws.role")}: {t(`role.${role}`)}
      </p>

      <section aria-labelledby="home-lead" className="home-findings">
        <h2 id="home-lead">{t("home.lead")}</h2>
        {journeys.length > 1 || filter.journey ? (
          <Form method="get" className="row" data-testid="home-journey">
            <label htmlFor="home-journey">
              {t("homeFilter.journey")}
              <select id="home-journey" name="journey" defaultValue={filter.journey ?? ""}>
                <option value="">{t("homeFilter.all")}</option>
                {journeys.map((j) => (
                  <option key={j.key} value={j.key}>
                    {j.name}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit" className="secondary">
              {t("homeFilter.apply")}
            </button>
          </Form>
        ) : null}
        <p className="muted">
          {t("home.window", { days: DEFAULT_DAYS, from: filter.from, to: filter.to, prevFrom: previous.from, prevTo: previous.to, minN: workspace.minN })}
        </p>
        {!home.measured ? <p className="notice">{t("home.empty")}</p> : null}
        <p className="home-fdr" data-testid="home-fdr">
          {t("home.fdr", { m: home.comparisons })}
        </p>

        <FindingList title={t("home.tiers.title")} none={t("home.tiers.none")} list={home.tiers} testId="home-tiers">
          {(f: TierFinding) => (
            <li key={`${f.unit.kind}:${f.unit.key}:${f.tier}`} data-unit={`${f.unit.kind}:${f.unit.key}`} data-tier={f.tier}>
              <strong>{t("home.tiers.item", { tier: t(`insights.tier.${f.tier}` as MessageKey), unit: unitName(f.unit) })}</strong>
              <dl className="home-figures">
                {f.gap ? (
                  <div>
                    <dt>{t("home.label.gap")}</dt>
                    <dd className={f.gap.value < 0 ? "ins-neg" : undefined}>{estimateText(f.gap, "gap", lang)}</dd>
                  </div>
                ) : null}
                {f.below ? (
                  <div>
                    <dt>{t("home.label.below")}</dt>
                    <dd>{estimateText(f.below, "share", lang)}</dd>
                  </div>
                ) : null}
                {f.nps ? (
                  <div>
                    <dt>{t("home.label.nps")}</dt>
                    <dd>{estimateText(f.nps, "score", lang)}</dd>
                  </div>
                ) : null}
                {f.gapTest ? (
                  <div>
                    <dt>
                      {t("home.label.gap")} − {t("home.tiers.rest")} ({estimateText(f.rest.gap, "gap", lang)})
                    </dt>
                    <dd>
                      {testText(f.gapTest, "gap", lang)} · {t("home.label.q")} {formatNumber(f.gapTest.q, "p", lang)}
                    </dd>
                  </div>
                ) : null}
                {f.npsTest ? (
                  <div>
                    <dt>
                      {t("home.label.nps")} − {t("home.tiers.rest")} ({estimateText(f.rest.nps, "score", lang)})
                    </dt>
                    <dd>
                      {testText(f.npsTest, "score", lang)} · {t("home.label.q")} {formatNumber(f.npsTest.q, "p", lang)}
                    </dd>
                  </div>
                ) : null}
              </dl>
              <a href={evidence(f.unit, { tier: f.tier })}>{t("home.evidence")}</a>
            </li>
          )}
        </FindingList>

        <FindingList title={t("home.changes.title")} none={t("home.changes.none")} list={home.changes} testId="home-changes">
          {(f: ChangeFinding) => {
            const style = f.metric === "gap" ? "gap" : "score";
            return (
              <li key={`${f.unit.kind}:${f.unit.key}:${f.metric}`} data-unit={`${f.unit.kind}:${f.unit.key}`}>
                <strong>
                  {t(`home.metric.${f.metric}` as MessageKey)} · {unitName(f.unit)}
                </strong>
                <dl className="home-figures">
                  <div>
                    <dt>{t(`home.metric.${f.metric}` as MessageKey)}</dt>
                    <dd>{estimateText(f.now, style, lang)}</dd>
                  </div>
                  <div>
                    <dt>{t("home.label.change")}</dt>
                    <dd className={f.test.difference < 0 ? "ins-neg" : "ins-pos"}>
                      {testText(f.test, style, lang)} ({t("home.changes.before", { n: f.nBefore })}) · {t("home.label.q")} {formatNumber(f.test.q, "p", lang)}
                    </dd>
                  </div>
                </dl>
                <a href={evidence(f.unit)}>{t("home.evidence")}</a>
              </li>
            );
          }}
        </FindingList>

        <div className="grid">
          {(["process", "touchpoint"] as const).map((kind) => (
            <FindingList
              key={kind}
              title={`${t("home.worst.title")} · ${t(`home.unit.${kind}` as MessageKey)}`}
              none={t("home.worst.none")}
              list={home.worstGaps[kind]}
              testId={`home-worst-${kind}`}
            >
              {(f: GapFinding) => (
                <li key={f.unit.key} data-unit={`${f.unit.kind}:${f.unit.key}`}>
                  <a href={evidence(f.unit)}>{f.unit.name}</a>{" "}
                  <span className="ins-neg">{estimateText(f.gap, "gap", lang)}</span>
                  {f.below ? (
                    <small className="muted">
                      {" "}
                      · {formatNumber(f.below.value, "share", lang)} {t("home.label.below")}
                    </small>
                  ) : null}
                </li>
              )}
            </FindingList>
          ))}
        </div>

        <FindingList title={t("home.targets.title")} none={t("home.targets.none")} list={home.targets} testId="home-targets">
          {(f: TargetFinding) => (
            <li key={`${f.unit.kind}:${f.unit.key}:${f.metric}`} data-unit={`${f.unit.kind}:${f.unit.key}`}>
              <strong>
                {t("home.targets.item", {
                  metric: t(`home.metric.${f.metric}` as MessageKey),
                  unit: unitName(f.unit),
                  target: formatNumber(f.target.value, STYLE[f.metric], lang),
                })}
              </strong>{" "}
              <span className="ins-neg">{estimateText(f.estimate, STYLE[f.metric], lang)}</span>{" "}
              <a href={insightsHref(ws, "", filter as InsightFilter, { by: f.unit.kind as TargetUnit })}>{t("home.evidence")}</a>
            </li>
          )}
        </FindingList>
        <p>
          <Link to="insights/targets">{t("home.targets.manage")}</Link>
        </p>

        <section className="card" aria-labelledby="home-overdue">
          <h3 id="home-overdue">{t("home.overdue.title")}</h3>
          {home.overdue > 0 ? (
            <p data-testid="home-overdue">
              <span className="stat home-danger">{home.overdue}</span> {t("home.overdue.count", { n: home.overdue })}{" "}
              <Link to="cases?status=active&overdue=1">{t("home.overdue.open")}</Link>
            </p>
          ) : (
            <p className="muted" data-testid="home-overdue">
              {t("home.overdue.none")}
            </p>
          )}
        </section>
      </section>

      <section aria-labelledby="home-model" className="home-model">
        <h2 id="home-model">{t("home.model")}</h2>
        <ul className="home-counters">
          <li>
            <Link to="journeys">
              <b>{counts.journeys}</b> {t("home.journeys")}
            </Link>
          </li>
          <li>
            <b>{counts.touchpoints}</b> {t("home.touchpoints")}
          </li>
          <li>
            <b>★ {counts.moments}</b> {t("home.moments")}
          </li>
          <li>
            <Link to="processes">
              <b>{counts.processes}</b> {t("home.processes")}
            </Link>
          </li>
        </ul>
        {counts.journeys === 0 ? (
          <p>
            {t("home.start")} <Link to="platform">{t("nav.platform")}</Link>
          </p>
        ) : null}
      </section>
    </>
  );
}

/** One kind of finding: its title, its items (cut to a few), how many more, or a line saying none. */
function FindingList<T>({ title, none, list, testId, children }: { title: string; none: string; list: Listed<T>; testId: string; children: (item: T) => React.ReactNode }) {
  const t = useT();
  return (
    <section className="card home-list" data-testid={testId}>
      <h3>{title}</h3>
      {list.items.length === 0 ? (
        <p className="muted">{none}</p>
      ) : (
        <ul>
          {list.items.map((item) => children(item))}
          {list.total > list.items.length ? <li className="muted">{t("home.more", { n: list.total - list.items.length })}</li> : null}
        </ul>
      )}
    </section>
  );
}
