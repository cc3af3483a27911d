// One text of the survey in Spanish and English side by side, a missing translation flagged.
import { useT } from "~/i18n/use-t";
import { BUILDER_LANGS, missingLanguages, readText, type BuilderLang } from "~/survey/builder/text";

type Props = {
  id: string;
  label: string;
  value: unknown;
  multiline?: boolean;
  readOnly?: boolean;
  onChange: (lang: BuilderLang, text: string) => void;
  /** Where the caret is, so a placeholder can be inserted there. */
  onCaret?: (lang: BuilderLang, caret: number) => void;
};

export function TextPair({ id, label, value, multiline, readOnly, onChange, onCaret }: Props) {
  const t = useT();
  const missing = missingLanguages(value);
  return (
    <fieldset className="text-pair" data-field={id}>
      <legend>{label}</legend>
      <div className="text-pair-row">
        {BUILDER_LANGS.map((lang) => {
          const inputId = `${id}-${lang}`;
          const isMissing = missing.includes(lang);
          const props = {
            id: inputId,
            lang,
            value: readText(value, lang),
            readOnly,
            "aria-invalid": isMissing ? true : undefined,
            "aria-describedby": isMissing ? `${inputId}-missing` : undefined,
            onChange: (e: { target: HTMLInputElement | HTMLTextAreaElement }) => onChange(lang, e.target.value),
            onSelect: (e: { currentTarget: HTMLInputElement | HTMLTextAreaElement }) => onCaret?.(lang, e.currentTarget.selectionStart ?? 0),
            onFocus: (e: { currentTarget: HTMLInputElement | HTMLTextAreaElement }) => onCaret?.(lang, e.currentTarget.selectionStart ?? e.currentTarget.value.length),
          };
          return (
            <label key={lang} htmlFor={inputId}>
              {t("builder.inLang", { field: label, lang: t(`builder.lang.${lang}`) })}
              {multiline ? <textarea rows={2} {...props} /> : <input type="text" {...props} />}
              {isMissing ? (
                <span id={`${inputId}-missing`} className="badge missing-translation">
                  {t("builder.missing", { lang: t(`builder.lang.${lang}`) })}
                </span>
              ) : null}
            </label>
          );
        })}
      </div>
    </fieldset>
  );
}
