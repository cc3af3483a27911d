// Webhook endpoints of a workspace (the secret shown once, on creation or rotation) and the delivery
// log: every message, its attempts, the receiver's answer and the next retry (an ActivityLogTable, as
// on the admin jobs page).
import { Form } from "@remix-run/react";
import { ActivityLogTable } from "~/components/ActivityLogTable";
import { Field } from "~/components/Field";
import type { WebhookEvent } from "~/data/webhooks.server";
import { useFormat, useLang, useT } from "~/i18n/use-t";
import { Saved, type FormFeedback } from "./CaseSettingsForms";

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
  feedback: (FormFeedback & { values?: Record<string, string> }) | undefined;
  secret: { endpointId: number; value: string } | null;
}) {
  const t = useT();
  const lang = useLang();
  const f = useFormat();
  const createErrors = feedback && !feedback.ok && feedback.intent === "endpoint-create" ? feedback.errors : {};
  const values = feedback?.intent === "endpoint-create" && !feedback.ok ? (feedback.values ?? {}) : {};
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

      <Form method="post" className="card stack" aria-labelledby="endpoint-new">
        <h3 id="endpoint-new">{t("act.webhooks.add")}</h3>
        <Saved feedback={feedback} intent="endpoint-create" />
        <input type="hidden" name="intent" value="endpoint-create" />
        <Field
          label={t("act.webhooks.url")}
          name="url"
          id="wh-url"
          type="url"
          inputMode="url"
          placeholder="https://example.com/hooks/vivencia"
          required
          defaultValue={values.url ?? ""}
          error={createErrors.url}
          hint={t("act.webhooks.urlHint")}
        />
        <Field label={t("act.webhooks.description")} name="description" id="wh-description" maxLength={200} defaultValue={values.description ?? ""} error={createErrors.description} />
        <fieldset>
          <legend>{t("act.webhooks.events")}</legend>
          <div className="checks">
            {events.map((event) => (
              <label key={event} className="check" htmlFor={`wh-ev-${event}`}>
                <input id={`wh-ev-${event}`} type="checkbox" name="events" value={event} defaultChecked />
                <code>{event}</code>
              </label>
            ))}
          </div>
          {createErrors.events ? <p className="field-error">{createErrors.events}</p> : null}
        </fieldset>
        <p>
          <button type="submit">{t("act.webhooks.addButton")}</button>
        </p>
      </Form>

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
