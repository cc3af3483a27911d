// Deploying a survey at its touchpoint: public links with their QR code, the rules that turn CRM
// events into personal invitations, and invitations for a list of customers (admins).
import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { data, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { requireMember } from "~/auth/guard.server";
import { can } from "~/auth/permissions";
import { Field } from "~/components/Field";
import { LocalName } from "~/components/LocalName";
import { RuleForm } from "~/components/survey/RuleForm";
import surveyCss from "~/components/survey/survey-pages.css?url";
import {
  RuleInputSchema,
  createDeployment,
  createRule,
  deleteRule,
  getDeployment,
  linkOrigin,
  listDeployments,
  listRulesOfSurvey,
  setDeploymentActive,
  surveyLink,
  updateRule,
} from "~/data/deployments.server";
import { CreateInvitationsSchema, createInvitationsForCustomers, invitationCounts, MAX_CUSTOMERS_PER_REQUEST } from "~/data/invitations.server";
import { currentPublishedVersion, getSurvey, surveyTouchpoint } from "~/data/surveys.server";
import { translator, type MessageKey } from "~/i18n/messages";
import { requestLang } from "~/i18n/lang.server";
import { FormErrors } from "~/components/form/fields";
import { useSchemaForm } from "~/components/form/use-schema-form";
import { useFormat, useT, useTn } from "~/i18n/use-t";
import { submissionOf } from "~/web/conform.server";
import { formText, parseSubmission } from "~/web/form-schema";
import { readFormData } from "~/web/request-body.server";
import { notFound } from "~/web/responses.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: surveyCss }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.survey.title} · Vivencia` : "Vivencia" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace, role } = await requireMember(request, params.ws);
  const missing = async () => notFound(translator(await requestLang(request))("common.notFound"));
  const survey = await getSurvey(workspace.id, Number(params.id));
  if (!survey) throw await missing();
  const touchpoint = await surveyTouchpoint(workspace.id, survey.touchpointId);
  if (!touchpoint) throw await missing();
  const origin = linkOrigin(request);
  const now = new Date();
  const rules = await listRulesOfSurvey(workspace.id, survey.id);
  return {
    ws: workspace.slug,
    survey: { id: survey.id, title: survey.title, titleEn: survey.titleEn },
    touchpoint: { key: touchpoint.key, name: touchpoint.name, nameEn: touchpoint.nameEn },
    publishedVersion: (await currentPublishedVersion(workspace.id, survey.id))?.version ?? null,
    deployments: await Promise.all(
      (await listDeployments(workspace.id, { surveyId: survey.id })).map(async (d) => ({
        id: d.id,
        name: d.name,
        active: d.active,
        createdAt: d.createdAt,
        link: surveyLink(origin, d.publicToken),
        counts: await invitationCounts(workspace.id, d.id, now),
        rules: rules.filter((r) => r.deploymentId === d.id),
      })),
    ),
    canDeploy: can(role, "surveys:deploy"),
    canInvite: can(role, "invitations:create"),
  };
}

const IdSchema = z.coerce.number().int().positive();
const DeploymentSchema = z.object({ name: formText(120) });
/** Customers as typed: external ids separated by spaces, commas, semicolons or new lines. */
const InviteSchema = z.object({ customers: formText(1_000_000), expiresInHours: z.number().int().min(1).max(24 * 365).optional() });
const customerIds = (typed: string) => typed.split(/[\s,;]+/).filter(Boolean);

type Created = { customer: string; link: string; customerCreated: boolean }[];
type ActionResult = { intent: string; target: number | null; result: SubmissionResult<string[]> | null; notice?: MessageKey; created?: Created; createdTotal?: number };

const answer = (body: ActionResult, status = 200) => data<ActionResult>(body, { status });

