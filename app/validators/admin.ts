import vine from '@vinejs/vine'

/**
 * Panel login form.
 */
export const adminLoginValidator = vine.compile(
  vine.object({
    email: vine.string().trim().email().maxLength(254),
    password: vine.string().minLength(1).maxLength(200),
  })
)

/**
 * `node ace admin:create`: a new operator account.
 */
export const createAdminValidator = vine.compile(
  vine.object({
    email: vine.string().trim().email().maxLength(254).normalizeEmail({ all_lowercase: true }),
    password: vine.string().minLength(12).maxLength(200),
  })
)
