// Test data written straight through the data layer (the same code the app uses).
import fs from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { getDb } from "#db/client";
import { memberships, workspaces } from "#db/schema/index";
import type { Role } from "~/auth/roles";
import { parseJourneyFile } from "~/cem/journey";
import { saveJourney } from "~/data/journeys.server";
import { createUser } from "~/data/users.server";
import { createWorkspace } from "~/data/workspaces.server";

export const PASSWORD = "a-long-test-password";

export async function makeUser(email: string, name = email.split("@")[0]) {
  const created = await createUser({ email, name, password: PASSWORD });
  if (!created.ok) throw new Error(`could not create ${email}`);
  return created.user;
}

export async function makeWorkspace(slug: string, ownerId: number) {
  return createWorkspace({ slug, name: slug.toUpperCase(), ownerId });
}

export async function addMember(workspaceSlug: string, userId: number, role: Role): Promise<void> {
  const [ws] = await getDb().select().from(workspaces).where(eq(workspaces.slug, workspaceSlug)).limit(1);
  await getDb().insert(memberships).values({ workspaceId: ws!.id, userId, role });
}

export function sampleText(file: string): string {
  return fs.readFileSync(path.resolve("journeys", file), "utf8");
}

export async function importSample(workspaceId: number, file = "retail-bank-account-opening.json") {
  const parsed = parseJourneyFile(sampleText(file));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const saved = await saveJourney(workspaceId, parsed.journey, "create");
  if (!saved.ok) throw new Error(JSON.stringify(saved.errors));
  return parsed.journey;
}