export async function action({ request, params }: ActionFunctionArgs) {
  const lang = await requestLang(request);
  const t = translator(lang);
  const formData = await readFormData(request);
  if (!formData) {
    await requireMember(request, params.ws, "surveys:deploy");
    return answer({ intent: "", target: null, result: parseSubmission(new FormData(), DeploymentSchema, lang).reply({ formErrors: [t("form.unreadable")] }) }, 400);
  }
  const intent = String(formData.get("intent") ?? "");
  const member = await requireMember(request, params.ws, intent === "invite" ? "invitations:create" : "surveys:deploy");
  const workspace = member.workspace;
  const survey = await getSurvey(workspace.id, Number(params.id));
  if (!survey) throw notFound(t("common.notFound"));
  // Every deployment id in a form must be one of this survey's: another survey's or workspace's is "not found".
  const ownDeployment = async (raw: FormDataEntryValue | null) => {
    const id = IdSchema.safeParse(raw);
    const d = id.success ? await getDeployment(workspace.id, id.data) : null;
    if (!d || d.surveyId !== survey.id) throw notFound(t("common.notFound"));
    return d;
  };

  switch (intent) {
    case "createDeployment": {
      const submission = submissionOf(formData, DeploymentSchema, lang);
      if (submission.status !== "success") return answer({ intent, target: null, result: submission.reply() }, 400);
      const r = await createDeployment(workspace.id, survey.id, submission.value.name);
      if (!r) throw notFound(t("common.notFound"));
      if (!r.ok) return answer({ intent, target: null, result: submission.reply({ fieldErrors: { name: [t("surveys.deploy.publishFirst")] } }) }, 400);
      return answer({ intent, target: r.deployment.id, result: submission.reply({ resetForm: true }), notice: "surveys.deploy.created" });
    }
    case "toggle": {
      const d = await ownDeployment(formData.get("deploymentId"));
      await setDeploymentActive(workspace.id, d.id, !d.active);
      return answer({ intent, target: d.id, result: null, notice: d.active ? "surveys.deploy.paused" : "surveys.deploy.resumed" });
    }
    case "addRule":
    case "updateRule": {
      let target: number;
      if (intent === "addRule") target = (await ownDeployment(formData.get("deploymentId"))).id;
      else {
        const ruleId = IdSchema.safeParse(formData.get("ruleId"));
        const own = ruleId.success ? (await listRulesOfSurvey(workspace.id, survey.id)).find((r) => r.id === ruleId.data) : undefined;
        if (!own) throw notFound(t("common.notFound"));
        target = own.id;
      }
      const submission = submissionOf(formData, RuleInputSchema, lang);
      if (submission.status !== "success") return answer({ intent, target, result: submission.reply() }, 400);
      const r = intent === "addRule" ? await createRule(workspace.id, target, submission.value) : await updateRule(workspace.id, target, submission.value);
      if (!r) throw notFound(t("common.notFound"));
      if (!r.ok) return answer({ intent, target, result: submission.reply({ fieldErrors: { touchpointKey: [t(r.errors.touchpointKey)] } }) }, 400);
      return answer({ intent, target, result: submission.reply({ resetForm: intent === "addRule" }), notice: intent === "addRule" ? "surveys.deploy.ruleAdded" : "surveys.deploy.ruleSaved" });
    }
    case "deleteRule": {
      const ruleId = IdSchema.safeParse(formData.get("ruleId"));
      const own = ruleId.success ? (await listRulesOfSurvey(workspace.id, survey.id)).find((r) => r.id === ruleId.data) : undefined;
      if (!own) throw notFound(t("common.notFound"));
      await deleteRule(workspace.id, own.id);
      return answer({ intent, target: own.id, result: null, notice: "surveys.deploy.ruleDeleted" });
    }
    case "invite": {
      const d = await ownDeployment(formData.get("deploymentId"));
      const submission = submissionOf(formData, InviteSchema, lang);
      if (submission.status !== "success") return answer({ intent, target: d.id, result: submission.reply() }, 400);
      const customers = customerIds(submission.value.customers);
      // The API's schema (English, for programs) has the last word; its refusals are worded here for people.
      const parsed = CreateInvitationsSchema.safeParse({ deployment: d.id, customers, expiresInHours: submission.value.expiresInHours });
      if (!parsed.success) {
        const message = customers.length > MAX_CUSTOMERS_PER_REQUEST ? t("surveys.deploy.customersTooMany", { max: MAX_CUSTOMERS_PER_REQUEST }) : t("surveys.deploy.customerTooLong");
        return answer({ intent, target: d.id, result: submission.reply({ fieldErrors: { customers: [message] } }) }, 400);
      }
      const r = await createInvitationsForCustomers(workspace.id, parsed.data, new Date());
      if (!r) throw notFound(t("common.notFound"));
      if (!r.ok) return answer({ intent, target: d.id, result: submission.reply({ formErrors: [t(`surveys.deploy.refusal.${r.refusal}`)] }) }, 400);
      const origin = linkOrigin(request);
      return answer({
        intent,
        target: d.id,
        result: submission.reply({ resetForm: true }),
        notice: "surveys.deploy.invited",
        createdTotal: r.invitations.length,
        created: r.invitations.slice(0, 50).map((i) => ({ customer: i.customer, link: surveyLink(origin, i.token), customerCreated: i.customerCreated })),
      });
    }
    default:
      return answer({ intent, target: null, result: parseSubmission(new FormData(), DeploymentSchema, lang).reply({ formErrors: [t("form.unknownAction")] }) }, 400);
  }
}

