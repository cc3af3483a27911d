// The workspace shell: membership is checked here (404 for anyone else) and the navigation drawn.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { requireMember } from "~/auth/guard.server";
import { can } from "~/auth/permissions";
import { unreadCount } from "~/data/notifications.server";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace, role, user } = await requireMember(request, params.ws);
  return {
    // One indexed count per page: the member's unread notifications, beside "Alerts".
    unread: await unreadCount(workspace.id, user.id),
    workspace: { slug: workspace.slug, name: workspace.name, timeZone: workspace.timeZone, currency: workspace.currency },
    role,
    canManage: can(role, "members:manage"),
  };
}

type NavItem = { to: string; label: MessageKey; admin?: boolean; end?: boolean };

export const NAV: NavItem[] = [
  { to: "", label: "nav.home", end: true },
  { to: "notifications", label: "alerts.nav" },
  { to: "platform", label: "nav.platform" },
  { to: "processes", label: "nav.processes" },
  { to: "journeys", label: "nav.journeys" },
  { to: "surveys", label: "nav.surveys" },
  { to: "outbox", label: "nav.outbox", admin: true },
  { to: "mail", label: "mail.nav", admin: true },
  { to: "customers", label: "nav.customers" },
  { to: "segmentation", label: "nav.segmentation" },
  { to: "insights", label: "nav.insights" },
  { to: "cases", label: "nav.cases" },
  { to: "innovations", label: "nav.innovations" },
  { to: "clienting", label: "nav.clienting" },
  { to: "members", label: "nav.members", admin: true },
  { to: "tokens", label: "nav.tokens", admin: true },
  { to: "settings", label: "nav.settings", admin: true },
];

export default function WorkspaceShell() {
  const { workspace, canManage, unread } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <div className="shell">
      <nav className="sidenav" aria-label={t("nav.main")}>
        <ul>
          <li className="ws-name">{workspace.name}</li>
          {NAV.filter((item) => !item.admin || canManage).map((item) => (
            <li key={item.to}>
              <NavLink to={`/w/${workspace.slug}${item.to ? `/${item.to}` : ""}`} end={item.end}>
                {t(item.label)}
                {item.to === "notifications" && unread > 0 ? (
                  <span className="nav-count" data-testid="unread-count" title={t("alerts.unread", { n: unread })}>
                    {unread}
                  </span>
                ) : null}
              </NavLink>
            </li>
          ))}
          <li>
            <NavLink to="/workspaces" end>
              {t("nav.workspaces")}
            </NavLink>
          </li>
        </ul>
      </nav>
      <main id="main" className="page">
        <Outlet />
      </main>
    </div>
  );
}
