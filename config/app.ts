import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { Secret } from '@adonisjs/core/helpers'
import { defineConfig } from '@adonisjs/core/http'

/**
 * The app key encrypts cookies and signs session data. Keep it secret and
 * stable: changing it logs everyone out.
 */
export const appKey = new Secret(env.get('APP_KEY'))

export const http = defineConfig({
  allowMethodSpoofing: false,
  useAsyncLocalStorage: false,
  /*
   * Request ids come from app/middleware/request_id_middleware.ts (a UUID;
   * an incoming `X-Request-Id` only from a trusted proxy), not from the
   * framework: its cuid2 ids cost a SHA-3 hash per request (0.2 ms of CPU
   * in bench/buys_per_second.ts) that the middleware then replaced anyway.
   */
  generateRequestId: false,
  /*
   * Proxies whose `X-Forwarded-For` (client IPs, rate limits) and
   * `X-Request-Id` are believed: `TRUSTED_PROXIES`, comma-separated
   * addresses, CIDR ranges or proxy-addr names (`loopback`, `linklocal`,
   * `uniquelocal`). Default `loopback`: nginx on the same host. Behind
   * nginx in another container, name its network, e.g. `172.16.0.0/12`.
   */
  trustProxy: env.get('TRUSTED_PROXIES', 'loopback'),
  cookie: {
    domain: '',
    path: '/',
    maxAge: '2h',
    httpOnly: true,
    secure: app.inProduction,
    sameSite: 'lax',
  },
})
