// One response on its own page: the response with its touchpoint, survey version, customer (and the
// tier it had when answering, as stored on the response), measurements, the case opened from it and
// the invitation it came from. Workspace-scoped: an id from another workspace reads as not found.
import { and, eq } from "drizzle-orm";
import { getDb } from "#db/client";
import { cases, customers, invitations, measurements, responses, surveys, surveyVersions, touchpoints } from "#db/schema/index";
import { summaryOf } from "./insights-responses.server";

export async function responseDetail(workspaceId: number, responseId: number) {
  const db = getDb();
  const [found] = await db
    .select({
      id: responses.id,
      completedAt: responses.completedAt,
      lang: responses.lang,
      source: responses.source,
      tier: responses.tier,
      data: responses.data,
      comment: responses.comment,
      touchpointKey: touchpoints.key,
      touchpointName: touchpoints.name,
      surveyTitle: surveys.title,
      version: surveyVersions.version,
      definition: surveyVersions.definition,
      customerId: customers.id,
      customerExternalId: customers.externalId,
      customerName: customers.name,
      invitationId: invitations.id,
      invitationState: invitations.state,
      caseId: cases.id,
      caseStatus: cases.status,
    })
    .from(responses)
    .innerJoin(touchpoints, eq(touchpoints.id, responses.touchpointId))
    .innerJoin(surveyVersions, eq(surveyVersions.id, responses.surveyVersionId))
    .innerJoin(surveys, eq(surveys.id, surveyVersions.surveyId))
    .leftJoin(customers, and(eq(customers.id, responses.customerId), eq(customers.workspaceId, workspaceId)))
    .leftJoin(invitations, and(eq(invitations.id, responses.invitationId), eq(invitations.workspaceId, workspaceId)))
    .leftJoin(cases, and(eq(cases.responseId, responses.id), eq(cases.workspaceId, workspaceId)))
    .where(and(eq(responses.workspaceId, workspaceId), eq(responses.id, responseId)))
    .limit(1);
  if (!found) return null;
  const measured = await db
    .select({ attributeKey: measurements.attributeKey, kind: measurements.kind, value: measurements.value })
    .from(measurements)
    .where(and(eq(measurements.responseId, responseId), eq(measurements.workspaceId, workspaceId)))
    .orderBy(measurements.id);
  return { ...found, measurements: measured, ...summaryOf(measured) };
}
