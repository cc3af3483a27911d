// The per-item report of a CRM batch (customers or events sent together): counts by outcome and one
// entry per rejected item, with the pieces that build it. Pure, so both the API boundary (customers)
// and the events writer in the data layer can use it without depending on each other.

/** What a batch write answers (the API's body): counts, and one entry per rejected item. */
export type BatchResult = {
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  errors: { index: number; externalId?: string; errors: string[] }[];
};

export function emptyBatchResult(): BatchResult {
  return { created: 0, updated: 0, unchanged: 0, rejected: 0, errors: [] };
}

/** zod issues as the sentences the CSV report uses ("email: "x" is not an e-mail address"). */
export function issueMessages(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string[] {
  return issues.map((issue) => {
    const field = issue.path.map(String).join(".");
    // Our messages usually start with the field already; do not say it twice.
    return field && !issue.message.startsWith(field) ? `${field}: ${issue.message}` : issue.message;
  });
}

export const isJsonObject = (item: unknown): item is Record<string, unknown> =>
  typeof item === "object" && item !== null && !Array.isArray(item);

/** The item's external_id when it has one, so a rejected item can be named as well as counted. */
export const externalIdOf = (item: unknown) =>
  isJsonObject(item) && typeof item.external_id === "string" ? item.external_id : undefined;
