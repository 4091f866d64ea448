import encryption from '@adonisjs/core/services/encryption'

/**
 * What a live ticket lets its page's socket.io client join: `/admin`
 * (dashboard, machine monitor) or a shopper's `/orders`.
 */
export type LiveTicketPurpose = 'admin-live' | 'shopper-live'

/**
 * How long a ticket is accepted. The socket checks it on every (re)connect,
 * so it must outlive any sensible stay on the page without becoming a
 * lasting credential.
 */
const TICKET_TTL: Record<LiveTicketPurpose, string> = {
  'admin-live': '12h',
  'shopper-live': '2h',
}

/**
 * An encrypted, expiring ticket naming `userId`, rendered into a page so
 * the page's socket proves the session it came from without scripts ever
 * seeing the (httpOnly) session cookie. Encrypted with `APP_KEY`.
 */
export function issueLiveTicket(userId: number, purpose: LiveTicketPurpose): string {
  return encryption.encrypt({ userId, purpose }, TICKET_TTL[purpose])
}

/**
 * The user id a ticket names, or null for anything that is not an
 * unexpired ticket of this `purpose` (forged, tampered, expired, another
 * purpose, not a string).
 */
export function readLiveTicket(ticket: unknown, purpose: LiveTicketPurpose): number | null {
  if (typeof ticket !== 'string') return null
  const payload = encryption.decrypt<{ userId: number; purpose: string }>(ticket)
  return payload?.purpose === purpose && typeof payload.userId === 'number' ? payload.userId : null
}
