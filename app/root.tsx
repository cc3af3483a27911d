// The document shell: language, signed-in user, header and the error boundary of last resort.
// First, before any module builds a zod schema: zod's settings for the browser's CSP.
import "~/web/zod-in-browser";
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Form,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  isRouteErrorResponse,
  useLocation,
  useMatches,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { getUser } from "~/auth/session.server";
import { requestLang } from "~/i18n/lang.server";
import { useT } from "~/i18n/use-t";
import type { Lang } from "~/i18n/lang";
import { PERMISSIONS, type Permission } from "~/auth/permissions";
import { ROLES, type Role } from "~/auth/roles";
import appCss from "~/styles/app.css?url";
import { useNonce } from "~/web/nonce";
import { documentScripts } from "~/web/page-scripts";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: appCss },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ title: "Vivencia" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const [user, lang] = await Promise.all([getUser(request), requestLang(request)]);
  return { lang, user: user ? { name: user.name, email: user.email, timeZone: user.timeZone } : null };
}

export function Layout({ children }: { children: React.ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const lang: Lang = data?.lang ?? "es";
  // The Content-Security-Policy runs only inline scripts that carry this document's nonce.
  const nonce = useNonce();
  // A page that works as plain HTML may load one small script instead of Remix's (app/web/page-scripts.ts).
  const scripts = documentScripts(useMatches());
  return (
    <html lang={lang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        {scripts === "remix" ? (
          <>
            <ScrollRestoration nonce={nonce} />
            <Scripts nonce={nonce} />
          </>
        ) : (
          <script type="module" src={scripts.module} nonce={nonce} data-page-script="" />
        )}
      </body>
    </html>
  );
}

function Header() {
  const data = useRouteLoaderData<typeof loader>("root");
  const t = useT();
  const location = useLocation();
  const other: Lang = data?.lang === "en" ? "es" : "en";
  return (
    <header className="topbar">
      <a href="#main" className="skip-link">
        {t("nav.skip")}
      </a>
      <Link to="/" className="brand">
        <span aria-hidden="true">◆</span> Vivencia
      </Link>
      <div className="topbar-actions">
        <Form method="post" action="/lang" className="inline">
          <input type="hidden" name="lang" value={other} />
          <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
          <button type="submit" className="link-button" lang={other}>
            {t("lang.switch")}
          </button>
        </Form>
        {data?.user ? (
          <>
            <Link to="/account">{data.user.name}</Link>
            <Form method="post" action="/logout" className="inline">
              <button type="submit" className="link-button">
                {t("auth.signout")}
              </button>
            </Form>
          </>
        ) : (
          <Link to="/login">{t("auth.signin")}</Link>
        )}
      </div>
    </header>
  );
}

export default function App() {
  return (
    <>
      <Header />
      <Outlet />
    </>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const t = useT();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const missing = isRouteErrorResponse(error) && status === 403 ? missingPermission(error.data) : null;
  // A missing thing and an unexpected failure are told in the interface language; another refusal
  // carries its own message (already worded for the reader by the route that threw it).
  const own = isRouteErrorResponse(error) ? (typeof error.data === "string" ? error.data : (error.data as { message?: string } | undefined)?.message) : undefined;
  const message = status === 404 ? t("common.notFoundBody") : status >= 500 ? t("common.unexpected") : (own ?? (isRouteErrorResponse(error) ? error.statusText : ""));
  const title = status === 404 ? t("common.notFound") : missing ? t("forbidden.title") : t("common.errorTitle");
  return (
    <>
      <Header />
      <main id="main" className="page">
        <h1>{title}</h1>
        {missing ? (
          <>
            <p role="alert">
              {t(missing.roles.length === 1 ? "forbidden.message" : "forbidden.messageMany", {
                permission: t(`permission.${missing.permission}`),
                roles: missing.roles.map((r) => t(`role.${r}`)).join(t("forbidden.or")),
              })}
            </p>
            <p className="muted">{t("forbidden.ask")}</p>
          </>
        ) : (
          <p role="alert">
            {status} — {message}
          </p>
        )}
        <p>
          <Link to="/">{t("common.back")}</Link>
        </p>
      </main>
    </>
  );
}

/** The permission and roles a 403 from requireMember names (app/web/responses.server.ts), when it names them. */
function missingPermission(body: unknown): { permission: Permission; roles: Role[] } | null {
  const b = body as { permission?: unknown; roles?: unknown } | null;
  if (!b || typeof b.permission !== "string" || !(b.permission in PERMISSIONS) || !Array.isArray(b.roles)) return null;
  const roles = b.roles.filter((r): r is Role => typeof r === "string" && (ROLES as readonly string[]).includes(r));
  return { permission: b.permission as Permission, roles };
}
