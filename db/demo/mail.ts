// The demo's e-mail: every demo workspace sends through the local SMTP catcher that `npm run demo`
// starts (app/data/mail-catcher.server.ts, port VIVENCIA_MAIL_CATCHER_PORT, 2525 by default), so
// invitations arrive in the "Mailbox (demo)" page. The send windows are open all day so that a
// demo run late in the evening still shows an invitation arriving. Settings already there are kept.
import { eq } from "drizzle-orm";
import { getDb } from "../client";
import { deployments, mailSettings } from "../schema/index";
import { saveDeploymentMail, DEFAULT_DEPLOYMENT_MAIL } from "../../app/data/deployment-mail.server";

export async function seedDemoMail(workspaceId: number, fromName: string): Promise<void> {
  const port = Number(process.env.VIVENCIA_MAIL_CATCHER_PORT || 2525);
  const inserted = await getDb()
    .insert(mailSettings)
    .values({
      workspaceId,
      host: "127.0.0.1",
      port,
      tlsMode: "none",
      fromName,
      fromAddress: "encuestas@demo.vivencia.test",
      linkOrigin: process.env.PUBLIC_URL || `http://localhost:${process.env.PORT ?? "3000"}`,
      ratePerMinute: 60,
      timeZone: "Europe/Madrid",
    })
    .onConflictDoNothing()
    .returning({ id: mailSettings.workspaceId });
  if (inserted.length === 0) return;
  for (const d of await getDb().select({ id: deployments.id }).from(deployments).where(eq(deployments.workspaceId, workspaceId))) {
    await saveDeploymentMail(workspaceId, d.id, { ...DEFAULT_DEPLOYMENT_MAIL, window: { start: 0, end: 24 * 60 } });
  }
}
