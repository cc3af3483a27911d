// One invitation message, rendered: who it goes to and in which language (the customer's), the
// names in that language, their personal survey link and unsubscribe link. The delivery job
// (invitation-delivery.server.ts) sends what this renders.
import { and, eq } from "drizzle-orm";
import { getDb } from "#db/client";
import { customers, deployments, invitations, invitationSends, touchpoints, workspaces } from "#db/schema/index";
import { renderInvitationMail } from "~/cem/invitation-mail";
import { unsubscribeToken } from "~/cem/unsubscribe-token";
import { isLang, type Lang } from "~/i18n/lang";
import { localName } from "~/i18n/names";
import type { DeploymentMailConfig } from "./deployment-mail.server";
import { personalLink } from "./deployments.server";
import { mailLinkOrigin } from "./mail-settings.server";
import type { MailSettingsRow } from "./mail-transport.server";
import { purposeKey } from "./sealed-secrets.server";

type SendRow = typeof invitationSends.$inferSelect;

export type SendContext = {
  invitation: { id: number; token: string; state: string; expiresAt: Date; customerId: number; deploymentId: number };
  customer: { name: string; email: string | null; phone: string | null; language: string | null };
  brand: string;
  touchpoint: { name: string; nameEn: string };
};

export async function sendContext(row: Pick<SendRow, "invitationId" | "workspaceId">): Promise<SendContext | null> {
  const [r] = await getDb()
    .select({
      id: invitations.id,
      token: invitations.token,
      state: invitations.state,
      expiresAt: invitations.expiresAt,
      customerId: invitations.customerId,
      deploymentId: invitations.deploymentId,
      name: customers.name,
      email: customers.email,
      phone: customers.phone,
      language: customers.language,
      workspaceName: workspaces.name,
      brandName: workspaces.brandName,
      touchpointName: touchpoints.name,
      touchpointNameEn: touchpoints.nameEn,
    })
    .from(invitations)
    .innerJoin(customers, eq(customers.id, invitations.customerId))
    .innerJoin(deployments, eq(deployments.id, invitations.deploymentId))
    .innerJoin(touchpoints, eq(touchpoints.id, deployments.touchpointId))
    .innerJoin(workspaces, eq(workspaces.id, invitations.workspaceId))
    .where(and(eq(invitations.id, row.invitationId), eq(invitations.workspaceId, row.workspaceId)))
    .limit(1);
  if (!r) return null;
  return {
    invitation: { id: r.id, token: r.token, state: r.state, expiresAt: r.expiresAt, customerId: r.customerId, deploymentId: r.deploymentId },
    customer: { name: r.name, email: r.email, phone: r.phone, language: r.language },
    brand: r.brandName || r.workspaceName,
    touchpoint: { name: r.touchpointName, nameEn: r.touchpointNameEn },
  };
}

/** The customer's language for messages: theirs when it is one of ours ("en", "en-GB"), else Spanish. */
export function customerLang(language: string | null): Lang {
  const two = (language ?? "").trim().slice(0, 2).toLowerCase();
  return isLang(two) ? two : "es";
}

export function unsubscribeUrl(origin: string, workspaceId: number, customerId: number): string {
  return `${origin}/u/${unsubscribeToken(purposeKey("unsubscribe"), workspaceId, customerId)}`;
}

/** The message a row sends, rendered (also what the deployment page's test send uses). */
export function invitationMessage(ctx: SendContext, settings: MailSettingsRow, config: DeploymentMailConfig, seq: number, workspaceId: number) {
  const lang = customerLang(ctx.customer.language);
  const origin = mailLinkOrigin(settings);
  const unsubscribe = unsubscribeUrl(origin, workspaceId, ctx.invitation.customerId);
  const rendered = renderInvitationMail({
    template: config.templates[lang],
    lang,
    values: {
      brand: ctx.brand,
      customerName: ctx.customer.name,
      touchpoint: localName(ctx.touchpoint, lang),
      expiresAt: ctx.invitation.expiresAt,
      timeZone: settings.timeZone,
    },
    link: personalLink(origin, ctx.invitation.token, lang),
    unsubscribeUrl: unsubscribe,
    seq,
  });
  return { lang, unsubscribe, ...rendered };
}
