// Deploying a survey at its touchpoint: public links with their QR code, the rules that turn CRM
// events into personal invitations, and invitations for a list of customers (admins).
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
import { CreateInvitationsSchema, createInvitationsForCustomers, invitationCounts } from "~/data/invitations.server";
import { currentPublishedVersion, getSurvey, surveyTouchpoint } from "~/data/surveys.server";
import type { MessageKey } from "~/i18n/messages";
import { useFormat, useT, useTn } from "~/i18n/use-t";
import { parseFormData, zodErrors } from "~/web/form.server";
import { notFound } from "~/web/responses.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: surveyCss }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.survey.title} · Vivencia` : "Vivencia" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace, role } = await requireMember(request, params.ws);
  const survey = await getSurvey(workspace.id, Number(params.id));
  if (!survey) throw notFound();
  const touchpoint = await surveyTouchpoint(workspace.id, survey.touchpointId);
  if (!touchpoint) throw notFound();
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
type Fields = Record<string, string>;
type Created = { customer: string; link: string; customerCreated: boolean }[];
type ActionResult = { intent: string; target: number | null; fields: Fields; values: Fields; notice?: string; created?: Created; createdTotal?: number };

function fail(intent: string, target: number | null, fields: Fields, values: Fields = {}) {
  return data<ActionResult>({ intent, target, fields, values }, { status: 400 });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const member = await requireMember(request, params.ws, intent === "invite" ? "invitations:create" : "surveys:deploy");
  const workspace = member.workspace;
  const survey = await getSurvey(workspace.id, Number(params.id));
  if (!survey) throw notFound();
  const values = Object.fromEntries([...formData.entries()].filter((e): e is [string, string] => typeof e[1] === "string"));
  // Every deployment id in a form must be one of this survey's: another survey's or workspace's is "not found".
  const ownDeployment = async (raw: FormDataEntryValue | null) => {
    const id = IdSchema.safeParse(raw);
    const d = id.success ? await getDeployment(workspace.id, id.data) : null;
    if (!d || d.surveyId !== survey.id) throw notFound();
    return d;
  };

  switch (intent) {
    case "createDeployment": {
      const name = String(formData.get("name") ?? "").trim();
      if (!name || name.length > 120) return fail(intent, null, { name: "Name the deployment after where it runs (1–120 characters), e.g. \"Counter QR\"." }, values);
      const r = await createDeployment(workspace.id, survey.id, name);
      if (!r) throw notFound();
      if (!r.ok) return fail(intent, null, { name: "Publish a version of the survey first: a deployment serves the latest published version." }, values);
      return data<ActionResult>({ intent, target: r.deployment.id, fields: {}, values: {}, notice: "surveys.deploy.created" });
    }
    case "toggle": {
      const d = await ownDeployment(formData.get("deploymentId"));
      await setDeploymentActive(workspace.id, d.id, !d.active);
      return data<ActionResult>({ intent, target: d.id, fields: {}, values: {}, notice: d.active ? "surveys.deploy.paused" : "surveys.deploy.resumed" });
    }
    case "addRule": {
      const d = await ownDeployment(formData.get("deploymentId"));
      const form = parseFormData(formData, RuleInputSchema);
      if (!form.ok) return fail(intent, d.id, form.errors, form.values);
      const r = await createRule(workspace.id, d.id, form.data);
      if (!r) throw notFound();
      if (!r.ok) return fail(intent, d.id, r.errors, form.values);
      return data<ActionResult>({ intent, target: d.id, fields: {}, values: {}, notice: "surveys.deploy.ruleAdded" });
    }
    case "updateRule":
    case "deleteRule": {
      const ruleId = IdSchema.safeParse(formData.get("ruleId"));
      const own = ruleId.success ? (await listRulesOfSurvey(workspace.id, survey.id)).find((r) => r.id === ruleId.data) : undefined;
      if (!own) throw notFound();
      if (intent === "deleteRule") {
        await deleteRule(workspace.id, own.id);
        return data<ActionResult>({ intent, target: own.id, fields: {}, values: {}, notice: "surveys.deploy.ruleDeleted" });
      }
      const form = parseFormData(formData, RuleInputSchema);
      if (!form.ok) return fail(intent, own.id, form.errors, form.values);
      const r = await updateRule(workspace.id, own.id, form.data);
      if (!r) throw notFound();
      if (!r.ok) return fail(intent, own.id, r.errors, form.values);
      return data<ActionResult>({ intent, target: own.id, fields: {}, values: {}, notice: "surveys.deploy.ruleSaved" });
    }
    case "invite": {
      const d = await ownDeployment(formData.get("deploymentId"));
      const hours = String(formData.get("expiresInHours") ?? "").trim();
      const parsed = CreateInvitationsSchema.safeParse({
        deployment: d.id,
        customers: String(formData.get("customers") ?? "")
          .split(/[\s,;]+/)
          .filter(Boolean),
        expiresInHours: hours === "" ? undefined : Number(hours),
      });
      if (!parsed.success) {
        const fields: Fields = {};
        for (const [key, message] of Object.entries(zodErrors(parsed.error))) fields[key.split(".")[0]] ??= message;
        return fail(intent, d.id, fields, values);
      }
      const r = await createInvitationsForCustomers(workspace.id, parsed.data, new Date());
      if (!r) throw notFound();
      if (!r.ok) return fail(intent, d.id, r.errors, values);
      const origin = linkOrigin(request);
      return data<ActionResult>({
        intent,
        target: d.id,
        fields: {},
        values: {},
        notice: "surveys.deploy.invited",
        createdTotal: r.invitations.length,
        created: r.invitations.slice(0, 50).map((i) => ({ customer: i.customer, link: surveyLink(origin, i.token), customerCreated: i.customerCreated })),
      });
    }
    default:
      return fail(intent, null, { _form: `Unknown action "${intent}".` });
  }
}

