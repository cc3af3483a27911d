// The workspace's audit log (admins): newest first, a page at a time, filtered by action. Sign-ins
// belong to no workspace; those of the workspace's members are shown beside its own events.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireMember } from "~/auth/guard.server";
import { AUDIT_ACTIONS, listAudit } from "~/data/audit.server";
import type { MessageKey } from "~/i18n/messages";
import { useFormat, useLang, useT } from "~/i18n/use-t";

const QuerySchema = z.object({
  action: z.enum(AUDIT_ACTIONS).optional().catch(undefined),
  before: z.coerce.number().int().positive().optional().catch(undefined),
});

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace } = await requireMember(request, params.ws, "audit:read");
  const url = new URL(request.url);
  // A filter or cursor that does not parse is ignored (the first page, every action), never a 500.
  const query = QuerySchema.parse({ action: url.searchParams.get("action") || undefined, before: url.searchParams.get("before") || undefined });
  const page = await listAudit(workspace.id, query);
  return {
    slug: workspace.slug,
    actions: AUDIT_ACTIONS,
    action: query.action ?? "",
    paged: query.before !== undefined,
    nextBefore: page.nextBefore,
    rows: page.rows.map((r) => ({ ...r, createdAt: r.createdAt.getTime() })),
  };
}

/** A detail as "key: value" pairs; anything else as its JSON. */
function detailText(detail: string | null): string {
  if (!detail) return "";
  try {
    const value: unknown = JSON.parse(detail);
    if (value && typeof value === "object" && !Array.isArray(value)) {
      return Object.entries(value)
        .map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`)
        .join(" · ");
    }
    return JSON.stringify(value);
  } catch {
    return detail;
  }
}

export default function AuditPage() {
  const { slug, actions, action, paged, nextBefore, rows } = useLoaderData<typeof loader>();
  const t = useT();
  const lang = useLang();
  const f = useFormat();
  const label = (a: string) => t(`audit.action.${a}` as MessageKey);
  const filterQuery = action ? `action=${encodeURIComponent(action)}&` : "";
  return (
    <>
      <p>
        <Link to={`/w/${slug}/settings`}>← {t("nav.settings")}</Link>
      </p>
      <h1>{t("audit.title")}</h1>
      <p className="muted">{t("audit.intro")}</p>
      <Form method="get" className="row card">
        <label>
          {t("audit.filter")}
          <select name="action" defaultValue={action}>
            <option value="">{t("audit.filter.all")}</option>
            {actions.map((a) => (
              <option key={a} value={a}>
                {label(a)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t("audit.filter.apply")}</button>
      </Form>
      {rows.length === 0 ? (
        <p>{t("audit.none")}</p>
      ) : (
        <div className="table-wrap">
          <table aria-label={t("audit.table")}>
            <thead>
              <tr>
                <th scope="col">{t("audit.when")}</th>
                <th scope="col">{t("audit.actor")}</th>
                <th scope="col">{t("audit.action")}</th>
                <th scope="col">{t("audit.target")}</th>
                <th scope="col">{t("audit.detail")}</th>
                <th scope="col">{t("audit.ip")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} data-action={r.action}>
                  <td>
                    <time dateTime={new Date(r.createdAt).toISOString()}>{f.dateTime(r.createdAt, true)}</time>
                  </td>
                  <td>{r.actorName ? `${r.actorName} (${r.actorEmail})` : t("audit.system")}</td>
                  <td>{label(r.action)}</td>
                  <td>{r.target ?? ""}</td>
                  <td className="muted">{detailText(r.detail)}</td>
                  <td>
                    <code>{r.ip ?? ""}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="row">
        {paged ? <Link to={`/w/${slug}/audit${action ? `?action=${encodeURIComponent(action)}` : ""}`}>{t("audit.newest")}</Link> : null}
        {nextBefore ? <Link to={`/w/${slug}/audit?${filterQuery}before=${nextBefore}`}>{t("audit.older")}</Link> : null}
      </p>
    </>
  );
}
