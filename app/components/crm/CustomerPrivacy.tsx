// The customer page's data-rights section (admins): download everything held about the customer,
// or erase their identity after typing their external id — a deliberate step, since it cannot be undone.
import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { z } from "zod";
import { FormErrors, TextField } from "~/components/form/fields";
import { useSchemaForm } from "~/components/form/use-schema-form";
import { useT } from "~/i18n/use-t";
import { formText } from "~/web/form-schema";

/** The erase form: the external id typed again (the action compares it with the customer's). */
export const EraseSchema = z.object({ intent: z.literal("erase"), confirm: formText(200) });

type Props = { slug: string; customerId: number; externalId: string; lastResult?: SubmissionResult<string[]> | null };

export function CustomerPrivacy({ slug, customerId, externalId, lastResult }: Props) {
  const t = useT();
  const [form, fields] = useSchemaForm(EraseSchema, { id: "erase", lastResult });
  return (
    <section className="card stack" aria-labelledby="privacy">
      <h2 id="privacy">{t("privacy.title")}</h2>
      <p className="muted">{t("privacy.intro")}</p>
      {/* A document request: the answer is a file to save, not data for the page. */}
      <Form method="post" action={`/w/${slug}/customers/${customerId}/export.json`} reloadDocument>
        <button type="submit" className="secondary">
          {t("privacy.export")}
        </button>
      </Form>
      <Form method="post" className="row" {...getFormProps(form)} noValidate>
        <input type="hidden" name="intent" value="erase" />
        <FormErrors form={form} />
        <TextField label={t("privacy.erase.confirm", { externalId })} field={fields.confirm} autoComplete="off" />
        <button type="submit" className="danger">
          {t("privacy.erase")}
        </button>
      </Form>
    </section>
  );
}
