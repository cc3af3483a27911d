// /p/<token>: the anonymous Clienting pulse an employee, supplier, channel or intermediary answers. No
// sign-in and nothing that identifies the person is kept. Like the survey page (s.$token.tsx), the
// pulse is a server-drawn form that works without JavaScript (app/survey/server-form.server.ts),
// enhanced by respondent-enhance.js; ?renderer=surveyjs (or a question type the server cannot draw)
// gives the SurveyJS survey (app/survey/respondent-survey.tsx), loaded lazily in the browser.
import { data, type ActionFunctionArgs, type HeadersFunction, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useFetcher, useLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
import { Suspense, lazy, useCallback, useEffect, useRef, useState } from "react";
import { z } from "zod";
import { RespondentFrame, RespondentNotice } from "~/components/respondent/RespondentFrame";
import respondentCss from "~/components/respondent/respondent.css?url";
import enhanceScript from "~/components/respondent/respondent-enhance.js?url";
import { SurveyForm } from "~/components/respondent/SurveyForm";
import { pulseForToken, recordPulseAnswer } from "~/data/clienting.server";
import { requestLang } from "~/i18n/lang.server";
import { translator } from "~/i18n/messages";
import { useLang, useT } from "~/i18n/use-t";
import type { FormPayload } from "~/survey/form-view";
import { drawnOnServer, formPayload, MAX_FORM_STATE_LENGTH, openingPayload, openingState, readFormState } from "~/survey/respondent-form.server";
import { renderPage, stepForm } from "~/survey/server-form.server";
import type { SurveyJson } from "~/survey/types";
import { parseFields, readFormData } from "~/web/request-body.server";
import type { PageScripts } from "~/web/page-scripts";
import { retryAfter } from "~/web/retry-after";
import { limitRespondent, tooManyRequests } from "~/web/rate-limit.server";

const RespondentSurvey = lazy(() => import("~/survey/respondent-survey"));

export const links: LinksFunction = () => [{ rel: "stylesheet", href: respondentCss }];

// As the survey page: the server-drawn form loads its small script only, SurveyJS gets Remix's.
export const handle: PageScripts = {
  scripts: (data) => ((data as { renderer?: string } | undefined)?.renderer === "surveyjs" ? "remix" : { module: enhanceScript }),
};

// As the survey page (s.$token.tsx): the token is a capability, never cached, never sent on as a
// referrer, never indexed; entry.server.tsx lets this site and the workspace's embed origins frame it.
export const headers: HeadersFunction = ({ actionHeaders }) => ({
  "Cache-Control": "no-store",
  "Referrer-Policy": "same-origin",
  "X-Robots-Tag": "noindex",
  ...retryAfter(actionHeaders),
});

export const meta: MetaFunction<typeof loader> = ({ data: page }) => [
  { title: page && page.state === "open" ? `${page.title} · ${page.brand}` : "Vivencia" },
  { name: "robots", content: "noindex" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const link = await pulseForToken(params.token ?? "");
  if (link.state === "unknown") return data({ state: "unknown" as const }, { status: 404 });
  if (link.state === "closed") return data({ state: "closed" as const, brand: link.brand }, { status: 410 });
  if (link.state === "not_yet") return data({ state: "not_yet" as const, brand: link.brand, opensOn: link.opensOn });
  const open = { state: "open" as const, brand: link.brand, title: link.pulse.title };
  const json = JSON.parse(link.pulse.definition) as SurveyJson;
  if (new URL(request.url).searchParams.get("renderer") === "surveyjs" || !drawnOnServer(`pulse:${link.pulse.id}`, json)) {
    return data({ ...open, renderer: "surveyjs" as const, definition: link.pulse.definition });
  }
  // A pulse keeps no progress on the server: it is anonymous, and short.
  const state = openingState(json, link.pulse.id, null);
  return data({ ...open, renderer: "server" as const, form: openingPayload(json, state, await requestLang(request)) });
}

const Submit = z.object({
  data: z.string().min(2, "Send the answers").max(64 * 1024, "The answers are too long"),
  submission: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,64}$/)
    .optional(),
});

type Outcome =
  | { status: "recorded" | "closed" | "unknown" | "not_yet" }
  | { status: "invalid"; message: string }
  /** A page of the server-drawn form, next or again with its errors. */
  | { status: "page"; form: FormPayload };

const Step = z.object({ intent: z.enum(["next", "back"]), state: z.string().max(MAX_FORM_STATE_LENGTH) });

export async function action({ request, params, context }: ActionFunctionArgs) {
  // Per client address and per link, before anything is read or written.
  const limited = await limitRespondent(request, context, params.token ?? "");
  if (limited) return tooManyRequests<Outcome>({ status: "invalid", message: limited.message }, limited);
  const link = await pulseForToken(params.token ?? "");
  if (link.state === "unknown") return data<Outcome>({ status: "unknown" }, { status: 404 });
  if (link.state === "closed") return data<Outcome>({ status: "closed" }, { status: 410 });
  if (link.state === "not_yet") return data<Outcome>({ status: "not_yet" }, { status: 409 });
  const body = await readFormData(request);
  if (!body) return data<Outcome>({ status: "invalid", message: translator(await requestLang(request))("form.unreadable") }, { status: 400 });
  const intent = body.get("intent");
  if (intent === "next" || intent === "back") {
    const step = parseFields(body, Step);
    if (!step.ok) return data<Outcome>({ status: "invalid", message: Object.values(step.errors)[0] ?? "Invalid answers" }, { status: 400 });
    return stepPulse(link.pulse, await requestLang(request), step.data.intent, step.data.state, body);
  }
  const form = parseFields(body, Submit);
  if (!form.ok) return data<Outcome>({ status: "invalid", message: Object.values(form.errors)[0] ?? "Invalid answers" }, { status: 400 });
  const result = await recordPulseAnswer(link.pulse, form.data.data, form.data.submission ?? null);
  if (result.status === "invalid") return data<Outcome>(result, { status: 400 });
  return data<Outcome>({ status: "recorded" });
}

