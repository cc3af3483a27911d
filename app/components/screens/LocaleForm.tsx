// The workspace's time zone and currency (Settings): how every date and amount reads on screen.
import { Form } from "@remix-run/react";
import { Saved } from "~/components/act/CaseSettingsForms";
import { Field } from "~/components/Field";
import { useT } from "~/i18n/use-t";

export const LOCALE_INTENT = "locale";

type Feedback = { intent: string; ok: boolean; errors: Record<string, string>; values?: Record<string, string> } | undefined;

export function LocaleForm({ timeZone, currency, timeZones, feedback }: { timeZone: string; currency: string; timeZones: string[]; feedback: Feedback }) {
  const t = useT();
  const mine = feedback && feedback.intent === LOCALE_INTENT;
  const errors = mine && !feedback.ok ? feedback.errors : {};
  const values = mine && !feedback.ok ? feedback.values : undefined;
  return (
    <Form method="post" className="card stack" aria-labelledby="locale">
      <h3 id="locale">{t("locale.title")}</h3>
      <Saved feedback={feedback} intent={LOCALE_INTENT} />
      <input type="hidden" name="intent" value={LOCALE_INTENT} />
      <div className="row">
        <Field
          label={t("locale.timeZone")}
          name="timeZone"
          id="ws-time-zone"
          list="time-zones"
          required
          autoComplete="off"
          defaultValue={values?.timeZone ?? timeZone}
          error={errors.timeZone}
          hint={t("locale.timeZoneHint")}
        />
        <datalist id="time-zones">
          {timeZones.map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
        <Field
          label={t("locale.currency")}
          name="currency"
          id="ws-currency"
          required
          maxLength={3}
          pattern="[A-Za-z]{3}"
          defaultValue={values?.currency ?? currency}
          error={errors.currency}
          hint={t("locale.currencyHint")}
        />
        <button type="submit">{t("locale.save")}</button>
      </div>
    </Form>
  );
}
