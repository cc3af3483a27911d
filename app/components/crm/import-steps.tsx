// The steps of the CRM import page (routes/w.$ws.crm.import.tsx): upload with a progress bar, column
// mapping, the running job's progress, the report, and the documented columns.
import { Form, Link, useNavigate, useNavigation } from "@remix-run/react";
import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { useMemo, useState, type FormEvent } from "react";
import { CheckboxField, FormErrors, SelectField } from "~/components/form/fields";
import { useSchemaForm } from "~/components/form/use-schema-form";
import { mappingSchema } from "./mapping-form";
import type { ColumnDoc } from "~/cem/crm-columns";
import type { ImportJobView } from "~/data/crm-import-jobs.server";
import { badRowTexts } from "~/i18n/crm-import-text";
import { formatDecimal, formatInteger } from "~/i18n/format";
import type { Lang } from "~/i18n/lang";
import { useLang, useT } from "~/i18n/use-t";

const size = (bytes: number, lang: Lang) =>
  bytes >= 1024 * 1024 ? `${formatDecimal(bytes / 1024 / 1024, lang, 1)} MB` : `${formatInteger(Math.max(1, Math.round(bytes / 1024)), lang)} KB`;

export function Steps({ current }: { current: 1 | 2 | 3 }) {
  const t = useT();
  return (
    <ol className="row" style={{ listStyle: "none", padding: 0, gap: "1rem" }}>
      {([1, 2, 3] as const).map((n) => (
        <li key={n} aria-current={n === current ? "step" : undefined} style={{ fontWeight: n === current ? 700 : 400 }} className={n === current ? "" : "muted"}>
          {t(`crm.import.step${n}`)}
        </li>
      ))}
    </ol>
  );
}

export function UploadStep({ slug, maxMb }: { slug: string; maxMb: number }) {
  const t = useT();
  const navigate = useNavigate();
  const [percent, setPercent] = useState<number | null>(null);
  const [failed, setFailed] = useState<string | null>(null);

  // The upload goes through XMLHttpRequest for its progress events; the server answers with a redirect
  // to the job, which the browser follows, so responseURL names the job. Without JavaScript the same
  // form posts normally.
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) setPercent(Math.round((100 * e.loaded) / e.total));
    };
    xhr.onload = () => {
      const url = new URL(xhr.responseURL || form.action, window.location.href);
      if (xhr.status < 400 && url.searchParams.get("job")) navigate(url.pathname + url.search);
      else {
        setPercent(null);
        setFailed(t("crm.import.uploadFailed", { status: xhr.status }));
      }
    };
    xhr.onerror = () => {
      setPercent(null);
      setFailed(t("crm.import.uploadFailed", { status: "network" }));
    };
    setFailed(null);
    setPercent(0);
    xhr.send(new FormData(form));
  }

  return (
    <form method="post" encType="multipart/form-data" action={`/w/${slug}/crm/import`} onSubmit={onSubmit} className="stack card">
      <fieldset>
        <legend>{t("crm.import.kind")}</legend>
        <label className="check">
          <input type="radio" name="kind" value="customers" defaultChecked /> {t("crm.import.kind.customers")}
        </label>
        <label className="check">
          <input type="radio" name="kind" value="events" /> {t("crm.import.kind.events")}
        </label>
      </fieldset>
      <label htmlFor="file">
        {t("crm.import.file")}
        <input id="file" name="file" type="file" accept=".csv,.tsv,.txt,text/csv" required aria-describedby="file-hint" />
        <span id="file-hint" className="muted" style={{ fontWeight: 400 }}>
          {t("crm.import.fileHint", { mb: maxMb })}
        </span>
      </label>
      {percent !== null ? (
        <label htmlFor="upload-progress">
          {t("crm.import.uploading")} ({percent} %)
          <progress id="upload-progress" value={percent} max={100} style={{ width: "100%" }} />
        </label>
      ) : null}
      {failed ? (
        <p className="notice error" role="alert">
          {failed}
        </p>
      ) : null}
      <p>
        <button type="submit" disabled={percent !== null}>
          {t("crm.import.upload")}
        </button>
      </p>
    </form>
  );
}

