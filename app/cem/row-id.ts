// Ids of stored rows as they arrive from outside (a deployment, a survey version): positive whole
// numbers within PostgreSQL's `integer`, the type of every id column. A larger number names no row,
// but PostgreSQL refuses to compare an integer column with it at all, so it is refused here first.
import { z } from "zod";

/** The largest id a row can have (PostgreSQL's integer, 2^31 − 1). */
export const MAX_ROW_ID = 2_147_483_647;

/** A row id in JSON: a number. */
export const RowIdSchema = z.number().int().positive().max(MAX_ROW_ID);

/** A row id in a form field or query string: digits. */
export const RowIdParamSchema = z.coerce.number().int().positive().max(MAX_ROW_ID);
