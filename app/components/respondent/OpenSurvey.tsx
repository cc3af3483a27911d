// The answering side of the respondent page in the browser: SurveyJS loaded lazily (React.lazy:
// survey-core and survey-react-ui stay out of the server-rendered shell and out of other pages),
// progress kept as the respondent goes, the answers posted once complete.
import { useFetcher } from "@remix-run/react";
import { Suspense, lazy, useCallback, useEffect, useRef, useState } from "react";
import { useLang, useT } from "~/i18n/use-t";
import type { FormPayload } from "~/survey/form-view";
import type { SurveyProgress } from "~/survey/respondent-survey";

const RespondentSurvey = lazy(() => import("~/survey/respondent-survey"));

/** What the page's action answers to a progress save or a submit. */
export type SubmitOutcome =
  | { status: "recorded" | "saved" | "already_received" | "expired" | "closed" | "unknown" }
  | { status: "invalid"; errors: { question: string; message: string }[] }
  /** A page of the server-drawn form (app/survey/server-form.server.ts), next or again with its errors. */
  | { status: "page"; form: FormPayload };

export type StoredProgress = SurveyProgress & { startedAt?: number; submission?: string };

/** Saved progress as the page writes it. Checked by hand: zod stays out of the browser bundle. */
export function isStoredProgress(value: unknown): value is StoredProgress {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  const isObject = (x: unknown) => typeof x === "object" && x !== null && !Array.isArray(x);
  return (
    isObject(v.data) &&
    Number.isInteger(v.page) &&
    (v.page as number) >= 0 &&
    (v.startedAt === undefined || Number.isInteger(v.startedAt)) &&
    (v.submission === undefined || typeof v.submission === "string")
  );
}

function randomId(): string {
  // crypto.getRandomValues works on plain http too (randomUUID needs a secure context).
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Where a public link keeps its progress on the device (an invitation keeps it on the server). */
export function progressKey(page: Pick<OpenSurveyPage, "versionId">): string {
  return `vivencia:survey:${page.versionId}`;
}

function parseProgress(text: string | null): StoredProgress | null {
  if (!text) return null;
  try {
    const parsed: unknown = JSON.parse(text);
    return isStoredProgress(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

export type OpenSurveyPage = {
  kind: "invitation" | "link";
  title: string;
  /** The survey version's JSON text. */
  definition: string;
  versionId: number;
  /** An invitation's saved progress (JSON text), null for public links. */
  progress: string | null;
  /** Values of the placeholders in the survey's texts ({brand}, {touchpoint}, {customer_name}). */
  variables?: Record<string, string>;
};

/**
 * The survey being answered: restores progress, saves it as the respondent goes (debounced; at
 * once on a page change; by beacon when the page is left), and hands the answers to `submit`.
 */
export function OpenSurvey({
  page,
  submit,
  sending,
  outcome,
}: {
  page: OpenSurveyPage;
  /** Posts the form to the page's action (intent=submit). */
  submit: (form: FormData) => void;
  sending: boolean;
  /** The action's answer to the last submit, once it has come. */
  outcome: SubmitOutcome | undefined;
}) {
  const t = useT();
  const lang = useLang();
  const saver = useFetcher({ key: "respondent-progress" });
  const storageKey = progressKey(page);
  // Restored after mount: localStorage exists only in the browser, and so does the survey.
  const [restored, setRestored] = useState<StoredProgress | null | undefined>(undefined);
  const session = useRef({ startedAt: 0, submission: "" });
  const pending = useRef<SurveyProgress | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const [resume, setResume] = useState(0);

  useEffect(() => {
    let stored: StoredProgress | null = null;
    try {
      stored = page.kind === "link" ? parseProgress(window.localStorage.getItem(storageKey)) : parseProgress(page.progress);
    } catch {
      stored = null; // storage blocked: start afresh
    }
    session.current = { startedAt: stored?.startedAt ?? Date.now(), submission: stored?.submission ?? randomId() };
    setRestored(stored);
    // Only the first load decides where the respondent continues, hence no dependencies.
  }, []); // eslint-disable-line react-hooks/exhaustive-deps

  const save = useCallback(
    (progress: SurveyProgress, beacon = false) => {
      const stored: StoredProgress = { ...progress, ...session.current };
      const text = JSON.stringify(stored);
      if (page.kind === "link") {
        try {
          window.localStorage.setItem(storageKey, text);
        } catch {
          // storage full or blocked: the answers still go with the submit
        }
        return;
      }
      const form = new FormData();
      form.set("intent", "progress");
      form.set("progress", text);
      if (beacon && navigator.sendBeacon) navigator.sendBeacon(window.location.pathname, form);
      else saver.submit(form, { method: "post" });
    },
    [page.kind, storageKey, saver],
  );

  const flush = useCallback(
    (beacon = false) => {
      clearTimeout(timer.current);
      const progress = pending.current;
      pending.current = null;
      if (progress) save(progress, beacon);
    },
    [save],
  );

  const onProgress = useCallback(
    (progress: SurveyProgress, urgent: boolean) => {
      pending.current = progress;
      clearTimeout(timer.current);
      if (urgent) flush();
      else timer.current = setTimeout(flush, 800);
    },
    [flush],
  );

  useEffect(() => {
    const onHide = () => flush(true);
    window.addEventListener("pagehide", onHide);
    return () => window.removeEventListener("pagehide", onHide);
  }, [flush]);

  const onComplete = useCallback(
    (answers: Record<string, unknown>) => {
      clearTimeout(timer.current);
      pending.current = null;
      const form = new FormData();
      form.set("intent", "submit");
      form.set("data", JSON.stringify(answers));
      form.set("version", String(page.versionId));
      form.set("lang", lang);
      form.set("startedAt", String(session.current.startedAt));
      if (page.kind === "link") form.set("submission", session.current.submission);
      submit(form);
    },
    [lang, page.kind, page.versionId, submit],
  );

  const result = outcome;
  useEffect(() => {
    // Refused: back into the survey, answers kept, with the reasons above it.
    if (result?.status === "invalid") setResume((n) => n + 1);
  }, [result]);

  return (
    <>
      <h1 className="respondent-title">{page.title}</h1>
      {result?.status === "invalid" ? (
        <div className="respondent-alert" role="alert">
          {t("respondent.invalid")}
          <ul>
            {result.errors.slice(0, 5).map((error, i) => (
              <li key={i}>{error.message}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {sending ? (
        <p className="respondent-status" role="status">
          {t("respondent.sending")}
        </p>
      ) : null}
      <div className="respondent-survey" hidden={sending}>
        {restored === undefined ? (
          <p className="respondent-status" role="status">
            {t("respondent.loading")}
          </p>
        ) : (
          <Suspense
            fallback={
              <p className="respondent-status" role="status">
                {t("respondent.loading")}
              </p>
            }
          >
            <RespondentSurvey
              definition={page.definition}
              variables={page.variables}
              locale={lang}
              initial={restored}
              onProgress={onProgress}
              onComplete={onComplete}
              resume={resume}
            />
          </Suspense>
        )}
        <noscript>
          <p className="respondent-alert">{t("respondent.noscript")}</p>
        </noscript>
      </div>
    </>
  );
}
