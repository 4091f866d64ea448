import type { Request } from '@adonisjs/core/http'
import { idempotencyKeyValidator } from '#validators/order'
import { isUniqueViolation } from '#services/db_helpers'

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

/**
 * What `oncePerKey` did: `created` is what `create` made now; `earlier`
 * the row an earlier request with the same key made.
 */
export type KeyedOutcome<Row, Created> =
  { earlier: Row; created?: undefined } | { created: Created; earlier?: undefined }

/**
 * The Idempotency-Key rule (README "Idempotency-Key") in one place. With a
 * key, the row an earlier request of the same shopper made under it
 * (`findEarlier`) is the answer and `create` does not run again. Two
 * requests racing with one key both run `create`; the unique index on
 * `(user_id, idempotency_key)` refuses the second, which is then answered
 * with the first's row. Without a key `create` just runs. Whether the
 * earlier row describes the same request is the caller's check.
 *
 * @throws whatever `create` throws, but the unique violation of a raced key
 */
export async function oncePerKey<Row, Created>(
  key: string | undefined,
  findEarlier: (key: string) => Promise<Row | null>,
  create: () => Promise<Created>
): Promise<KeyedOutcome<Row, Created>> {
  if (key) {
    const earlier = await findEarlier(key)
    if (earlier) return { earlier }
  }
  try {
    return { created: await create() }
  } catch (error) {
    if (!key || !isUniqueViolation(error)) throw error
    const earlier = await findEarlier(key)
    // Another unique index refused it: not a replay.
    if (!earlier) throw error
    return { earlier }
  }
}
