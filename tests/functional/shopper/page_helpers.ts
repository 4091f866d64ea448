import { io } from 'socket.io-client'
import type { ApiClient } from '@japa/api-client'
import type User from '#models/user'
import { baseUrl } from '#tests/helpers/server'
import { ShopperSocket } from '#tests/helpers/live_orders'

/**
 * Helpers for the shopper page's tests (functional and browser). Not a
 * spec file: the suites only load `*.spec.ts`.
 */

/**
 * A form POST from the shopper's page as `user` (signed in on the
 * `shopper` guard, with a valid CSRF token), not following the redirect.
 */
export function postForm(
  client: ApiClient,
  user: User,
  url: string,
  fields: Record<string, string | number>
) {
  return client
    .post(url)
    .header('accept', 'text/html')
    .withGuard('shopper')
    .loginAs(user)
    .withCsrfToken()
    .form(fields)
    .redirects(0)
}

/**
 * The same request as the page's script sends it: `Accept:
 * application/json`, CSRF token in the header.
 */
export function postJson(
  client: ApiClient,
  user: User,
  url: string,
  fields: Record<string, unknown>
) {
  return client
    .post(url)
    .header('accept', 'application/json')
    .withGuard('shopper')
    .loginAs(user)
    .withCsrfToken()
    .json(fields)
}

/**
 * GET a shopper page as `user`.
 */
export function getPage(client: ApiClient, user: User, url: string) {
  return client
    .get(url)
    .header('accept', 'text/html')
    .withGuard('shopper')
    .loginAs(user)
    .redirects(0)
}

/**
 * The live ticket an order page was rendered with (`data-live-ticket`).
 */
export function liveTicketOf(html: string): string {
  const match = /data-live-ticket="([^"]+)"/.exec(html)
  if (!match) throw new Error('the page has no live ticket')
  return match[1]
}

/**
 * Connects to `/orders` with `auth: { ticket }`, as the order page's script
 * does, and resolves once joined.
 *
 * @throws the connect error (`invalid_token`) when refused
 */
export function connectWithTicket(ticket: unknown): Promise<ShopperSocket> {
  return new Promise((resolve, reject) => {
    const socket = io(`${baseUrl()}/orders`, {
      auth: { ticket },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    })
    const live = new ShopperSocket(socket)
    socket.once('connect', () => resolve(live))
    socket.once('connect_error', (error) => {
      socket.disconnect()
      reject(error)
    })
  })
}

/**
 * A fresh form key, as the page renders one per form.
 */
export function formKey(): string {
  return `form-${Math.random().toString(36).slice(2)}-${Date.now()}`
}
