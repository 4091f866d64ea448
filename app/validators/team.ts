import vine from '@vinejs/vine'
import { PANEL_ROLES } from '#enums/role'

/** A panel password: 12+ characters, as `node ace admin:create` has always asked. */
const password = () => vine.string().minLength(12).maxLength(200)
const email = () =>
  vine.string().trim().email().maxLength(254).normalizeEmail({ all_lowercase: true })
const role = () => vine.enum(PANEL_ROLES)

/**
 * A new panel user (`node ace user:create`, `CreatePanelUser`).
 */
export const createPanelUserValidator = vine.compile(
  vine.object({ email: email(), password: password(), role: role() })
)

/**
 * The team page's invite form.
 */
export const inviteUserValidator = vine.compile(vine.object({ email: email(), role: role() }))

/**
 * The team page's role form.
 */
export const changeRoleValidator = vine.compile(vine.object({ role: role() }))

/**
 * The invitation page: the new user's password, typed twice.
 */
export const acceptInvitationValidator = vine.compile(
  vine.object({ password: password().confirmed({ confirmationField: 'password_confirmation' }) })
)
