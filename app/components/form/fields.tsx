// Labelled controls bound to a conform field: the label, the control, an optional hint and the first
// message, wired for screen readers (aria-invalid, aria-describedby) — one markup for every form.
import { getInputProps, getSelectProps, getTextareaProps, type FieldMetadata, type FormMetadata } from "@conform-to/react";
import type { ReactNode } from "react";

// conform's metadata is generic over the field's value; these controls only read names, ids and errors.
type AnyField = FieldMetadata<any, any, string[]>;

type Common = {
  field: AnyField;
  label: ReactNode;
  hint?: ReactNode;
  className?: string;
  /** The label is read by screen readers only: a table's column or row already names the control. */
  labelHidden?: boolean;
};

function LabelText({ label, hidden }: { label: ReactNode; hidden?: boolean }) {
  return hidden ? <span className="label-hidden">{label}</span> : <>{label}</>;
}

function Message({ field, hint }: { field: AnyField; hint?: ReactNode }) {
  return (
    <>
      {hint ? (
        <span id={field.descriptionId} className="muted">
          {hint}
        </span>
      ) : null}
      {field.errors?.length ? (
        <span id={field.errorId} className="field-error">
          {field.errors[0]}
        </span>
      ) : null}
    </>
  );
}

type TextProps = Common & {
  type?: "text" | "email" | "number" | "url" | "password" | "search" | "tel" | "file" | "date" | "time";
  multiline?: boolean;
  rows?: number;
  readOnly?: boolean;
  autoComplete?: string;
  placeholder?: string;
  step?: string;
  min?: number;
  list?: string;
  max?: number | string;
  /** For a file: the kinds of file offered by the picker. */
  accept?: string;
};

export function TextField({ field, label, hint, multiline, type = "text", rows = 4, className, labelHidden, ...rest }: TextProps) {
  const options = { ariaDescribedBy: hint ? field.descriptionId : undefined };
  if (multiline) {
    const { key, ...props } = getTextareaProps(field, options);
    return (
      <label htmlFor={field.id} className={className}>
        <LabelText label={label} hidden={labelHidden} />
        <textarea key={key} {...props} rows={rows} readOnly={rest.readOnly} placeholder={rest.placeholder} />
        <Message field={field} hint={hint} />
      </label>
    );
  }
  const { key, ...props } = getInputProps(field, { type, ...options });
  return (
    <label htmlFor={field.id} className={className}>
      <LabelText label={label} hidden={labelHidden} />
      <input key={key} {...props} {...rest} />
      <Message field={field} hint={hint} />
    </label>
  );
}

export type Choice = { value: string; label: ReactNode };

export function SelectField({ field, label, hint, options, className, labelHidden }: Common & { options: readonly Choice[] }) {
  const { key, ...props } = getSelectProps(field, { ariaDescribedBy: hint ? field.descriptionId : undefined });
  return (
    <label htmlFor={field.id} className={className}>
      <LabelText label={label} hidden={labelHidden} />
      <select key={key} {...props}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <Message field={field} hint={hint} />
    </label>
  );
}

export function CheckboxField({ field, label, hint, value = "on" }: Common & { value?: string }) {
  const { key, ...props } = getInputProps(field, { type: "checkbox", value, ariaDescribedBy: hint ? field.descriptionId : undefined });
  return (
    <label htmlFor={field.id} className="check">
      <input key={key} {...props} /> {label}
      <Message field={field} hint={hint} />
    </label>
  );
}

/** The form's own messages (not tied to one field), announced when they appear. */
export function FormErrors({ form }: { form: Pick<FormMetadata<Record<string, unknown>, string[]>, "errors" | "errorId"> }) {
  if (!form.errors?.length) return null;
  return (
    <div id={form.errorId} className="notice error" role="alert">
      <ul className="errors-list">
        {form.errors.map((e, i) => (
          <li key={i}>{e}</li>
        ))}
      </ul>
    </div>
  );
}

/** Checkboxes for one array field (conform reads the checked values as a list): one per option. */
export function CheckboxChoices({ field, options, className = "checks-scroll" }: { field: AnyField; options: readonly Choice[]; className?: string }) {
  return (
    <div className={className}>
      {options.map((o) => {
        const { key, ...props } = getInputProps(field, { type: "checkbox", value: o.value });
        const id = `${field.id}-${o.value}`;
        return (
          <label key={key ?? o.value} className="check" htmlFor={id}>
            <input {...props} id={id} /> {o.label}
          </label>
        );
      })}
    </div>
  );
}

/** Radio buttons for one field: one per option, the chosen value kept after a failed submit. */
export function RadioChoices({ field, options }: { field: AnyField; options: readonly Choice[] }) {
  return (
    <>
      {options.map((o) => {
        const { key, ...props } = getInputProps(field, { type: "radio", value: o.value });
        const id = `${field.id}-${o.value}`;
        return (
          <label key={key ?? o.value} className="check" htmlFor={id}>
            <input {...props} id={id} /> {o.label}
          </label>
        );
      })}
    </>
  );
}

/** A group of controls for one field under a legend, with the field's first message after them. */
export function FieldsetField({ field, legend, hint, children }: { field: AnyField; legend: ReactNode; hint?: ReactNode; children: ReactNode }) {
  const describedBy = [field.errors?.length ? field.errorId : null, hint ? field.descriptionId : null].filter(Boolean).join(" ") || undefined;
  return (
    <fieldset aria-describedby={describedBy}>
      <legend>{legend}</legend>
      {children}
      <Message field={field} hint={hint} />
    </fieldset>
  );
}
