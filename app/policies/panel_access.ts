import { Role, type PanelRole } from '#enums/role'

/*
 * Who may open which panel route: the one place the panel's roles are
 * decided. `PanelAccessMiddleware` (every panel route) asks `PanelPolicy`,
 * which reads these rules by route name; the nav only hides what a role
 * could not open anyway. tests/functional/admin/route_rules.spec.ts fails
 * on any `/admin` route without a rule here.
 *
 * The roles (README "Team and roles"):
 * - admin: everything.
 * - restocker: the machines list and machine pages, planograms (slot edits,
 *   restock, clear a check; not a slot's price, see `PanelPolicy.changePrice`),
 *   maintenance mode and test vends, pick lists, restock routes (read) and
 *   visits. No money (products, orders, payments, shoppers, analytics), no
 *   audit log, firmware, machine keys or settings, no team.
 * - viewer: read-only. Every page that only shows (exports included), none
 *   of the form pages (create, edit, confirm) and no POST except logging out
 *   (enforced for every route by `roleMayOpen`, whatever a rule lists); no
 *   team page, no restock visits.
 */

const ADMIN: readonly PanelRole[] = [Role.Admin]
const EVERYONE: readonly PanelRole[] = [Role.Admin, Role.Restocker, Role.Viewer]
const FIELD: readonly PanelRole[] = [Role.Admin, Role.Restocker]
const READERS: readonly PanelRole[] = [Role.Admin, Role.Viewer]

/**
 * Route name (exact, or a wildcard `admin.x.*` matching every name that
 * starts with `admin.x.`) → the roles allowed. An exact name wins over a
 * wildcard, a longer wildcard over a shorter one. Rules for routes not
 * (yet) registered are harmless.
 */
export const PANEL_ROUTE_RULES: Readonly<Record<string, readonly PanelRole[]>> = {
  // Everyone signed in
  'admin.dashboard': EVERYONE,
  'admin.dashboard.live': EVERYONE,
  'admin.logout': EVERYONE,

  // Machines
  'admin.machines.*': ADMIN,
  'admin.machines.index': EVERYONE,
  'admin.machines.live': EVERYONE,
  'admin.machines.show': EVERYONE,
  'admin.machines.show_live': EVERYONE,
  'admin.machines.qr': EVERYONE,
  'admin.machines.qr_sheet': EVERYONE,
  // A restocker switches a machine to maintenance while it is open, then test-vends.
  'admin.machines.maintenance': FIELD,
  'admin.machines.test_vend': FIELD,

  // Planograms (a price change is admin-only: PanelPolicy.changePrice)
  'admin.planogram.*': FIELD,
  'admin.planogram.show': EVERYONE,

  // Restocking
  'admin.restock.pick_list': EVERYONE,
  'admin.restock.routes.*': ADMIN,
  'admin.restock.routes.index': EVERYONE,
  'admin.restock.visits.*': FIELD,

  // Products (prices)
  'admin.products.*': ADMIN,
  'admin.products.index': READERS,

  // Money: orders, payments, shoppers' wallets
  'admin.orders.*': ADMIN,
  'admin.orders.index': READERS,
  'admin.orders.show': READERS,
  'admin.orders.export': READERS,
  'admin.payments.*': READERS,
  'admin.shoppers.*': ADMIN,
  'admin.shoppers.index': READERS,
  'admin.shoppers.show': READERS,

  // Reports
  'admin.analytics': READERS,
  'admin.analytics.insights': READERS,
  'admin.analytics.export': READERS,
  'admin.feedback.*': READERS,
  'admin.audit.*': READERS,

  // Firmware
  'admin.firmware.*': ADMIN,
  'admin.firmware.index': READERS,
  'admin.firmware.rollouts.index': READERS,
  'admin.firmware.rollouts.list_live': READERS,
  'admin.firmware.rollouts.show': READERS,
  'admin.firmware.rollouts.live': READERS,

  // The team
  'admin.team.*': ADMIN,
}

/**
 * The panel's areas, in nav order: `key` (a page's `active`), the route
 * its link opens, and its label. A role sees the link when it may open
 * that route.
 */
export const PANEL_AREAS: readonly { key: string; route: string; label: string }[] = [
  { key: 'dashboard', route: 'admin.dashboard', label: 'Dashboard' },
  { key: 'machines', route: 'admin.machines.index', label: 'Machines' },
  { key: 'products', route: 'admin.products.index', label: 'Products' },
  { key: 'restock', route: 'admin.restock.pick_list', label: 'Restock' },
  { key: 'orders', route: 'admin.orders.index', label: 'Orders' },
  { key: 'payments', route: 'admin.payments.index', label: 'Payments' },
  { key: 'shoppers', route: 'admin.shoppers.index', label: 'Shoppers' },
  { key: 'feedback', route: 'admin.feedback.index', label: 'Feedback' },
  { key: 'analytics', route: 'admin.analytics', label: 'Analytics' },
  { key: 'firmware', route: 'admin.firmware.index', label: 'Firmware' },
  { key: 'audit', route: 'admin.audit.index', label: 'Audit log' },
  { key: 'team', route: 'admin.team.index', label: 'Team' },
]

/**
 * The rule that decides `routeName`: its exact entry, else the longest
 * wildcard whose prefix it starts with; null when no rule covers it (then
 * nobody may open it).
 */
export function ruleFor(
  routeName: string
): { pattern: string; roles: readonly PanelRole[] } | null {
  const exact = PANEL_ROUTE_RULES[routeName]
  if (exact) return { pattern: routeName, roles: exact }
  let best: { pattern: string; roles: readonly PanelRole[] } | null = null
  for (const [pattern, roles] of Object.entries(PANEL_ROUTE_RULES)) {
    if (!pattern.endsWith('.*')) continue
    const prefix = pattern.slice(0, -1)
    if (routeName.startsWith(prefix) && (!best || pattern.length > best.pattern.length)) {
      best = { pattern, roles }
    }
  }
  return best
}

/**
 * What a viewer may send besides GET/HEAD: logging out. Everything else a
 * viewer sends is refused whatever the rules say, so a wildcard rule that
 * lets viewers read an area (`admin.feedback.*`) never lets them change it.
 */
const VIEWER_WRITES = new Set(['admin.logout'])

/**
 * Whether a user of `role` may open the panel route named `routeName` with
 * `method`. Unnamed routes and names without a rule are closed to everyone;
 * a viewer is read-only (`VIEWER_WRITES`).
 */
export function roleMayOpen(role: string, routeName: string | undefined, method = 'GET'): boolean {
  if (!routeName) return false
  if (role === Role.Viewer && !['GET', 'HEAD'].includes(method) && !VIEWER_WRITES.has(routeName)) {
    return false
  }
  return ruleFor(routeName)?.roles.includes(role as PanelRole) ?? false
}
