// The frame of every respondent page: the brand (the workspace's name, nothing else of it), the
// language switch, and a narrow phone-first column. Server-rendered; no SurveyJS in here.
import { Link, isRouteErrorResponse, useLocation, useRouteError } from "@remix-run/react";
import type { ReactNode } from "react";
import type { Lang } from "~/i18n/lang";
import { useLang, useT } from "~/i18n/use-t";

const LANGUAGE_NAMES: Record<Lang, string> = { es: "Español", en: "English" };

/** This page in another language, keeping the rest of its query (?renderer=surveyjs). */
function inLanguage(search: string, lang: Lang): string {
  const params = new URLSearchParams(search);
  params.set("lang", lang);
  return `?${params.toString()}`;
}

export function RespondentFrame({ brand, lang, children }: { brand: string | null; lang: Lang; children: ReactNode }) {
  const t = useT();
  const { search } = useLocation();
  return (
    <div className="respondent">
      <header className="respondent-bar">
        {brand ? (
          <p className="respondent-brand">
            <span className="respondent-mark" aria-hidden="true">
              {brand.trim().charAt(0).toUpperCase()}
            </span>
            {brand}
          </p>
        ) : (
          <span />
        )}
        <nav aria-label={t("respondent.language")} className="respondent-langs">
          {(Object.keys(LANGUAGE_NAMES) as Lang[]).map((option) => (
            <Link
              key={option}
              to={inLanguage(search, option)}
              replace
              preventScrollReset
              lang={option}
              hrefLang={option}
              aria-current={option === lang ? "true" : undefined}
            >
              {LANGUAGE_NAMES[option]}
            </Link>
          ))}
        </nav>
      </header>
      <main id="main" className="respondent-main">
        {children}
      </main>
    </div>
  );
}

/** A page with nothing to answer: unknown, expired, closed, already answered, thanks. */
export function RespondentNotice({ title, body, tone = "info" }: { title: string; body: string; tone?: "info" | "done" }) {
  return (
    <section className={`respondent-notice ${tone}`} aria-live="polite">
      <span className="respondent-notice-icon" aria-hidden="true">
        {tone === "done" ? "✓" : "i"}
      </span>
      <h1>{title}</h1>
      <p>{body}</p>
    </section>
  );
}

/** The error page of a respondent route: an unknown link (404) or anything else, in the frame. */
export function RespondentErrorBoundary() {
  const error = useRouteError();
  const t = useT();
  const lang = useLang();
  const unknown = isRouteErrorResponse(error) && error.status === 404;
  // A refusal the server explained (503 while the database cannot be written: "nothing was stored")
  // says so in the reader's language; anything unexplained gets the generic text.
  const explained =
    isRouteErrorResponse(error) && !unknown && error.status !== 500
      ? (error.data as { message?: unknown } | undefined)?.message
      : undefined;
  return (
    <RespondentFrame brand={null} lang={lang}>
      <RespondentNotice
        title={unknown ? t("respondent.unknown.title") : t("respondent.error.title")}
        body={unknown ? t("respondent.unknown.body") : typeof explained === "string" && explained ? explained : t("respondent.error.body")}
      />
    </RespondentFrame>
  );
}
