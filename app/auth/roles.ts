// The three workspace roles (DESIGN.md): admin does everything, designer edits the model, manager reads and works cases.
export const ROLES = ["admin", "designer", "manager"] as const;
export type Role = (typeof ROLES)[number];
