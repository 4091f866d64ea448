import type { Request } from '@adonisjs/core/http'
import QRCode, { type QRCodeToStringOptions } from 'qrcode'
import env from '#start/env'

/**
 * How shopper-page QR codes are drawn. Error correction `Q` (about 25 % of
 * the symbol may be lost) because printed labels on a machine get
 * scratched, smudged and stickered over; a 4-module quiet zone, as the QR
 * standard asks, so a phone finds the code on a busy front panel. No
 * `width`: the SVG scales to whatever box the page gives it.
 */
export const SHOPPER_QR_OPTIONS: QRCodeToStringOptions = {
  type: 'svg',
  errorCorrectionLevel: 'Q',
  margin: 4,
  color: { dark: '#000000', light: '#ffffff' },
}

/**
 * The address shoppers reach the server at, without a trailing slash, e.g.
 * `https://vend.example.com` or `https://example.com/vendora`.
 *
 * The rule: `APP_URL` when set (what is printed on a machine must not
 * depend on which host name an operator happened to open the panel with);
 * otherwise the origin of `request` (`protocol://host[:port]`, honouring
 * `X-Forwarded-*` from a trusted proxy, see config/app.ts); otherwise, with
 * neither, `http://localhost:<PORT>` (ace commands, tests).
 */
export function publicBaseUrl(request?: Request): string {
  const appUrl = env.get('APP_URL')
  if (appUrl) {
    const url = new URL(appUrl)
    return `${url.origin}${url.pathname.replace(/\/+$/, '')}`
  }
  if (request) return `${request.protocol()}://${request.host() ?? 'localhost'}`
  return `http://localhost:${env.get('PORT')}`
}

/**
 * The shopper page of a machine: `<publicBaseUrl>/m/<machineCode>`, the
 * URL its QR label opens (see `publicBaseUrl` for where the base comes
 * from). Machine codes are already URL-safe (`MACHINE_CODE_PATTERN`); the
 * code is still encoded so an odd legacy code cannot break the URL.
 */
export function shopperPageUrl(machineCode: string, request?: Request): string {
  return `${publicBaseUrl(request)}/m/${encodeURIComponent(machineCode)}`
}

/**
 * The shopper page URL of a machine and its QR code as an inline SVG
 * document string (`<svg ...>...</svg>`, from the `qrcode` package with
 * `SHOPPER_QR_OPTIONS`), ready to print into a page unescaped.
 *
 * @returns `{ url, svg }`
 * @throws only if the URL were too long for a QR code (thousands of
 *   characters; not reachable with a valid APP_URL and machine code)
 */
export async function shopperPageQr(
  machineCode: string,
  request?: Request
): Promise<{ url: string; svg: string }> {
  const url = shopperPageUrl(machineCode, request)
  return { url, svg: await QRCode.toString(url, SHOPPER_QR_OPTIONS) }
}

/**
 * The origin a device client on this computer (`node ace machine:simulate`,
 * `machine:serial`) dials when no server URL is given: the server started
 * with the same environment, `http://<HOST>:<PORT>`. A server listening on
 * every interface (`HOST` 0.0.0.0 or ::) is dialled on loopback; an IPv6
 * host gets its brackets. A variable set in the shell wins over `.env`, so
 * `PORT=3500 node ace machine:simulate` finds a demo started with
 * `PORT=3500 npm run demo`.
 */
export function localServerUrl(): string {
  const host = env.get('HOST')
  const port = env.get('PORT')
  const dialled = host === '0.0.0.0' || host === '::' || host === '' ? '127.0.0.1' : host
  return `http://${dialled.includes(':') ? `[${dialled}]` : dialled}:${port}`
}
