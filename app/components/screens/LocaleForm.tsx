// The workspace's time zone and currency (Settings): how every date and amount reads on screen.
import { getFormProps } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { Saved, replyFor, type FormFeedback } from "~/components/act/CaseSettingsForms";
import { LocaleSchema } from "~/components/act/settings-schemas";
import { TextField } from "~/components/form/fields";
import { useSchemaForm } from "~/components/form/use-schema-form";
import { useT } from "~/i18n/use-t";

export const LOCALE_INTENT = "locale";

export function LocaleForm({ timeZone, currency, timeZones, feedback }: { timeZone: string; currency: string; timeZones: string[]; feedback: FormFeedback }) {
  const t = useT();
  const [form, fields] = useSchemaForm(LocaleSchema, { id: "ws", lastResult: replyFor(feedback, LOCALE_INTENT), defaultValue: { timeZone, currency } });
  return (
    <Form method="post" className="card stack" aria-labelledby="locale" {...getFormProps(form)} noValidate>
      <h3 id="locale">{t("locale.title")}</h3>
      <Saved feedback={feedback} intent={LOCALE_INTENT} />
      <input type="hidden" name="intent" value={LOCALE_INTENT} />
      <div className="row">
        <TextField label={t("locale.timeZone")} field={fields.timeZone} list="time-zones" autoComplete="off" hint={t("locale.timeZoneHint")} />
        <datalist id="time-zones">
          {timeZones.map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
        <TextField label={t("locale.currency")} field={fields.currency} hint={t("locale.currencyHint")} />
        <button type="submit">{t("locale.save")}</button>
      </div>
    </Form>
  );
}
