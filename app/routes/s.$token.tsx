// /s/<token>: the public survey page a customer opens from a link or QR code, no sign-in. The page
// is server-rendered HTML forms, one survey page at a time (app/survey/server-form.server.ts), that
// work without JavaScript; a small script (respondent-enhance.js) validates in the browser and
// moves between pages without reloading. No React runs on this page. Surveys with question types
// the server cannot draw, and ?renderer=surveyjs, get the SurveyJS survey in the browser instead
// (components/respondent/OpenSurvey.tsx). Progress is kept between pages (in the form, and on the
// invitation for a personal link), the answers are recorded once by recordResponse, and a personal
// link answers only once. docs/decisions/021-respondent-server-renderer.md says why.
import {
  data,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { useActionData, useFetcher, useLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
import { useCallback, useEffect } from "react";
import { z } from "zod";
import { parseBoundedJson } from "~/cem/bounded-json";
import { RowIdParamSchema } from "~/cem/row-id";
import { OpenSurvey, isStoredProgress, progressKey, type SubmitOutcome } from "~/components/respondent/OpenSurvey";
import { RespondentFrame, RespondentNotice } from "~/components/respondent/RespondentFrame";
import { SurveyForm } from "~/components/respondent/SurveyForm";
import respondentCss from "~/components/respondent/respondent.css?url";
import enhanceScript from "~/components/respondent/respondent-enhance.js?url";
import {
  MAX_PROGRESS_LENGTH,
  markInvitationOpened,
  type OpenLink,
  resolveRespondentToken,
  saveInvitationProgress,
  respondentTitle,
  placeholderValues,
  versionOfSurvey,
} from "~/data/respondent.server";
import { recordResponse } from "~/data/responses.server";
import { fillPlaceholders } from "~/survey/builder/text";
import { requestLang } from "~/i18n/lang.server";
import { translator } from "~/i18n/messages";
import { useLang, useT } from "~/i18n/use-t";
import type { FormPayload } from "~/survey/form-view";
import { SURVEY_LOCALES } from "~/survey/locales";
import { drawnOnServer, formPayload, MAX_FORM_STATE_LENGTH, openingPayload, openingState, progressOf, readFormState } from "~/survey/respondent-form.server";
import { renderPage, stepForm } from "~/survey/server-form.server";
import type { PageScripts } from "~/web/page-scripts";
import { parseFields, readFormData } from "~/web/request-body.server";
import { retryAfter } from "~/web/retry-after";
import { limitRespondent, tooManyRequests } from "~/web/rate-limit.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: respondentCss }];

// The server-drawn form needs no React in the browser: the document carries the enhancement script
// only (a few KB), not Remix's hydration. The SurveyJS fallback is a React component: full scripts.
export const handle: PageScripts = {
  scripts: (data) => ((data as { renderer?: string } | undefined)?.renderer === "surveyjs" ? "remix" : { module: enhanceScript }),
};

// The token in the URL is a capability: never cached, never sent on as a referrer, never indexed.
// Who may frame the page (this site and the workspace's embed origins) is in its Content-Security-
// Policy, which entry.server.tsx sets on every respondent page (app/web/security-headers.server.ts).
export const headers: HeadersFunction = ({ actionHeaders }) => ({
  "Cache-Control": "no-store",
  "Referrer-Policy": "same-origin",
  "X-Robots-Tag": "noindex",
  ...retryAfter(actionHeaders),
});

export const meta: MetaFunction<typeof loader> = ({ data: page }) => {
  const brand = page && "brand" in page ? page.brand : null;
  const title = page && page.state === "open" ? page.title : null;
  return [{ title: [title, brand].filter(Boolean).join(" · ") || "Vivencia" }, { name: "robots", content: "noindex" }];
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const lang = await requestLang(request);
  const link = await resolveRespondentToken(params.token ?? "");
  switch (link.state) {
    case "unknown":
      return data({ state: "unknown" as const }, { status: 404 });
    case "expired":
    case "closed":
      return data({ state: link.state, brand: link.brand }, { status: 410 });
    case "completed":
      return data({ state: link.state, brand: link.brand });
  }
  if (link.invitationId !== null) await markInvitationOpened(link.invitationId);
  const variables = await placeholderValues(link, lang);
  const title = fillPlaceholders(respondentTitle(link, lang), variables);
  const common = { state: link.state, kind: link.kind, brand: link.brand, title, versionId: link.version.id };
  const wantsSurveyJs = new URL(request.url).searchParams.get("renderer") === "surveyjs";
  if (wantsSurveyJs || !drawnOnServer(`version:${link.version.id}`, link.version.json)) {
    return data({ ...common, renderer: "surveyjs" as const, definition: link.version.definition, progress: link.progress, variables });
  }
  const state = openingState(link.version.json, link.version.id, link.progress);
  return data({ ...common, renderer: "server" as const, form: openingPayload(link.version.json, state, lang, variables) });
}

// Built on first use inside the action, so that the browser bundle of this route carries no zod.
let actionSchema: ReturnType<typeof buildActionSchema> | undefined;
function buildActionSchema() {
  return z.discriminatedUnion("intent", [
    z.object({ intent: z.literal("progress"), progress: z.string().max(MAX_PROGRESS_LENGTH) }),
    z.object({
      intent: z.literal("submit"),
      data: z.string().min(2).max(256 * 1024),
      version: RowIdParamSchema,
      lang: z.enum(SURVEY_LOCALES),
      startedAt: z.coerce.number().int().positive().optional(),
      // A public link's submission id (random, per filling-in): retries do not double-count.
      submission: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/).optional(),
    }),
    // A page of the server-drawn form: its fields ride along and are read by the survey's own rules.
    z.object({ intent: z.literal("next"), state: z.string().max(MAX_FORM_STATE_LENGTH) }),
    z.object({ intent: z.literal("back"), state: z.string().max(MAX_FORM_STATE_LENGTH) }),
  ]);
}

const DAY_MS = 24 * 3600_000;

function outcome(body: SubmitOutcome, status = 200) {
  return data(body, { status });
}

/** The form again, on whichever page, with the status a browser without JavaScript still shows. */
function formOutcome(form: FormPayload, status = 200) {
  return data<SubmitOutcome>({ status: "page", form }, { status });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  // Answers and progress saves, per client address and per link: refused with the answers kept in the page.
  const limited = await limitRespondent(request, context, params.token ?? "");
  if (limited) return tooManyRequests<SubmitOutcome>({ status: "invalid", errors: [{ question: "", message: limited.message }] }, limited);
  const link = await resolveRespondentToken(params.token ?? "");
  if (link.state === "unknown") return outcome({ status: "unknown" }, 404);
  if (link.state === "completed") return outcome({ status: "already_received" }, 409);
  if (link.state !== "open") return outcome({ status: link.state }, 410);

  const body = await readFormData(request);
  const unreadable = body ? null : translator(await requestLang(request))("form.unreadable");
  const form = body ? parseFields(body, (actionSchema ??= buildActionSchema())) : ({ ok: false, errors: { _form: unreadable ?? "" } } as const);
  if (!form.ok) {
    const errors = Object.entries(form.errors).map(([question, message]) => ({ question, message }));
    return outcome({ status: "invalid", errors }, 400);
  }
  const input = form.data;

  if (input.intent === "next" || input.intent === "back") {
    const lang = await requestLang(request);
    return stepPage({ link, lang, direction: input.intent, stateText: input.state, fields: body ?? new FormData() });
  }

  if (input.intent === "progress") {
    // Bounded like every JSON from outside (depth, no __proto__/constructor/prototype keys).
    const parsed = parseBoundedJson(input.progress);
    const progress = parsed.ok ? parsed.value : null;
    if (!isStoredProgress(progress)) {
      return outcome({ status: "invalid", errors: [{ question: "", message: "Progress must be { data, page }." }] }, 400);
    }
    // A public link keeps its progress on the respondent's device.
    if (link.invitationId === null) return outcome({ status: "saved" });
    return (await saveInvitationProgress(link.invitationId, input.progress)) ? outcome({ status: "saved" }) : outcome({ status: "expired" }, 410);
  }

  const version = await versionOfSurvey(link.surveyId, input.version);
  if (!version) {
    return outcome({ status: "invalid", errors: [{ question: "", message: "This version of the survey is not open." }] }, 400);
  }
  const completedAt = new Date();
  const started = input.startedAt ?? 0;
  const startedAt = started <= completedAt.getTime() && started > completedAt.getTime() - 30 * DAY_MS ? new Date(started) : null;
  const result = await recordResponse({
    workspaceId: link.workspaceId,
    versionId: version.id,
    touchpointId: link.touchpointId,
    deploymentId: link.deploymentId,
    invitationId: link.invitationId,
    lang: input.lang,
    source: link.kind,
    data: input.data,
    startedAt,
    completedAt,
    idempotencyKey: link.kind === "link" && input.submission ? `link:${input.submission}` : null,
  });
  switch (result.status) {
    case "recorded":
    case "replayed":
      return outcome({ status: "recorded" });
    case "invalid":
      return outcome({ status: "invalid", errors: result.errors }, 400);
    case "already_received":
      return outcome({ status: "already_received" }, 409);
    case "expired":
      return outcome({ status: "expired" }, 410);
  }
}

type Step = {
  link: OpenLink;
  lang: "es" | "en";
  direction: "next" | "back";
  stateText: string;
  fields: FormData;
};

/**
 * One page of the server-drawn form posted: read and validated with the survey's rules, then the
 * next page, the same page with its errors, or — after the last page — the response recorded once.
 */
async function stepPage({ link, lang, direction, stateText, fields }: Step) {
  const posted = readFormState(stateText);
  const variables = await placeholderValues(link, lang);
  // The version the respondent was answering, if it is still open; else they start on the newest.
  const version = posted ? await versionOfSurvey(link.surveyId, posted.version) : null;
  if (!posted || !version) {
    const fresh = openingState(link.version.json, link.version.id, link.progress);
    const t = translator(lang);
    return formOutcome(formPayload(renderPage(link.version.json, fresh, lang, new Map(), variables), fresh, t("respondent.form.restarted")), 400);
  }
  const field = { get: (name: string) => stringField(fields.get(name)), getAll: (name: string) => fields.getAll(name).map(stringField).filter((v): v is string => v !== null) };
  const step = stepForm(version.json, posted, field, direction, lang, variables);
  if (step.kind === "page") {
    // A personal link keeps its place on the server too: a reload, or another device, continues here.
    if (link.invitationId !== null && !(await saveInvitationProgress(link.invitationId, progressOf(step.state)))) return outcome({ status: "expired" }, 410);
    return formOutcome(formPayload(step.view, step.state), step.ok ? 200 : 400);
  }
  const completedAt = new Date();
  const startedAt = step.state.startedAt <= completedAt.getTime() && step.state.startedAt > completedAt.getTime() - 30 * DAY_MS ? new Date(step.state.startedAt) : null;
  const result = await recordResponse({
    workspaceId: link.workspaceId,
    versionId: version.id,
    touchpointId: link.touchpointId,
    deploymentId: link.deploymentId,
    invitationId: link.invitationId,
    lang,
    source: link.kind,
    data: JSON.stringify(step.answers),
    startedAt,
    completedAt,
    idempotencyKey: link.kind === "link" ? `link:${step.state.submission}` : null,
  });
  switch (result.status) {
    case "recorded":
    case "replayed":
      return outcome({ status: "recorded" });
    case "invalid": {
      // The page's rules passed but the answer rules did not (a definition SurveyJS is laxer about):
      // the reasons, on the last page, with the answers kept.
      const t = translator(lang);
      const reasons = result.errors.slice(0, 5).map((e) => e.message).join(" ");
      return formOutcome(formPayload(renderPage(version.json, step.state, lang, new Map(), variables), step.state, `${t("respondent.invalid")} ${reasons}`), 400);
    }
    case "already_received":
      return outcome({ status: "already_received" }, 409);
    case "expired":
      return outcome({ status: "expired" }, 410);
  }
}

function stringField(value: FormDataEntryValue | null): string | null {
  return typeof value === "string" ? value : null;
}

// Saving progress or submitting must not reload the page's data: the survey keeps its state.
export const shouldRevalidate: ShouldRevalidateFunction = ({ formMethod, defaultShouldRevalidate }) =>
  formMethod?.toUpperCase() === "POST" ? false : defaultShouldRevalidate;

export default function RespondentPage() {
  const page = useLoaderData<typeof loader>();
  const lang = useLang();
  const t = useT();
  const submitter = useFetcher<typeof action>({ key: "respondent-submit" });
  // A form page posted without JavaScript (or by the enhancement script) answers as the document.
  const posted = useActionData<typeof action>();
  const result: SubmitOutcome | undefined = (submitter.state === "idle" ? submitter.data : undefined) ?? posted;
  const brand = "brand" in page ? page.brand : null;
  const submit = useCallback((form: FormData) => submitter.submit(form, { method: "post" }), [submitter]);

  useEffect(() => {
    // Answered: the next person on this device (a kiosk, a shared tablet) starts afresh.
    if (result?.status !== "recorded" || page.state !== "open" || page.kind !== "link") return;
    try {
      window.localStorage.removeItem(progressKey(page));
    } catch {
      // nothing to clean
    }
  }, [result, page]);

  let notice: { title: string; body: string; tone?: "done" } | null = null;
  if (result?.status === "recorded") notice = { title: t("respondent.thanks.title"), body: t("respondent.thanks.body"), tone: "done" };
  else if (result?.status === "already_received" || page.state === "completed") {
    notice = { title: t("respondent.already.title"), body: t("respondent.already.body"), tone: "done" };
  } else if (result?.status === "expired" || page.state === "expired") {
    notice = { title: t("respondent.expired.title"), body: t("respondent.expired.body") };
  } else if (result?.status === "closed" || page.state === "closed") {
    notice = { title: t("respondent.closed.title"), body: t("respondent.closed.body") };
  } else if (result?.status === "unknown" || page.state === "unknown") {
    notice = { title: t("respondent.unknown.title"), body: t("respondent.unknown.body") };
  }

  return (
    <RespondentFrame brand={brand} lang={lang}>
      {notice || page.state !== "open" ? (
        <RespondentNotice title={notice?.title ?? ""} body={notice?.body ?? ""} tone={notice?.tone} />
      ) : page.renderer === "server" ? (
        <>
          {/* Answers posted whole (intent=submit, as the SurveyJS page and scripts do) and refused. */}
          {result?.status === "invalid" ? (
            <div className="respondent-alert" role="alert">
              {t("respondent.invalid")} {result.errors.slice(0, 5).map((e) => e.message).join(" ")}
            </div>
          ) : null}
          <SurveyForm title={page.title} form={result?.status === "page" ? result.form : page.form} lang={lang} />
        </>
      ) : (
        <OpenSurvey page={page} submit={submit} sending={submitter.state !== "idle"} outcome={result} />
      )}
    </RespondentFrame>
  );
}

export { RespondentErrorBoundary as ErrorBoundary } from "~/components/respondent/RespondentFrame";