/** One page of the server-drawn pulse posted; after the last, the answer recorded once (by its submission id). */
async function stepPulse(pulse: { id: number; workspaceId: number; definition: string }, lang: "es" | "en", direction: "next" | "back", stateText: string, fields: FormData) {
  const json = JSON.parse(pulse.definition) as SurveyJson;
  const posted = readFormState(stateText);
  if (!posted || posted.version !== pulse.id) {
    const fresh = openingState(json, pulse.id, null);
    return data<Outcome>({ status: "page", form: formPayload(renderPage(json, fresh, lang), fresh, translator(lang)("respondent.form.restarted")) }, { status: 400 });
  }
  const text = (value: FormDataEntryValue | null) => (typeof value === "string" ? value : null);
  const field = { get: (name: string) => text(fields.get(name)), getAll: (name: string) => fields.getAll(name).map(text).filter((v): v is string => v !== null) };
  const step = stepForm(json, posted, field, direction, lang);
  if (step.kind === "page") return data<Outcome>({ status: "page", form: formPayload(step.view, step.state) }, { status: step.ok ? 200 : 400 });
  const result = await recordPulseAnswer(pulse, JSON.stringify(step.answers), step.state.submission);
  if (result.status === "invalid") {
    const alert = `${translator(lang)("respondent.invalid")} ${result.message}`;
    return data<Outcome>({ status: "page", form: formPayload(renderPage(json, step.state, lang), step.state, alert) }, { status: 400 });
  }
  return data<Outcome>({ status: "recorded" });
}

export const shouldRevalidate: ShouldRevalidateFunction = ({ formMethod, defaultShouldRevalidate }) =>
  formMethod?.toUpperCase() === "POST" ? false : defaultShouldRevalidate;

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

const ignoreProgress = () => undefined;

export default function PulsePage() {
  const page = useLoaderData<typeof loader>();
  const t = useT();
  const lang = useLang();
  const submitter = useFetcher<typeof action>();
  // A form page posted without JavaScript (or by the enhancement script) answers as the document.
  const posted = useActionData<typeof action>();
  const result = (submitter.state === "idle" ? submitter.data : undefined) ?? posted;
  const sending = submitter.state !== "idle";
  const submission = useRef("");
  const [ready, setReady] = useState(false);
  const [resume, setResume] = useState(0);

  useEffect(() => {
    submission.current = randomId();
    setReady(true);
  }, []);
  useEffect(() => {
    if (result?.status === "invalid") setResume((n) => n + 1);
  }, [result]);

  const onComplete = useCallback(
    (answers: Record<string, unknown>) => {
      const form = new FormData();
      form.set("data", JSON.stringify(answers));
      form.set("submission", submission.current);
      submitter.submit(form, { method: "post" });
    },
    [submitter],
  );

  const brand = "brand" in page ? page.brand : null;
  let notice: { title: string; body: string; tone?: "done" } | null = null;
  if (result?.status === "recorded") notice = { title: t("act.pulse.thanks.title"), body: t("act.pulse.thanks.body"), tone: "done" };
  else if (page.state === "unknown" || result?.status === "unknown") notice = { title: t("respondent.unknown.title"), body: t("respondent.unknown.body") };
  else if (page.state === "closed" || result?.status === "closed") notice = { title: t("respondent.closed.title"), body: t("respondent.closed.body") };
  else if (page.state === "not_yet" || result?.status === "not_yet")
    notice = { title: t("act.pulse.notYet.title"), body: t("act.pulse.notYet.body", { date: "opensOn" in page ? page.opensOn : "" }) };

  return (
    <RespondentFrame brand={brand} lang={lang}>
      {notice || page.state !== "open" ? (
        <RespondentNotice title={notice?.title ?? ""} body={notice?.body ?? ""} tone={notice?.tone} />
      ) : page.renderer === "server" ? (
        <>
          {result?.status === "invalid" ? (
            <div className="respondent-alert" role="alert">
              {t("respondent.invalid")} {result.message}
            </div>
          ) : null}
          <SurveyForm title={page.title} form={result?.status === "page" ? result.form : page.form} lang={lang} />
        </>
      ) : (
        <>
          <h1 className="respondent-title">{page.title}</h1>
          {result?.status === "invalid" ? (
            <div className="respondent-alert" role="alert">
              {t("respondent.invalid")} {result.message}
            </div>
          ) : null}
          {sending ? (
            <p className="respondent-status" role="status">
              {t("respondent.sending")}
            </p>
          ) : null}
          <div className="respondent-survey" hidden={sending}>
            {ready ? (
              <Suspense
                fallback={
                  <p className="respondent-status" role="status">
                    {t("respondent.loading")}
                  </p>
                }
              >
                <RespondentSurvey definition={page.definition} locale={lang} initial={null} onProgress={ignoreProgress} onComplete={onComplete} resume={resume} />
              </Suspense>
            ) : (
              <p className="respondent-status" role="status">
                {t("respondent.loading")}
              </p>
            )}
            <noscript>
              <p className="respondent-alert">{t("respondent.noscript")}</p>
            </noscript>
          </div>
        </>
      )}
    </RespondentFrame>
  );
}

export { RespondentErrorBoundary as ErrorBoundary } from "~/components/respondent/RespondentFrame";
