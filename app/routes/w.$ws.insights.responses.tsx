// The responses behind a number, and the response inbox: the unit (process, touchpoint, attribute or
// dimension) under the same filter, narrowed by NPS group, below expectation, having a comment and a
// comment search (full text on either engine), newest first, a page at a time (keyset cursor), each
// with its customer, tier, comment and measurements and a link to its own page; every filter lives in
// the URL, so a link is shareable; exportable as CSV with every measurement.
import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { SERVQUAL_DIMENSIONS } from "~/cem/journey";
import { FilterBar } from "~/components/insights/FilterBar";
import { formatNumber } from "~/i18n/format";
import { insightsHref } from "~/components/insights/format";
import { insightsRequest } from "~/web/insights-request.server";
import { cursorText, NPS_GROUPS, PAGE_SIZE, parseCursor, responsesPage, unitTouchpoints } from "~/data/insights-responses.server";
import { CommentSearchSchema, searchTerms } from "~/cem/comment-search";
import { NO_PROCESS } from "~/cem/insights";
import type { MessageKey } from "~/i18n/messages";
import { useFormat, useLang, useT } from "~/i18n/use-t";
import { DIMENSION_LABELS } from "~/survey/servqual";
import { notFound } from "~/web/responses.server";

const UnitSchema = z.object({
  process: z.string().max(64).optional(),
  touchpoint: z.string().max(64).optional(),
  attribute: z.string().max(64).optional(),
  dimension: z.enum(SERVQUAL_DIMENSIONS).optional(),
  below: z.literal("1").optional(),
  after: z.string().max(40).optional(),
});
// The inbox's own filters: a bad value here is the person's to fix (400 with a message), not a 404.
const InboxSchema = z.object({
  nps: z.preprocess((v) => (v === "" ? undefined : v), z.enum(NPS_GROUPS).optional()),
  comment: z.preprocess((v) => (v === "" ? undefined : v), z.literal("1").optional()),
  q: CommentSearchSchema.optional(),
});

export async function loader({ request, params }: LoaderFunctionArgs) {
  const r = await insightsRequest(request, params.ws);
  const query = Object.fromEntries(r.url.searchParams);
  const parsed = UnitSchema.safeParse(query);
  if (!parsed.success) throw notFound();
  const { below, after, ...unit } = parsed.data;
  const inboxParsed = InboxSchema.safeParse(query);
  const inbox = inboxParsed.success ? inboxParsed.data : {};
  const inboxError = inboxParsed.success ? null : inboxParsed.error.issues[0].message;
  const q = inbox.q ?? "";
  const tps = unitTouchpoints(r.scope, r.filter, unit);
  if (tps === null || (unit.attribute && !unit.touchpoint)) throw notFound();
  const page = await responsesPage(r.ctx.workspaceId, r.scope, r.filter, unit, {
    below: below === "1",
    nps: inbox.nps ?? null,
    withComment: inbox.comment === "1",
    search: q ? searchTerms(q) : undefined,
    cursor: parseCursor(after ?? null),
  });
  const tp = unit.touchpoint ? r.scope.touchpoints.find((t) => t.key === unit.touchpoint) : null;
  const attribute = unit.attribute ? r.scope.attributes.find((a) => a.touchpointId === tp?.id && a.key === unit.attribute) : null;
  const label = unit.dimension
    ? DIMENSION_LABELS[unit.dimension][r.ctx.lang]
    : unit.process
      ? (r.scope.processes.find((p) => p.key === unit.process)?.name ?? (unit.process === NO_PROCESS ? "" : unit.process))
      : tp
        ? [attribute ? (r.ctx.lang === "en" ? attribute.labelEn : attribute.labelEs) : unit.attribute, tp.name].filter(Boolean).join(" · ")
        : null;
  return data({
    ws: r.ws,
    filter: r.filter,
    error: r.error,
    options: r.options,
    unit,
    below: below === "1",
    inbox: { nps: inbox.nps ?? "", comment: inbox.comment === "1", q },
    inboxError,
    label,
    rows: page.rows,
    next: page.next ? cursorText(page.next) : null,
    paged: Boolean(after),
    pageSize: PAGE_SIZE,
  }, { status: r.error || inboxError ? 400 : 200 });
}

