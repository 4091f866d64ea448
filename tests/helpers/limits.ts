import type { ApiResponse } from '@japa/api-client'
import limiter from '@adonisjs/limiter/services/main'
import { rateLimits, type RateLimit } from '#config/limiter'
import { assertApiError } from '#tests/helpers/api'
import { baseUrl } from '#tests/helpers/server'

export type LimitName = keyof typeof rateLimits

/**
 * Sets limit `name` to `limit` (.env.test turns every limit off for the
 * rest of the suite) on clean counters; restored when the test ends.
 */
export async function withLimit(
  cleanup: (handler: () => Promise<void>) => void,
  name: LimitName,
  limit: RateLimit
) {
  const saved = { ...rateLimits[name] }
  Object.assign(rateLimits[name], limit)
  await limiter.clear()
  cleanup(async () => {
    Object.assign(rateLimits[name], saved)
    await limiter.clear()
  })
}

/**
 * A 429 with the API's error body and a `Retry-After` in whole seconds
 * within the limit's window.
 */
export function assertThrottled(response: ApiResponse, windowSeconds: number) {
  assertApiError(response, 429, 'too_many_requests')
  const retryAfter = Number(response.header('retry-after'))
  response.assert!.isTrue(
    Number.isInteger(retryAfter),
    `Retry-After is whole seconds: ${response.header('retry-after')}`
  )
  response.assert!.isAtLeast(retryAfter, 1)
  response.assert!.isAtMost(retryAfter, windowSeconds)
}

/**
 * A browser as far as cookies go: one client address (`X-Forwarded-For`,
 * believed from loopback as behind nginx) and a cookie jar that keeps
 * what the server sets and sends it back, like the phone of a shopper who
 * scanned a machine's QR code.
 */
export class Visitor {
  readonly cookies = new Map<string, string>()

  constructor(readonly ip: string) {}

  /**
   * GET `path` as a page (Accept: text/html), not following redirects.
   */
  async visit(path: string): Promise<Response> {
    const response = await fetch(`${baseUrl()}${path}`, {
      headers: { 'accept': 'text/html', 'x-forwarded-for': this.ip, 'cookie': this.cookieHeader() },
      redirect: 'manual',
    })
    for (const header of response.headers.getSetCookie()) this.keep(header)
    await response.arrayBuffer()
    return response
  }

  /**
   * Drops cookie `name`, e.g. the session cookie once the 2 h session ended.
   */
  forget(name: string) {
    this.cookies.delete(name)
  }

  protected cookieHeader() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  }

  protected keep(header: string) {
    const [pair, ...attributes] = header.split(';')
    const index = pair.indexOf('=')
    const name = pair.slice(0, index).trim()
    const value = pair.slice(index + 1).trim()
    const expired = attributes.some((attribute) => /^\s*max-age=0\s*$/i.test(attribute))
    if (!value || expired) this.cookies.delete(name)
    else this.cookies.set(name, value)
  }
}
