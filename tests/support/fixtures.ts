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

export function makeWorkspace(slug: string, ownerId: number) {
  return createWorkspace({ slug, name: slug.toUpperCase(), ownerId });
}

export function addMember(workspaceSlug: string, userId: number, role: Role) {
  const ws = getDb().select().from(workspaces).where(eq(workspaces.slug, workspaceSlug)).get()!;
  getDb().insert(memberships).values({ workspaceId: ws.id, userId, role }).run();
}

export function sampleText(file: string): string {
  return fs.readFileSync(path.resolve("journeys", file), "utf8");
}

export function importSample(workspaceId: number, file = "retail-bank-account-opening.json") {
  const parsed = parseJourneyFile(sampleText(file));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const saved = saveJourney(workspaceId, parsed.journey, "create");
  if (!saved.ok) throw new Error(JSON.stringify(saved.errors));
  return parsed.journey;
}
