import { errors as vineErrors } from '@vinejs/vine'
import VendingException from '#exceptions/vending_exception'

/**
 * What an ace command prints when an action refused its input, a line
 * each: every VineJS validation message, or a `VendingException`'s message
 * (followed by ` (<code>)` when `withCode`). Any other error is not a
 * refusal but a fault: `null`, and the command rethrows it.
 */
export function refusalLines(
  error: unknown,
  options: { withCode?: boolean } = {}
): string[] | null {
  if (error instanceof vineErrors.E_VALIDATION_ERROR) {
    return (error.messages as { message: string }[]).map((message) => message.message)
  }
  if (error instanceof VendingException) {
    return [options.withCode ? `${error.message} (${error.code})` : error.message]
  }
  return null
}
