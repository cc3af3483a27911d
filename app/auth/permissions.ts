// Who may do what: the single table of role permissions. Every route asks `can(role, permission)`
// through requireMember (auth/guard.server.ts); nothing checks roles ad hoc.
import type { Role } from "./roles";

export type { Role };
export const PERMISSIONS = {
  read: ["admin", "designer", "manager"],
  "platform:edit": ["admin", "designer"],
  "processes:edit": ["admin", "designer"],
  "journeys:edit": ["admin", "designer"],
  "surveys:edit": ["admin", "designer"],
  "surveys:deploy": ["admin", "designer"],
  "invitations:create": ["admin"],
  "crm:import": ["admin"],
  "segmentation:edit": ["admin"],
  "cases:work": ["admin", "manager"],
  // Targets per process, touchpoint or attribute: set by those who design the experience and by the
  // managers answerable for reaching them.
  "targets:edit": ["admin", "designer", "manager"],
  // Alert rules: created and changed by those answerable for acting on them; every member may follow one.
  "alerts:edit": ["admin", "manager"],
  "settings:edit": ["admin"],
  "members:manage": ["admin"],
  "tokens:manage": ["admin"],
  "audit:read": ["admin"],
  // A customer's data rights: export everything held about them, erase their identity.
  "customers:privacy": ["admin"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}
