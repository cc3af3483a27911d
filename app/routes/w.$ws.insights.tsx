// Experience insights: the area's shell (its views as tabs that keep the current filter) and its
// stylesheet. Membership is checked by every child loader; this one only names the workspace.
import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { NavLink, Outlet, useLoaderData, useLocation } from "@remix-run/react";
import { requireMember } from "~/auth/guard.server";
import insightsCss from "~/components/insights/insights.css?url";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: insightsCss }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace } = await requireMember(request, params.ws);
  return { ws: workspace.slug };
}

const VIEWS: { to: string; label: MessageKey; end?: boolean }[] = [
  { to: "", label: "insights.nav.tables", end: true },
  { to: "journeys", label: "insights.nav.scorecards" },
  { to: "trends", label: "insights.nav.trends" },
  { to: "ipa", label: "insights.nav.ipa" },
  { to: "behaviour", label: "insights.nav.behaviour" },
  { to: "targets", label: "insights.nav.targets" },
];
// The filter travels between views; view-specific parameters (by, bucket, page…) do not.
const FILTER_KEYS = ["from", "to", "journey", "tier", "channel", "surveyLang"];

export default function InsightsShell() {
  const { ws } = useLoaderData<typeof loader>();
  const t = useT();
  const location = useLocation();
  const current = new URLSearchParams(location.search);
  const kept = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = current.get(key);
    if (value) kept.set(key, value);
  }
  const query = kept.toString() ? `?${kept}` : "";
  return (
    <>
      <nav className="ins-nav" aria-label={t("insights.nav.label")}>
        <ul>
          {VIEWS.map((view) => (
            <li key={view.to}>
              <NavLink to={`/w/${ws}/insights${view.to ? `/${view.to}` : ""}${query}`} end={view.end}>
                {t(view.label)}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Outlet />
    </>
  );
}
