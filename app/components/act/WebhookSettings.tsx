// Webhook endpoints of a workspace (the secret shown once, on creation or rotation) and the delivery
// log: every message, its attempts, the receiver's answer and the next retry (an ActivityLogTable, as
// on the admin jobs page).
import { getFormProps } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { useMemo } from "react";
import { ActivityLogTable } from "~/components/ActivityLogTable";
import { CheckboxChoices, FieldsetField, FormErrors, TextField } from "~/components/form/fields";
import { useSchemaForm } from "~/components/form/use-schema-form";
import type { WebhookEvent } from "~/data/webhooks.server";
import { useFormat, useT } from "~/i18n/use-t";
import { Saved, replyFor, type FormFeedback } from "./CaseSettingsForms";
import { endpointSchema } from "./settings-schemas";

type Endpoint = { id: number; url: string; description: string; events: WebhookEvent[]; active: boolean; createdAt: string | Date };
type Delivery = {
  id: number;
  url: string;
  eventType: WebhookEvent;
  msgId: string;
  status: "pending" | "sending" | "delivered" | "failed";
  attempts: number;
  nextAttemptAt: string | Date | null;
  lastAttemptAt: string | Date | null;
  responseCode: number | null;
  error: string | null;
  durationMs: number | null;
  createdAt: string | Date;
};

export function WebhookSettings({
  endpoints,
  deliveries,
  events,
  feedback,
  secret,
}: {
  endpoints: Endpoint[];
  deliveries: Delivery[];
  events: readonly WebhookEvent[];
  feedback: FormFeedback;
  secret: { endpointId: number; value: string } | null;
}) {
  const t = useT();
  const f = useFormat();
  return (
    <>
      <p className="muted">{t("act.webhooks.intro")}</p>
      {secret ? (
        <div className="notice" role="status">
          <p>
            <strong>{t("act.webhooks.secretOnce")}</strong>
          </p>
          <code className="secret" data-testid="webhook-secret">
            {secret.value}
          </code>
        </div>
      ) : null}
      {feedback && feedback.intent.startsWith("endpoint-") && feedback.intent !== "endpoint-create" ? <Saved feedback={feedback} intent={feedback.intent} /> : null}
      {endpoints.length === 0 ? (
        <p>{t("act.webhooks.none")}</p>
      ) : (
        <div className="table-wrap">
          <table aria-label={t("act.webhooks.endpoints")}>
            <thead>
              <tr>
                <th scope="col">{t("act.webhooks.url")}</th>
                <th scope="col">{t("act.webhooks.events")}</th>
                <th scope="col">{t("act.webhooks.state")}</th>
                <th scope="col">{t("common.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {endpoints.map((e) => (
                <tr key={e.id}>
                  <td className="break">
                    <code>{e.url}</code>
                    {e.description ? <div className="muted">{e.description}</div> : null}
                  </td>
                  <td>{e.events.join(", ")}</td>
                  <td>{e.active ? t("act.webhooks.active") : t("act.webhooks.paused")}</td>
                  <td>
                    <Form method="post" className="actions">
                      <input type="hidden" name="id" value={e.id} />
                      <input type="hidden" name="active" value={e.active ? "0" : "1"} />
                      <button type="submit" name="intent" value="endpoint-toggle" className="secondary small">
                        {e.active ? t("act.webhooks.pause") : t("act.webhooks.resume")}
                      </button>
                      <button type="submit" name="intent" value="endpoint-rotate" className="secondary small">
                        {t("act.webhooks.rotate")}
                      </button>
                      <button type="submit" name="intent" value="endpoint-delete" className="danger small">
                        {t("act.webhooks.delete")}
                      </button>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <NewEndpointForm events={events} feedback={feedback} />

      <ActivityLogTable
        id="deliveries"
        title={t("act.webhooks.log")}
        level={3}
        rows={deliveries}
        rowKey={(d) => d.id}
        empty={t("act.webhooks.noDeliveries")}
        emptyClassName="muted"
        columns={[
          {
            header: t("act.webhooks.when"),
            cell: (d) => (
              <>
                <span className="nowrap">{f.shortDateTime(d.createdAt)}</span>
                <div className="muted small break">
                  <code>{d.msgId}</code>
                </div>
              </>
            ),
          },
          {
            header: t("act.webhooks.event"),
            cell: (d) => (
              <>
                <code>{d.eventType}</code>
                <div className="muted small break">{d.url}</div>
              </>
            ),
          },
          { header: t("act.webhooks.state"), cell: (d) => <span className={`status ${d.status}`}>{t(`act.delivery.${d.status}`)}</span> },
          { header: t("act.webhooks.attempts"), numeric: true, cell: (d) => d.attempts },
          {
            header: t("act.webhooks.answer"),
            cell: (d) => (
              <>
                {[d.responseCode !== null ? `HTTP ${d.responseCode}` : null, d.durationMs !== null ? `${d.durationMs} ms` : null].filter(Boolean).join(" · ")}
                {d.error ? <div className="field-error small">{d.error}</div> : null}
              </>
            ),
          },
          // The next try is only news while the message still waits for one.
          { header: t("act.webhooks.next"), time: (d) => (d.status === "pending" ? d.nextAttemptAt : null) },
          {
            header: t("common.actions"),
            cell: (d) =>
              d.status === "failed" || (d.status === "pending" && d.attempts > 0) ? (
                <Form method="post">
                  <input type="hidden" name="id" value={d.id} />
                  <button type="submit" name="intent" value="redeliver" className="secondary small">
                    {t("act.webhooks.redeliver")}
                  </button>
                </Form>
              ) : null,
          },
        ]}
      />
    </>
  );
}

/** A new endpoint: its URL, a description and the events it receives (all of them, unless unticked). */
function NewEndpointForm({ events, feedback }: { events: readonly WebhookEvent[]; feedback: FormFeedback }) {
  const t = useT();
  const schema = useMemo(() => endpointSchema(events as readonly [WebhookEvent, ...WebhookEvent[]]), [events]);
  // The ids stay "wh-url", "wh-description": the form's id is their prefix.
  const [form, fields] = useSchemaForm(schema, { id: "wh", lastResult: replyFor(feedback, "endpoint-create"), defaultValue: { events: [...events] } });
  return (
    <Form method="post" className="card stack" aria-labelledby="endpoint-new" {...getFormProps(form)} noValidate>
      <h3 id="endpoint-new">{t("act.webhooks.add")}</h3>
      <Saved feedback={feedback} intent="endpoint-create" />
      <FormErrors form={form} />
      <input type="hidden" name="intent" value="endpoint-create" />
      <TextField label={t("act.webhooks.url")} field={fields.url} type="url" placeholder="https://example.com/hooks/vivencia" hint={t("act.webhooks.urlHint")} />
      <TextField label={t("act.webhooks.description")} field={fields.description} />
      <FieldsetField field={fields.events} legend={t("act.webhooks.events")}>
        <CheckboxChoices field={fields.events} className="checks" options={events.map((event) => ({ value: event, label: <code>{event}</code> }))} />
      </FieldsetField>
      <p>
        <button type="submit">{t("act.webhooks.addButton")}</button>
      </p>
    </Form>
  );
}
