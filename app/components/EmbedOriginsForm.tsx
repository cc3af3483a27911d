// The Settings form listing the sites allowed to show the workspace's survey and pulse pages inside a
// frame (their Content-Security-Policy frame-ancestors; app/web/embed-origins.server.ts).
import { Form } from "@remix-run/react";
import { Saved, type FormFeedback } from "~/components/act/CaseSettingsForms";
import { Field } from "~/components/Field";
import { useT } from "~/i18n/use-t";

export const EMBED_INTENT = "embed-origins";

type Feedback = FormFeedback & { values?: Record<string, string> };

export function EmbedOriginsForm({ origins, feedback }: { origins: readonly string[]; feedback: Feedback | undefined }) {
  const t = useT();
  const refused = feedback && !feedback.ok && feedback.intent === EMBED_INTENT ? feedback : undefined;
  const saved = origins.join("\n");
  return (
    <Form method="post" className="card stack" aria-labelledby="embedding">
      <Saved feedback={feedback} intent={EMBED_INTENT} />
      <input type="hidden" name="intent" value={EMBED_INTENT} />
      <p className="muted">{t("embed.intro")}</p>
      {/* Keyed by the saved list: after a save the field shows the origins as stored (normalised). */}
      <Field
        key={saved}
        label={t("embed.origins")}
        name="embedOrigins"
        id="embed-origins"
        multiline
        defaultValue={refused?.values?.embedOrigins ?? saved}
        error={refused?.errors.embedOrigins}
        hint={t("embed.hint")}
      />
      <button type="submit">{t("embed.save")}</button>
    </Form>
  );
}
