import { defineConfig } from '@adonisjs/auth'
import { tokensGuard, tokensUserProvider } from '@adonisjs/auth/access_tokens'
import { sessionGuard, sessionUserProvider } from '@adonisjs/auth/session'
import type { InferAuthenticators, InferAuthEvents, Authenticators } from '@adonisjs/auth/types'

/**
 * `api`: bearer access tokens for shoppers and programs (/api/v1).
 * `web`: session cookies for the admin panel.
 * `shopper`: session cookies for the shopper's page at a machine (`/m/:code`).
 *   Kept apart from `web` (its own session key `auth_shopper` and cookie
 *   `remember_shopper`), so an admin signed into the panel is a separate,
 *   anonymous shopper there, and a shopper's cookie never opens the panel.
 *   Remember-me tokens keep an anonymous wallet beyond the 2 h session:
 *   without them a shopper who came back the next day would lose the
 *   account (there is no login to get it back).
 */
const authConfig = defineConfig({
  default: 'api',
  guards: {
    api: tokensGuard({
      provider: tokensUserProvider({
        tokens: 'accessTokens',
        model: () => import('#models/user'),
      }),
    }),
    web: sessionGuard({
      useRememberMeTokens: false,
      provider: sessionUserProvider({
        model: () => import('#models/user'),
      }),
    }),
    shopper: sessionGuard({
      useRememberMeTokens: true,
      rememberMeTokensAge: '90 days',
      provider: sessionUserProvider({
        model: () => import('#models/user'),
      }),
    }),
  },
})

export default authConfig

declare module '@adonisjs/auth/types' {
  export interface Authenticators extends InferAuthenticators<typeof authConfig> {}
}
declare module '@adonisjs/core/types' {
  interface EventsList extends InferAuthEvents<Authenticators> {}
}
