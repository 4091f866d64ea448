import { randomUUID } from 'node:crypto'
import app from '@adonisjs/core/services/app'
import logger from '@adonisjs/core/services/logger'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

/**
 * What a request id from a proxy may look like: nginx's `$request_id`
 * (32 hex digits), UUIDs, cuids and the like. Anything else (spaces,
 * control characters, kilobytes of text) is replaced.
 */
const ACCEPTED_ID = /^[A-Za-z0-9._:-]{8,128}$/

/**
 * Gives every request one id, carried by every log line the request writes
 * (`request_id`, through `ctx.logger`) and echoed in the `X-Request-Id`
 * response header, so a shopper's or operator's report can be matched to
 * the logs.
 *
 * The id of an incoming `X-Request-Id` is kept when it comes from a
 * trusted proxy (`trustProxy` in config/app.ts: nginx on the same host sets
 * `proxy_set_header X-Request-Id $request_id`) and is well formed; any
 * other caller's is replaced by a fresh UUID, so a client cannot forge or
 * pollute another request's log trail. The framework generates an id
 * before any middleware runs (`generateRequestId`), so this replaces the
 * header and the context's logger in place; it runs first of all server
 * middleware, before anything logs or binds the logger.
 */
export default class RequestIdMiddleware {
  handle(ctx: HttpContext, next: NextFn) {
    const incoming = ctx.request.request.headers['x-request-id']
    if (typeof incoming !== 'string' || !ACCEPTED_ID.test(incoming) || !fromTrustedProxy(ctx)) {
      const id = randomUUID()
      ctx.request.request.headers['x-request-id'] = id
      ctx.logger = logger.child({ request_id: id })
    }
    ctx.response.header('X-Request-Id', ctx.request.id()!)
    return next()
  }
}

/**
 * Whether the TCP peer is a proxy we trust (config/app.ts `trustProxy`).
 */
function fromTrustedProxy(ctx: HttpContext): boolean {
  const address = ctx.request.request.socket.remoteAddress
  const trust = app.config.get<((address: string, hop: number) => boolean) | undefined>(
    'app.http.trustProxy'
  )
  return Boolean(address && typeof trust === 'function' && trust(address, 0))
}
