/**
 * A filter form's query string without its empty inputs: a form sends
 * `status=` for "any status", which means "no filter", not an invalid
 * value. Repeated keys (arrays) are dropped too: no filter takes several
 * values.
 */
export function filledQuery(qs: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(qs).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1].trim() !== ''
    )
  )
}
