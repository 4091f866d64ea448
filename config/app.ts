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
   * Request ids: the framework makes one for each request; an incoming
   * `X-Request-Id` is kept only from a trusted proxy
   * (app/middleware/request_id_middleware.ts).
   */
  generateRequestId: true,
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
