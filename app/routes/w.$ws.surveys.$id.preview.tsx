// One version of a survey as a respondent sees it, in either language (?version=N&lang=en).
import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireMember } from "~/auth/guard.server";
import { SurveyPreview } from "~/components/survey/SurveyPreview";
import surveyCss from "~/components/survey/survey-pages.css?url";
import { editableVersion, getSurvey, getVersion } from "~/data/surveys.server";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";
import type { SurveyJson } from "~/survey/types";
import { notFound } from "~/web/responses.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: surveyCss }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace } = await requireMember(request, params.ws);
  const survey = await getSurvey(workspace.id, Number(params.id));
  if (!survey) throw notFound();
  const url = new URL(request.url);
  const asked = url.searchParams.get("version");
  const version = asked ? await getVersion(workspace.id, survey.id, Number(asked)) : await editableVersion(workspace.id, survey.id);
  if (!version) throw notFound();
  let json: SurveyJson | null = null;
  try {
    const parsed: unknown = JSON.parse(version.definition);
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) json = parsed as SurveyJson;
  } catch {
    json = null;
  }
  return {
    survey: { id: survey.id, title: survey.title },
    version: { version: version.version, status: version.status },
    json,
    lang: url.searchParams.get("lang") === "en" ? ("en" as const) : ("es" as const),
  };
}

export default function SurveyPreviewPage() {
  const { survey, version, json, lang } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <>
      <p>
        <Link to="..">← {survey.title}</Link>
      </p>
      <h1>
        {t("surveys.preview.title")}: {survey.title} · v{version.version}{" "}
        <span className={`badge status-${version.status}`}>{t(`surveys.status.${version.status}` as MessageKey)}</span>
      </h1>
      <p className="muted">{t("surveys.preview.intro")}</p>
      <nav className="actions" aria-label={t("surveys.preview.language")}>
        {(["es", "en"] as const).map((l) => (
          <Link key={l} className={`button ${l === lang ? "" : "secondary"} small`} to={`?version=${version.version}&lang=${l}`} aria-current={l === lang ? "true" : undefined} lang={l}>
            {l === "es" ? "Español" : "English"}
          </Link>
        ))}
      </nav>
      <div className="survey-frame" data-testid="survey-preview" style={{ marginTop: "1rem" }}>
        <SurveyPreview key={lang} json={json} locale={lang} loadingText={t("surveys.preview.loading")} failedText={t("surveys.preview.failed")} />
      </div>
    </>
  );
}
