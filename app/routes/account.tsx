// My account: my own time zone for dates, and the sessions open in my name, each revocable.
import { getFormProps } from "@conform-to/react";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/session.server";
import { FormErrors, TextField } from "~/components/form/fields";
import { useSchemaForm } from "~/components/form/use-schema-form";
import { listSessions, revokeOtherSessions, revokeSession, updateUserTimeZone } from "~/data/users.server";
import { isTimeZone, knownTimeZones } from "~/i18n/format";
import { useFormat, useT } from "~/i18n/use-t";
import { parseRequestForm } from "~/web/conform.server";
import { z } from "zod";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const sessions = (await listSessions(user.id)).map((s) => ({ ...s, current: s.id === user.sessionId, id: s.id.slice(0, 16) }));
  return { user: { name: user.name, email: user.email, timeZone: user.timeZone }, sessions, timeZones: knownTimeZones() };
}

// Empty means "each workspace's zone"; anything else must be a zone Intl knows.
const TimeZoneSchema = z.object({
  timeZone: z.string().trim().max(64).refine((zone) => isTimeZone(zone), "locale.badTimeZone").optional(),
});
const ActionSchema = z.discriminatedUnion("intent", [
  TimeZoneSchema.extend({ intent: z.literal("timeZone") }),
  z.object({ intent: z.literal("others") }),
  z.object({ intent: z.literal("revoke"), session: z.string().length(16) }),
]);

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const { submission, unreadable } = await parseRequestForm(request, ActionSchema);
  const intent = String(submission.payload.intent ?? "");
  if (unreadable) return data({ intent, result: unreadable }, { status: 400 });
  if (submission.status !== "success") return data({ intent, result: submission.reply() }, { status: 400 });
  const input = submission.value;
  if (input.intent === "timeZone") {
    await updateUserTimeZone(user.id, input.timeZone || null);
  } else if (input.intent === "others") {
    await revokeOtherSessions(user.id, user.sessionId);
  } else {
    const match = (await listSessions(user.id)).find((s) => s.id.startsWith(input.session));
    if (match && match.id !== user.sessionId) await revokeSession(user.id, match.id);
  }
  return data({ intent, result: submission.reply() });
}

export default function Account() {
  const { user, sessions, timeZones } = useLoaderData<typeof loader>();
  const t = useT();
  const f = useFormat();
  return (
    <main id="main" className="page">
      <h1>{t("account.title")}</h1>
      <p>
        {user.name} — {user.email}
      </p>
      <TimeZoneForm current={user.timeZone} timeZones={timeZones} />
      <h2>{t("account.sessions")}</h2>
      <ul className="tp-list">
        {sessions.map((s) => (
          <li key={s.id}>
            <span>
              {f.dateTime(s.createdAt)} · <span className="muted">{s.userAgent ?? "?"}</span>
            </span>
            {s.current ? (
              <span className="badge">{t("account.current")}</span>
            ) : (
              <Form method="post">
                <input type="hidden" name="intent" value="revoke" />
                <input type="hidden" name="session" value={s.id} />
                <button type="submit" className="danger small">
                  {t("account.revoke")}
                </button>
              </Form>
            )}
          </li>
        ))}
      </ul>
      <Form method="post">
        <button type="submit" name="intent" value="others" className="secondary">
          {t("account.revokeOthers")}
        </button>
      </Form>
    </main>
  );
}

function TimeZoneForm({ current, timeZones }: { current: string | null; timeZones: string[] }) {
  const result = useActionData<typeof action>();
  const t = useT();
  const [form, fields] = useSchemaForm(TimeZoneSchema, { id: "my-time-zone", lastResult: result?.intent === "timeZone" ? result.result : undefined, defaultValue: { timeZone: current ?? "" } });
  return (
    <Form method="post" className="card stack" {...getFormProps(form)} noValidate>
      <input type="hidden" name="intent" value="timeZone" />
      <FormErrors form={form} />
      <div className="row">
        <TextField label={t("locale.myTimeZone")} field={fields.timeZone} list="time-zones" autoComplete="off" placeholder={t("locale.workspaceZone")} hint={t("locale.myTimeZoneHint")} />
        <datalist id="time-zones">
          {timeZones.map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
        <button type="submit">{t("locale.saveMine")}</button>
      </div>
    </Form>
  );
}
