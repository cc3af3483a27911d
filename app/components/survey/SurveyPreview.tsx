// A SurveyJS preview that loads survey-react-ui lazily, in the browser only.
import { lazy, Suspense } from "react";
import type { SurveyJson } from "~/survey/types";
import { ClientOnly } from "./ClientOnly";

const LivePreview = lazy(() => import("./survey-preview.client"));

export function SurveyPreview({
  json,
  locale,
  loadingText,
  failedText,
  variables,
}: {
  json: SurveyJson | null;
  locale: "es" | "en";
  loadingText: string;
  failedText: string;
  variables?: Record<string, string>;
}) {
  const loading = <p className="muted">{loadingText}</p>;
  return (
    <ClientOnly fallback={loading}>
      {() => (json ? (
        <Suspense fallback={loading}>
          <LivePreview json={json} locale={locale} failedText={failedText} variables={variables} />
        </Suspense>
      ) : (
        <p className="notice error">{failedText}</p>
      ))}
    </ClientOnly>
  );
}
