// A labelled form control with its error, wired for screen readers (aria-invalid, aria-describedby).
import type { InputHTMLAttributes, ReactNode } from "react";

type Props = InputHTMLAttributes<HTMLInputElement> & {
  label: ReactNode;
  name: string;
  error?: string;
  hint?: ReactNode;
  multiline?: boolean;
};

export function Field({ label, name, error, hint, multiline, id, ...input }: Props) {
  const fieldId = id ?? `f-${name.replace(/[^a-zA-Z0-9_-]/g, "-")}`;
  const describedBy = [error ? `${fieldId}-error` : null, hint ? `${fieldId}-hint` : null].filter(Boolean).join(" ") || undefined;
  return (
    <label htmlFor={fieldId}>
      {label}
      {multiline ? (
        <textarea
          id={fieldId}
          name={name}
          defaultValue={input.defaultValue as string | undefined}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          required={input.required}
          readOnly={input.readOnly}
          rows={4}
        />
      ) : (
        <input id={fieldId} name={name} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...input} />
      )}
      {hint ? (
        <span id={`${fieldId}-hint`} className="muted">
          {hint}
        </span>
      ) : null}
      {error ? (
        <span id={`${fieldId}-error`} className="field-error">
          {error}
        </span>
      ) : null}
    </label>
  );
}
