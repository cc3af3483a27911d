// Texts of the operational answers people may see: a write refused because the database cannot be
// written right now (a full disk, a read-only file or database).
export const es = {
  "operations.unwritable": "La base de datos no admite escrituras en este momento; no se guardó nada. Vuelva a intentarlo más tarde.",
} as const;

export const en: Record<keyof typeof es, string> = {
  "operations.unwritable": "The database cannot be written right now; nothing was stored. Retry later.",
};