type MappingProps = { job: ImportJobView; columns: readonly ColumnDoc<string>[]; lastResult?: SubmissionResult<string[]> | null };

export function MappingStep({ job, columns, lastResult }: MappingProps) {
  const t = useT();
  const lang = useLang();
  const navigation = useNavigation();
  const schema = useMemo(() => mappingSchema(columns), [columns]);
  const [form, fields] = useSchemaForm(schema, { id: `mapping-${job.id}`, lastResult, defaultValue: { map: job.mapping, skip: job.skipBadRows ? "on" : "" } });
  const mapped = fields.map.getFieldset();
  const headers = [{ value: "", label: t("crm.import.skipField") }, ...job.headers.map((h) => ({ value: h, label: h }))];
  return (
    <Form method="post" className="stack card" {...getFormProps(form)} noValidate>
      <h2>{t("crm.import.mapping")}</h2>
      <p className="muted">
        {t("crm.import.fileInfo", { name: job.fileName, size: size(job.size, lang) })} · {t(`crm.import.kind.${job.kind}`)}
      </p>
      <p>{t("crm.import.mappingIntro")}</p>
      <input type="hidden" name="intent" value="start" />
      <input type="hidden" name="job" value={job.id} />
      <FormErrors form={form} />
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t("crm.import.field")}</th>
              <th scope="col">{t("crm.import.column")}</th>
            </tr>
          </thead>
          <tbody>
            {columns.map((column) => (
              <tr key={column.field}>
                <td>
                  <code>{column.field}</code> {column.required ? <span className="badge">{t("crm.import.required")}</span> : null}
                  <br />
                  <span className="muted">{column.description}</span>
                </td>
                <td>
                  <SelectField label={`${t("crm.import.column")}: ${column.field}`} labelHidden field={mapped[column.field]} options={headers} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {job.samples.length > 0 ? (
        <details>
          <summary>{t("crm.import.samples")}</summary>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  {job.headers.map((h, i) => (
                    <th key={i} scope="col">
                      {h}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {job.samples.map((row, r) => (
                  <tr key={r}>
                    {job.headers.map((_, c) => (
                      <td key={c}>{row[c] ?? ""}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      ) : null}
      <CheckboxField label={t("crm.import.skip")} field={fields.skip} />
      <p>
        <button type="submit" disabled={navigation.state !== "idle"}>
          {t("crm.import.start")}
        </button>
      </p>
    </Form>
  );
}

export function Progress({ job }: { job: ImportJobView }) {
  const t = useT();
  const lang = useLang();
  const p = job.progress;
  const writing = p?.phase === "writing";
  const label = writing
    ? t("crm.import.writing", { rows: formatInteger(p?.rowsToWrite ?? 0, lang) })
    : t("crm.import.validating", { rows: formatInteger(p?.rows ?? 0, lang) });
  return (
    <section className="card" aria-labelledby="progress-title">
      <h2 id="progress-title">{t("crm.import.progress")}</h2>
      <p role="status">{label}</p>
      {writing || !p ? (
        <progress aria-labelledby="progress-title" style={{ width: "100%" }} />
      ) : (
        <progress aria-labelledby="progress-title" value={p.bytesRead} max={Math.max(1, p.totalBytes)} style={{ width: "100%" }} />
      )}
    </section>
  );
}

export function Report({ job, slug }: { job: ImportJobView; slug: string }) {
  const t = useT();
  const lang = useLang();
  const r = job.report!;
  const n = (x: number) => formatInteger(x, lang);
  const counts: [string, number, string][] = [
    [t("crm.import.rows"), r.rows, "rows"],
    [t("crm.import.added"), r.added, "added"],
    [t("crm.import.updated"), r.updated, "updated"],
    [t("crm.import.unchanged"), r.unchanged, "unchanged"],
    [t("crm.import.rejected"), r.rejected, "rejected"],
  ];
  if (r.kind === "events") {
    counts.push([t("crm.import.customersCreated"), r.customersCreated, "customers-created"]);
    counts.push([t("crm.import.invitations"), r.invitations, "invitations"]);
  }
  return (
    <section aria-labelledby="report-title">
      <h2 id="report-title">{t("crm.import.report")}</h2>
      <p className="muted">
        {t("crm.import.fileInfo", { name: job.fileName, size: size(job.size, lang) })} · {t(`crm.import.kind.${job.kind}`)}
      </p>
      {r.imported ? (
        <p className="notice" role="status" data-testid="import-outcome">
          {t("crm.import.imported", { file: job.fileName })}
        </p>
      ) : (
        <p className="notice error" role="alert" data-testid="import-outcome">
          {t("crm.import.notImported", { count: n(r.rejected) })}
        </p>
      )}
      <div className="grid">
        {counts.map(([label, value, id]) => (
          <div key={id} className="card">
            <div className="stat" data-testid={`count-${id}`}>
              {n(value)}
            </div>
            <div className="stat-label">{label}</div>
          </div>
        ))}
      </div>
      {!r.imported && !r.headerProblem ? (
        <Form method="post" className="row">
          <input type="hidden" name="intent" value="start" />
          <input type="hidden" name="job" value={job.id} />
          <input type="hidden" name="skip" value="on" />
          {Object.entries(job.mapping).map(([field, header]) => (
            <input key={field} type="hidden" name={`map.${field}`} value={header ?? ""} />
          ))}
          <button type="submit">{t("crm.import.retrySkip")}</button>
        </Form>
      ) : null}
      {r.badRows.length > 0 ? (
        <>
          <h3 id="bad-rows">{t("crm.import.badRows")}</h3>
          {r.rejected > r.badRows.length ? <p className="muted">{t("crm.import.moreBad", { shown: n(r.badRows.length), count: n(r.rejected) })}</p> : null}
          <div className="table-wrap">
            <table aria-labelledby="bad-rows" data-testid="bad-rows">
              <thead>
                <tr>
                  <th scope="col" className="num">
                    {t("crm.import.line")}
                  </th>
                  <th scope="col">{t("crm.import.errors")}</th>
                </tr>
              </thead>
              <tbody>
                {r.badRows.map((row) => (
                  <tr key={row.line}>
                    <td className="num">{row.line}</td>
                    <td>
                      <ul className="errors-list">
                        {badRowTexts(t, row).map((e, i) => (
                          <li key={i}>{e}</li>
                        ))}
                      </ul>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
      <p className="actions" style={{ marginTop: "1rem" }}>
        <Link to={`/w/${slug}/crm/import`} className="button secondary">
          {t("crm.import.another")}
        </Link>
        {r.imported ? (
          <>
            <Link to={`/w/${slug}/customers`} className="button secondary">
              {t("crm.import.toCustomers")}
            </Link>
            <Link to={`/w/${slug}/segmentation`} className="button secondary">
              {t("crm.import.toSegmentation")}
            </Link>
          </>
        ) : null}
      </p>
    </section>
  );
}

export function ColumnsDoc({ title, columns }: { title: string; columns: readonly ColumnDoc<string>[] }) {
  const t = useT();
  return (
    <>
      <h3>{title}</h3>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t("crm.import.field")}</th>
              <th scope="col">{t("crm.import.example")}</th>
              <th scope="col">{t("crm.import.aliases")}</th>
            </tr>
          </thead>
          <tbody>
            {columns.map((c) => (
              <tr key={c.field}>
                <td>
                  <code>{c.field}</code> {c.required ? <span className="badge">{t("crm.import.required")}</span> : null}
                  <div className="muted">{c.description}</div>
                </td>
                <td>
                  <code>{c.example}</code>
                </td>
                <td>{c.aliases.join(", ")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
