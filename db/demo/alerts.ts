// The demo's alerts and digests: the manager follows "target breached" on each brand's weak process,
// with a gap target of 0 there (which the planted story misses), the admin follows significant drops
// across the workspace, and the manager gets the weekly digest. The rules are saved through the app's
// data layer, which queues their evaluation: the server's job runner finds the occurrences at start.
import { eq } from "drizzle-orm";
import { getDb } from "../client";
import { alertRules, users } from "../schema/index";
import { saveRule } from "../../app/data/alerts.server";
import { saveDigestSubscription } from "../../app/data/digests.server";
import { saveTarget } from "../../app/data/targets.server";

async function userId(email: string): Promise<number> {
  const [row] = await getDb().select({ id: users.id }).from(users).where(eq(users.email, email)).limit(1);
  if (!row) throw new Error(`demo user ${email} is missing`);
  return row.id;
}

/** Once per workspace: a workspace that already has rules is left as it is. */
export async function seedDemoAlerts(workspaceId: number, weakProcess: string, people: { admin: string; manager: string }): Promise<void> {
  const [existing] = await getDb().select({ id: alertRules.id }).from(alertRules).where(eq(alertRules.workspaceId, workspaceId)).limit(1);
  if (existing) return;
  const manager = await userId(people.manager);
  const admin = await userId(people.admin);
  await saveTarget(workspaceId, manager, { unit: "process", unitKey: weakProcess, metric: "gap", value: 0 });
  const target = await saveRule(workspaceId, manager, { name: "Objetivo de brecha no alcanzado", kind: "target", for: { scope: "process", scopeKey: weakProcess }, subscribe: "on" });
  if (!target.ok) throw new Error(`demo rule not saved: ${target.error}`);
  const drops = await saveRule(workspaceId, admin, { name: "Caídas significativas", kind: "drop", for: { scope: null, scopeKey: null }, subscribe: "on" });
  if (!drops.ok) throw new Error(`demo rule not saved: ${drops.error}`);
  await saveDigestSubscription(workspaceId, manager, { frequency: "weekly", journeys: [] });
}
