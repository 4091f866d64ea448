import { errors as vineErrors } from '@vinejs/vine'
import logger from '@adonisjs/core/services/logger'
import VendingException from '#exceptions/vending_exception'
import { ProtocolError } from '#services/device_protocol'

/**
 * The error a socket handler answers with: the same named `code` strings
 * the JSON API uses for business refusals (`VendingException.code`, as the
 * exception handler maps them), `invalid_payload` for a message its
 * validator refused, and `server_error` for anything else (a fault: the
 * client learns only that it should retry, never our internals).
 */
export interface SocketError {
  code: string
  message?: string
}

/**
 * The code for an unexpected failure.
 */
export const INTERNAL_ERROR = ProtocolError.ServerError

/**
 * The code for a payload its validator refused.
 */
export const INVALID_PAYLOAD = ProtocolError.InvalidPayload

/**
 * Maps anything a socket handler threw to a `SocketError` (see the type).
 * A fault (not a refusal) is logged here, with `context`.
 */
export function toSocketError(error: unknown, context: Record<string, unknown> = {}): SocketError {
  if (error instanceof VendingException)
    return { code: error.code ?? 'error', message: error.message }
  if (error instanceof vineErrors.E_VALIDATION_ERROR) return { code: INVALID_PAYLOAD }
  logger.error({ err: error, ...context }, 'socket handler failed')
  return { code: INTERNAL_ERROR }
}

/**
 * The acknowledgement a device gets for a message that failed:
 * `{ ok: false, error: <code> }` (firmware/PROTOCOL.md, 4).
 */
export function failureAck(
  error: unknown,
  context: Record<string, unknown> = {}
): { ok: false; error: string } {
  return { ok: false, error: toSocketError(error, context).code }
}

/**
 * A refused namespace connect: socket.io sends the error's message as the
 * connect error (`44/<nsp>,{"message":"<code>"}`). `code` is one of
 * `invalid_credentials`, `rate_limited`, `invalid_token`, `unauthorized`,
 * or `server_error` for a fault.
 */
export function refusal(code: string): Error {
  return new Error(code)
}

/**
 * Wraps an async check as socket.io namespace middleware (`nsp.use`): the
 * connect goes ahead once it resolves; a rejection refuses it, its message
 * (a `refusal` code) sent to the client.
 */
export function namespaceAuth<S>(
  check: (socket: S) => Promise<void>
): (socket: S, next: (error?: Error) => void) => void {
  return (socket, next) => {
    check(socket)
      .then(() => next())
      .catch((error: Error) => next(error))
  }
}
