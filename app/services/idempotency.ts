import type { Request } from '@adonisjs/core/http'
import { idempotencyKeyValidator } from '#validators/order'

/**
 * Reads and validates the optional `Idempotency-Key` header.
 *
 * @throws the VineJS validation error (422, field `Idempotency-Key`) for an
 *   empty, over-long or non-printable key
 */
export async function readIdempotencyKey(request: Request): Promise<string | undefined> {
  // Not `request.header()`: it answers `undefined` for an empty value, and an
  // empty key must be refused rather than silently read as "no key".
  const header = request.headers()['idempotency-key']
  if (header === undefined) return undefined
  const payload = await idempotencyKeyValidator.validate({ 'Idempotency-Key': header })
  return payload['Idempotency-Key']
}
