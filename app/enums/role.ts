/**
 * Who a user is: an anonymous shopper (`user`) or a member of the operator
 * team in the admin panel (`admin`, `restocker`, `viewer`). What each panel
 * role may open is written down once, in `app/policies/panel_access.ts`.
 */
export enum Role {
  /** Everything in the panel, money and the team included. */
  Admin = 'admin',
  /** Field staff: machines, planograms, pick lists, restock visits, test vends; no money. */
  Restocker = 'restocker',
  /** Read-only: every page and export, no change. */
  Viewer = 'viewer',
  /** An anonymous shopper (API bearer token or the machine page's session). */
  User = 'user',
}

/**
 * The roles that may sign in to the admin panel, in the order the team
 * page offers them.
 */
export const PANEL_ROLES = [Role.Admin, Role.Restocker, Role.Viewer] as const

/**
 * A role that may sign in to the panel.
 */
export type PanelRole = (typeof PANEL_ROLES)[number]

/**
 * Whether `role` is one of the panel's roles (not a shopper).
 */
export function isPanelRole(role: unknown): role is PanelRole {
  return (PANEL_ROLES as readonly unknown[]).includes(role)
}
