// A response as the writers store it: its input and planned form (WritePlan), the outcome a caller
// is told (RecordResult), the values both write paths store for it, and what its follow-up (case,
// webhooks) needs to know. Shared by the row-by-row writer (response-writer.server.ts) and the
// PostgreSQL set-based one (response-set-writer.server.ts).
import { instantValue } from "#db/statement-text";
import type { Measurement } from "~/cem/measurement";
import type { ResponseRecorded } from "~/data/response-recorded.server";
import type { AnswerError } from "~/survey/answer-validation";
import type { SurveyLocale } from "~/survey/locales";

export type ResponseSource = "link" | "invitation" | "api";

export type ResponseInput = {
  workspaceId: number;
  versionId: number;
  touchpointId: number;
  deploymentId: number | null;
  /** A personal invitation: single use, completed in the same transaction; its customer answers. */
  invitationId?: number | null;
  /** Otherwise a customer known by external id (the API), created bare when new. */
  customerExternalId?: string | null;
  lang: SurveyLocale;
  source: ResponseSource;
  /** The SurveyJS data exactly as received; stored as is, never re-serialised. */
  data: string;
  /** `data` already parsed by the caller, to save parsing it twice. */
  answers?: unknown;
  startedAt?: Date | null;
  completedAt?: Date;
  idempotencyKey?: string | null;
  /**
   * With an idempotency key: a hash of the request that used it (the API's canonical body), stored
   * with the response so that a later request under the same key can be told apart from a retry.
   */
  requestHash?: string | null;
};

export type RecordResult =
  /**
   * From the writer only (callers are told the id): the tier the response was stored with, and the
   * webhook deliveries queued with it.
   */
  | { status: "recorded"; id: number; tier?: string; deliveries?: number }
  /** An earlier response with the same idempotency key: nothing new was stored. */
  | { status: "replayed"; id: number; requestHash?: string | null }
  | { status: "invalid"; errors: AnswerError[] }
  /** The invitation was used already: nothing new was stored. */
  | { status: "already_received" }
  | { status: "expired" };

/** A response ready to write: validated, its measurements extracted, times in epoch ms. */
export type WritePlan = {
  input: ResponseInput;
  completedAt: number;
  startedAt: number | null;
  comment: string | null;
  measurements: Measurement[];
};

/** The measurement rows' columns, in the order both write paths give their values. */
export const MEASUREMENT_COLUMNS = "workspace_id, response_id, touchpoint_id, attribute_key, kind, value, dimension";

/**
 * A response's stored values from survey_version_id to request_hash, in the column order both write
 * paths name (the row path adds the workspace before and the invitation after; the set-based one, the id before).
 */
export function storedValues(plan: WritePlan, customerId: number | null, tier: string): unknown[] {
  const { input } = plan;
  return [
    input.versionId,
    input.touchpointId,
    input.deploymentId,
    customerId,
    tier,
    input.lang,
    input.source,
    input.data,
    plan.comment,
    plan.startedAt === null ? null : instantValue(plan.startedAt),
    instantValue(plan.completedAt),
    input.idempotencyKey ?? null,
    input.idempotencyKey ? (input.requestHash ?? null) : null,
  ];
}

/** What the follow-up (case, webhooks) needs to know of a stored response. */
export function recordedEvent(plan: WritePlan, responseId: number, customerId: number | null, tier: string): ResponseRecorded {
  return {
    workspaceId: plan.input.workspaceId,
    responseId,
    customerId,
    touchpointId: plan.input.touchpointId,
    tier,
    measurements: plan.measurements,
    comment: plan.comment,
    completedAt: plan.completedAt,
  };
}
