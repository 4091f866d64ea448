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
