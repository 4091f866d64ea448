import { Role, type PanelRole } from '#enums/role'
import User from '#models/user'

/**
 * The password of the panel users made by `panelUser`.
 */
export const PANEL_PASSWORD = 'correct horse battery'

/**
 * An active panel user of `role` with email `<role>@example.com` (or
 * `email`) and `PANEL_PASSWORD`.
 */
export function panelUser(role: PanelRole = Role.Admin, email?: string): Promise<User> {
  return User.create({
    username: `${role}-${email ?? role}`.slice(0, 64),
    role,
    email: email ?? `${role}@example.com`,
    password: PANEL_PASSWORD,
    balancePaise: 0,
  })
}