export default function Responses() {
  const { ws, filter, error, options, unit, below, inbox, inboxError, label, rows, next, paged, pageSize } = useLoaderData<typeof loader>();
  const t = useT();
  const lang = useLang();
  const keep = { ...unit, below: below ? "1" : undefined, nps: inbox.nps || undefined, comment: inbox.comment ? "1" : undefined, q: inbox.q || undefined };
  const here = insightsHref(ws, "responses", filter, keep);
  // In the reader's time zone (else the workspace's), the same on server and client.
  const f = useFormat();
  return (
    <>
      <h1>{t("insights.responses.title")}</h1>
      <p className="ins-meta">
        <span>{t("insights.responses.of", { unit: label === null ? t("insights.total") : label || t("insights.noProcess") })}</span>
        {below ? <span>{t("insights.responses.belowOnly")}</span> : null}
        {inbox.q ? <span>{t("inbox.searching", { q: inbox.q })}</span> : null}
        <span>{t("insights.period", { from: filter.from, to: filter.to })}</span>
        <span>{t("insights.responses.paging", { size: pageSize })}</span>
      </p>
      <FilterBar filter={filter} options={options} keep={unit} error={error} resetHref={insightsHref(ws, "responses", filter, unit)}>
        <label>
          {t("inbox.filter.nps")}
          <select name="nps" defaultValue={inbox.nps}>
            <option value="">{t("inbox.filter.any")}</option>
            <option value="promoter">{t("inbox.nps.promoter")}</option>
            <option value="passive">{t("inbox.nps.passive")}</option>
            <option value="detractor">{t("inbox.nps.detractor")}</option>
          </select>
        </label>
        <label>
          <input type="checkbox" name="below" value="1" defaultChecked={below} /> {t("inbox.filter.below")}
        </label>
        <label>
          <input type="checkbox" name="comment" value="1" defaultChecked={inbox.comment} /> {t("inbox.filter.comment")}
        </label>
        <label>
          {t("inbox.filter.search")}
          <input type="search" name="q" defaultValue={inbox.q} maxLength={200} />
        </label>
      </FilterBar>
      {inboxError ? (
        <p className="notice error" role="alert">
          {t("inbox.badSearch", { message: inboxError })}
        </p>
      ) : null}
      {rows.length === 0 ? <p className="notice">{t("insights.responses.none")}</p> : null}
      {rows.length > 0 ? (
        <div className="table-wrap">
          <table className="ins-table" data-testid="responses-table">
            <thead>
              <tr>
                <th scope="col">{t("insights.col.date")}</th>
                <th scope="col">{t("insights.col.touchpoint")}</th>
                <th scope="col">{t("insights.col.customer")}</th>
                <th scope="col">{t("insights.col.tier")}</th>
                <th scope="col">{t("insights.col.lang")}</th>
                <th scope="col" className="num">{t("insights.responses.gap")}</th>
                <th scope="col" className="num">NPS</th>
                <th scope="col" className="num">CSAT</th>
                <th scope="col" className="num">CES</th>
                <th scope="col">{t("insights.col.comment")}</th>
                <th scope="col">{t("insights.col.measures")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} data-response={r.id}>
                  <td>
                    <a href={`/w/${ws}/insights/responses/${r.id}?back=${encodeURIComponent(here)}`} title={t("inbox.open")}>
                      {f.dateTime(r.completedAt)}
                    </a>
                  </td>
                  <td>{r.touchpointName}</td>
                  <td>
                    {r.customer ? (
                      <>
                        {r.customer.name || r.customer.externalId}
                        <small className="muted"> {r.customer.externalId}</small>
                      </>
                    ) : (
                      <span className="muted">{t("insights.responses.anonymous")}</span>
                    )}
                  </td>
                  <td>{t(`insights.tier.${r.tier || "unknown"}` as MessageKey)}</td>
                  <td>{r.lang}</td>
                  <td className={`num ${r.gap !== null && r.gap < 0 ? "ins-neg" : ""}`}>{formatNumber(r.gap, "gap", lang)}</td>
                  <td className="num">{r.nps ?? "—"}</td>
                  <td className="num">{r.csat ?? "—"}</td>
                  <td className="num">{r.ces ?? "—"}</td>
                  <td className="ins-comment">{r.comment ?? ""}</td>
                  <td className="ins-measures">
                    <details>
                      <summary>{r.measurements.length}</summary>
                      {r.measurements.map((m) => `${m.attributeKey ? `${m.attributeKey} ` : ""}${m.kind} ${m.value}`).join(" · ")}
                    </details>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <p className="ins-actions">
        {paged ? (
          <a className="button secondary" href={insightsHref(ws, "responses", filter, keep)}>
            {t("insights.responses.first")}
          </a>
        ) : null}
        {next ? (
          <a className="button" href={insightsHref(ws, "responses", filter, { ...keep, after: next })} rel="next">
            {t("insights.responses.next")}
          </a>
        ) : null}
        <a className="button secondary" href={insightsHref(ws, "export", filter, { table: "responses", ...keep })} download>
          {t("insights.export.raw")}
        </a>
      </p>
    </>
  );
}
