// The Settings form listing the sites allowed to show the workspace's survey and pulse pages inside a
// frame (their Content-Security-Policy frame-ancestors; app/web/embed-origins.server.ts).
import { getFormProps } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { Saved, replyFor, type FormFeedback } from "~/components/act/CaseSettingsForms";
import { EmbedOriginsSchema } from "~/components/act/settings-schemas";
import { Field } from "~/components/Field";
import { useSchemaForm } from "~/components/form/use-schema-form";
import { useT } from "~/i18n/use-t";

export const EMBED_INTENT = "embed-origins";

/** Keyed by the saved list by its caller: after a save the box shows the origins as stored (normalised). */
export function EmbedOriginsForm({ origins, feedback }: { origins: readonly string[]; feedback: FormFeedback }) {
  const t = useT();
  const [form, fields] = useSchemaForm(EmbedOriginsSchema, { id: "embed", lastResult: replyFor(feedback, EMBED_INTENT), defaultValue: { embedOrigins: origins.join("\n") } });
  const field = fields.embedOrigins;
  return (
    <Form method="post" className="card stack" aria-labelledby="embedding" {...getFormProps(form)} noValidate>
      <Saved feedback={feedback} intent={EMBED_INTENT} />
      <input type="hidden" name="intent" value={EMBED_INTENT} />
      <p className="muted">{t("embed.intro")}</p>
      {/* The id stays as it was: the browser tests name it. */}
      <Field
        key={field.key}
        label={t("embed.origins")}
        name={field.name}
        id="embed-origins"
        multiline
        defaultValue={String(field.initialValue ?? "")}
        error={field.errors?.[0]}
        hint={t("embed.hint")}
      />
      <button type="submit">{t("embed.save")}</button>
    </Form>
  );
}