export default function DeployPage() {
  const { ws, survey, touchpoint, publishedVersion, deployments, canDeploy, canInvite } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const tn = useTn();
  // A refusal no form shows (an unknown action, an unreadable body, a paused deployment's invitation…).
  const formLevel = result && !["createDeployment", "addRule", "updateRule", "invite"].includes(result.intent) ? (result.result?.error?.[""] ?? []) : [];
  return (
    <>
      <p>
        <Link to="..">
          ← <LocalName item={{ name: survey.title, nameEn: survey.titleEn }} />
        </Link>
      </p>
      <h1>
        {t("surveys.deploy.title")}: <LocalName item={{ name: survey.title, nameEn: survey.titleEn }} />
      </h1>
      <p className="muted">
        {t("surveys.touchpoint")}:{" "}
        <strong>
          <LocalName item={touchpoint} />
        </strong>{" "}
        (<code>{touchpoint.key}</code>) ·{" "}
        {publishedVersion !== null ? t("surveys.deploy.serves", { version: publishedVersion }) : t("surveys.deploy.unpublished")}
      </p>
      {result?.notice ? (
        <p className="notice" role="status">
          {result.notice === "surveys.deploy.invited" ? tn("count.invitationsCreated", result.createdTotal ?? 0) : t(result.notice as MessageKey)}
        </p>
      ) : null}
      {formLevel.length ? (
        <p className="notice error" role="alert">
          {formLevel.join(" ")}
        </p>
      ) : null}

      {deployments.length === 0 ? <p>{t("surveys.deploy.none")}</p> : null}
      {deployments.map((d) => (
        <DeploymentCard key={d.id} ws={ws} deployment={d} touchpointKey={touchpoint.key} canDeploy={canDeploy} canInvite={canInvite} result={result} />
      ))}

      {canDeploy ? (
        <section aria-labelledby="new-deployment">
          <h2 id="new-deployment">{t("surveys.deploy.create")}</h2>
          {publishedVersion === null ? <p className="notice">{t("surveys.deploy.publishFirst")}</p> : null}
          <NewDeploymentForm key={`new-${deployments.length}`} />
        </section>
      ) : null}
    </>
  );
}

