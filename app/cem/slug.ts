// Stable keys (slugs) for workspaces, journeys, stages, touchpoints and processes.
import { z } from "zod";

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const SlugSchema = z
  .string()
  .trim()
  .min(2, "At least 2 characters.")
  .max(64, "At most 64 characters.")
  .regex(SLUG_PATTERN, "Use lower-case letters, digits and single hyphens (e.g. 'card-delivery').");

/** A slug suggestion from free text: accents dropped, spaces to hyphens. */
export function slugify(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 64);
}
