// The customer page's data-rights section (admins): download everything held about the customer,
// or erase their identity after typing their external id — a deliberate step, since it cannot be undone.
import { Form } from "@remix-run/react";
import { Field } from "~/components/Field";
import { useT } from "~/i18n/use-t";

export function CustomerPrivacy({ slug, customerId, externalId, mismatch }: { slug: string; customerId: number; externalId: string; mismatch: boolean }) {
  const t = useT();
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
      <Form method="post" className="row">
        <input type="hidden" name="intent" value="erase" />
        <Field
          label={t("privacy.erase.confirm", { externalId })}
          name="confirm"
          autoComplete="off"
          required
          error={mismatch ? t("privacy.erase.mismatch") : undefined}
        />
        <button type="submit" className="danger">
          {t("privacy.erase")}
        </button>
      </Form>
    </section>
  );
}
