// Workspace overview: what has been modelled so far, and where to go next.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireMember } from "~/auth/guard.server";
import { workspaceCounts } from "~/data/journeys.server";
import { useT } from "~/i18n/use-t";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace, role } = await requireMember(request, params.ws);
  return { workspace: { name: workspace.name, slug: workspace.slug }, role, counts: await workspaceCounts(workspace.id) };
}

export default function WorkspaceHome() {
  const { workspace, role, counts } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <>
      <h1>{workspace.name}</h1>
      <p className="muted">
        {t("ws.role")}: {t(`role.${role}`)}
      </p>
      <div className="grid">
        <Link to="journeys" className="card">
          <div className="stat">{counts.journeys}</div>
          <div className="stat-label">{t("home.journeys")}</div>
        </Link>
        <div className="card">
          <div className="stat">{counts.touchpoints}</div>
          <div className="stat-label">{t("home.touchpoints")}</div>
        </div>
        <div className="card">
          <div className="stat">★ {counts.moments}</div>
          <div className="stat-label">{t("home.moments")}</div>
        </div>
        <Link to="processes" className="card">
          <div className="stat">{counts.processes}</div>
          <div className="stat-label">{t("home.processes")}</div>
        </Link>
      </div>
      {counts.journeys === 0 ? (
        <p>
          {t("home.start")} <Link to="platform">{t("nav.platform")}</Link>
        </p>
      ) : null}
    </>
  );
}