function NewDeploymentForm() {
  const t = useT();
  const result = useActionData<typeof action>();
  const [form, fields] = useSchemaForm(DeploymentSchema, { id: "deployment-create", lastResult: result?.intent === "createDeployment" ? result.result : undefined });
  return (
    <Form method="post" className="row card" {...getFormProps(form)} noValidate>
      <input type="hidden" name="intent" value="createDeployment" />
      <Field
        key={fields.name.key}
        label={t("surveys.deploy.name")}
        name="name"
        id="new-deployment-name"
        maxLength={120}
        placeholder={t("surveys.deploy.namePlaceholder")}
        defaultValue={String(fields.name.initialValue ?? "")}
        error={fields.name.errors?.[0]}
      />
      <button type="submit">{t("surveys.deploy.createButton")}</button>
    </Form>
  );
}

type DeploymentView = ReturnType<typeof useLoaderData<typeof loader>>["deployments"][number];
type Result = ReturnType<typeof useActionData<typeof action>>;

function DeploymentCard({
  ws,
  deployment: d,
  touchpointKey,
  canDeploy,
  canInvite,
  result,
}: {
  ws: string;
  deployment: DeploymentView;
  touchpointKey: string;
  canDeploy: boolean;
  canInvite: boolean;
  result: Result;
}) {
  const t = useT();
  const f = useFormat();
  const navigation = useNavigation();
  const qr = `/w/${ws}/deployments/${d.id}/qr.svg`;
  const inviteResult = result?.intent === "invite" && result.target === d.id ? result : undefined;
  const addResult = result?.intent === "addRule" && result.target === d.id ? result : undefined;
  const [inviteForm, invite] = useSchemaForm(InviteSchema, { id: `invite-${d.id}`, lastResult: inviteResult?.result, defaultValue: { expiresInHours: "168" } });
  return (
    <article className="card" aria-labelledby={`deployment-${d.id}`} data-deployment={d.id}>
      <div className="row" style={{ justifyContent: "space-between" }}>
        <h2 id={`deployment-${d.id}`} style={{ margin: 0 }}>
          {d.name}{" "}
          <span className={`badge ${d.active ? "status-published" : "status-draft"}`}>{d.active ? t("surveys.deploy.active") : t("surveys.deploy.pausedBadge")}</span>
        </h2>
        {canDeploy ? (
          <Form method="post" className="inline">
            <input type="hidden" name="intent" value="toggle" />
            <input type="hidden" name="deploymentId" value={d.id} />
            <button type="submit" className="secondary small">
              {d.active ? t("surveys.deploy.pause") : t("surveys.deploy.resume")}
            </button>
          </Form>
        ) : null}
      </div>
      <div className="deployment">
        <div className="stack">
          <div>
            <h3>{t("surveys.deploy.publicLink")}</h3>
            <p className="muted">{t("surveys.deploy.publicLinkHint")}</p>
            <a className="link-box" href={d.link} data-testid="public-link" target="_blank" rel="noreferrer">
              {d.link}
            </a>
          </div>
          <p className="muted">
            {t("surveys.deploy.invitations")}:{" "}
            {(["pending", "opened", "completed", "expired"] as const).map((s, i) => (
              <span key={s}>
                {i ? " · " : ""}
                {t(`outbox.state.${s}` as MessageKey)} {d.counts[s]}
              </span>
            ))}
            {canInvite ? (
              <>
                {" · "}
                <Link to={`/w/${ws}/outbox?deployment=${d.id}`}>{t("surveys.deploy.openOutbox")}</Link>
              </>
            ) : null}
            {canDeploy ? (
              <>
                {" · "}
                <Link to={`/w/${ws}/deployments/${d.id}/mail`}>{t("mail.deployment.link")}</Link>
              </>
            ) : null}
          </p>
        </div>
        <figure className="qr" style={{ margin: 0 }}>
          <img src={qr} alt={t("surveys.deploy.qrAlt", { name: d.name })} width={200} height={200} data-testid="qr-image" />
          <figcaption>
            <a href={`${qr}?download=1`} download={`vivencia-qr-${d.id}.svg`}>
              {t("surveys.deploy.qrDownload")}
            </a>
          </figcaption>
        </figure>
      </div>

      <h3>{t("surveys.deploy.rules")}</h3>
      <p className="muted">{t("surveys.deploy.rulesHint")}</p>
      {d.rules.length === 0 ? <p className="muted">{t("surveys.deploy.noRules")}</p> : null}
      {d.rules.map((rule) => {
        const r = result?.intent === "updateRule" && result.target === rule.id ? result : undefined;
        return <RuleForm key={rule.id} idPrefix={`r${rule.id}`} rule={rule} deploymentId={d.id} lastResult={r?.result} canEdit={canDeploy} touchpointKey={touchpointKey} />;
      })}
      {canDeploy ? (
        // Keyed by the rule count: after a rule is added the form comes back closed and empty.
        <details key={d.rules.length} open={addResult?.result?.status === "error"}>
          <summary>{t("surveys.deploy.addRule")}</summary>
          <RuleForm idPrefix={`d${d.id}-new`} rule={null} deploymentId={d.id} lastResult={addResult?.result} canEdit touchpointKey={touchpointKey} />
        </details>
      ) : null}

      {canInvite ? (
        <>
          <h3>{t("surveys.deploy.inviteTitle")}</h3>
          <p className="muted">{t("surveys.deploy.inviteHint")}</p>
          <Form method="post" className="stack" {...getFormProps(inviteForm)} noValidate>
            <input type="hidden" name="intent" value="invite" />
            <input type="hidden" name="deploymentId" value={d.id} />
            <label htmlFor={`d${d.id}-customers`}>
              {t("surveys.deploy.customers")}
              <textarea
                key={invite.customers.key}
                id={`d${d.id}-customers`}
                name="customers"
                rows={3}
                defaultValue={String(invite.customers.initialValue ?? "")}
                aria-invalid={invite.customers.errors?.length ? true : undefined}
                aria-describedby={invite.customers.errors?.length ? `d${d.id}-customers-error` : undefined}
              />
              {invite.customers.errors?.length ? (
                <span id={`d${d.id}-customers-error`} className="field-error">
                  {invite.customers.errors[0]}
                </span>
              ) : null}
            </label>
            <div className="row">
              <Field
                key={invite.expiresInHours.key}
                label={t("surveys.deploy.expiresInHours")}
                name="expiresInHours"
                id={`d${d.id}-expires`}
                type="number"
                min={1}
                max={8760}
                defaultValue={String(invite.expiresInHours.initialValue ?? "")}
                error={invite.expiresInHours.errors?.[0]}
              />
              <button type="submit" disabled={navigation.state === "submitting"}>
                {t("surveys.deploy.inviteButton")}
              </button>
            </div>
            <FormErrors form={inviteForm} />
          </Form>
          {inviteResult?.created?.length ? (
            <div className="table-wrap">
              <table>
                <caption className="muted" style={{ textAlign: "left" }}>
                  {t("surveys.deploy.createdLinks")}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">{t("outbox.col.customer")}</th>
                    <th scope="col">{t("outbox.col.link")}</th>
                  </tr>
                </thead>
                <tbody>
                  {inviteResult.created.map((c) => (
                    <tr key={c.link}>
                      <td>
                        {c.customer} {c.customerCreated ? <span className="badge">{t("surveys.deploy.newCustomer")}</span> : null}
                      </td>
                      <td>
                        <code className="link-box">{c.link}</code>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
          <p className="muted">
            {t("surveys.deploy.apiHint")} <code>POST /api/v1/invitations {`{"deployment": ${d.id}, "customers": ["C-1001"]}`}</code>
          </p>
        </>
      ) : null}
      <p className="muted">
        {t("common.created")}: {f.dateTime(d.createdAt)}
      </p>
    </article>
  );
}
