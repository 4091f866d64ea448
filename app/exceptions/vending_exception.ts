import { Exception } from '@adonisjs/core/exceptions'

/**
 * Base of every business-rule refusal. Subclasses set a static `status`
 * (HTTP) and `code` (stable, machine-readable); `field` names the input the
 * refusal is about, when there is one. The exception handler turns these
 * into `{ errors: [{ code, message, field? }] }` for the API.
 */
export default class VendingException extends Exception {
  field?: string

  constructor(message?: string, options?: { field?: string; code?: string; status?: number }) {
    super(message, { code: options?.code, status: options?.status })
    this.field = options?.field
  }
}