export default function DeployPage() {
  const { ws, survey, touchpoint, publishedVersion, deployments, canDeploy, canInvite } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const tn = useTn();
  const createErrors = result?.intent === "createDeployment" ? result.fields : {};
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
      {result?.fields._form ? (
        <p className="notice error" role="alert">
          {result.fields._form}
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
          <Form method="post" className="row card" key={`new-${deployments.length}`}>
            <input type="hidden" name="intent" value="createDeployment" />
            <Field
              label={t("surveys.deploy.name")}
              name="name"
              id="new-deployment-name"
              required
              maxLength={120}
              placeholder={t("surveys.deploy.namePlaceholder")}
              defaultValue={result?.intent === "createDeployment" ? result.values.name : ""}
              error={createErrors.name}
            />
            <button type="submit">{t("surveys.deploy.createButton")}</button>
          </Form>
        </section>
      ) : null}
    </>
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
        return <RuleForm key={rule.id} idPrefix={`r${rule.id}`} rule={rule} deploymentId={d.id} fields={r?.fields ?? {}} values={r?.values} canEdit={canDeploy} touchpointKey={touchpointKey} />;
      })}
      {canDeploy ? (
        // Keyed by the rule count: after a rule is added the form comes back closed and empty.
        <details key={d.rules.length} open={addResult !== undefined && Object.keys(addResult.fields).length > 0}>
          <summary>{t("surveys.deploy.addRule")}</summary>
          <RuleForm idPrefix={`d${d.id}-new`} rule={null} deploymentId={d.id} fields={addResult?.fields ?? {}} values={addResult?.values} canEdit touchpointKey={touchpointKey} />
        </details>
      ) : null}

      {canInvite ? (
        <>
          <h3>{t("surveys.deploy.inviteTitle")}</h3>
          <p className="muted">{t("surveys.deploy.inviteHint")}</p>
          <Form method="post" className="stack" key={`invite-${d.counts.pending + d.counts.opened + d.counts.completed + d.counts.expired}`}>
            <input type="hidden" name="intent" value="invite" />
            <input type="hidden" name="deploymentId" value={d.id} />
            <label htmlFor={`d${d.id}-customers`}>
              {t("surveys.deploy.customers")}
              <textarea
                id={`d${d.id}-customers`}
                name="customers"
                rows={3}
                defaultValue={inviteResult?.values.customers ?? ""}
                aria-invalid={inviteResult?.fields.customers ? true : undefined}
                aria-describedby={inviteResult?.fields.customers ? `d${d.id}-customers-error` : undefined}
              />
              {inviteResult?.fields.customers ? (
                <span id={`d${d.id}-customers-error`} className="field-error">
                  {inviteResult.fields.customers}
                </span>
              ) : null}
            </label>
            <div className="row">
              <Field
                label={t("surveys.deploy.expiresInHours")}
                name="expiresInHours"
                id={`d${d.id}-expires`}
                type="number"
                min={1}
                max={8760}
                defaultValue={inviteResult?.values.expiresInHours ?? "168"}
                error={inviteResult?.fields.expiresInHours}
              />
              <button type="submit" disabled={navigation.state === "submitting"}>
                {t("surveys.deploy.inviteButton")}
              </button>
            </div>
            {inviteResult?.fields.deployment ? (
              <p className="notice error" role="alert">
                {inviteResult.fields.deployment}
              </p>
            ) : null}
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
