import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { Exception } from '@adonisjs/core/exceptions'
import Machine from '#models/machine'
import { Role } from '#enums/role'
import CreateShopper from '#actions/users/create_shopper'
import { throttleShopperCreationFor } from '#start/limiter'
import { wantsJson } from '#controllers/shopper/responses'

/**
 * The shopper behind a request to `/m/...`, on the `shopper` session guard
 * (config/auth.ts). After it runs, `ctx.auth.user` is that shopper.
 *
 * A first visit (a GET with no shopper session and no remember-me cookie)
 * creates an anonymous shopper with `CreateShopper` and signs them in with
 * remember-me, so the same wallet comes back after the 2 h session: a
 * shopper who scanned a QR code should not have to sign up before buying;
 * an address with no machine behind it makes no
 * account and answers 404. Any other request without a shopper is refused: a
 * form posted after the cookies were lost goes back to the machine's page,
 * and a script gets 401 `unauthorized`.
 *
 * Creating a shopper counts against the per-IP shopper-creation limits that
 * `POST /api/v1/users` shares (`rateLimits.shopperCreationBurst` and
 * `shopperCreation`): past one the page answers 429 with
 * `Retry-After` and creates nothing. A shopper the cookies name (session,
 * or remember-me once the session ended) is never counted.
 *
 * Shopper pages show a balance and carry one-time form keys, so they are
 * never cached (the Back button re-renders them with fresh keys).
 */
@inject()
export default class ShopperMiddleware {
  constructor(protected createShopper: CreateShopper) {}

  async handle(ctx: HttpContext, next: NextFn) {
    const { auth, request, response, session } = ctx
    response.header('Cache-Control', 'no-store')

    // checkUsing (not guard.check) so `ctx.auth.user` and Bouncer see the shopper.
    const signedIn = (await auth.checkUsing(['shopper'])) ? auth.user! : null
    // Only shoppers ever sign in on this guard; anything else is stale.
    if (signedIn && signedIn.role !== Role.User) await auth.use('shopper').logout()
    if (signedIn?.role === Role.User) return next()

    if (request.method() !== 'GET') {
      const message = 'Your shopper session has ended. Please try again.'
      if (wantsJson(ctx)) {
        return response.unauthorized({ errors: [{ code: 'unauthorized', message }] })
      }
      session.flash('error', message)
      return response.redirect(`/m/${encodeURIComponent(ctx.params.code ?? '')}`)
    }

    // A mistyped or stale address makes no account; the page answers 404.
    if (!(await Machine.findBy('code', ctx.params.code ?? ''))) {
      throw new Exception('No machine has this code.', { status: 404, code: 'E_NOT_FOUND' })
    }
    // Only here, with no shopper in the cookies, is a creation counted.
    // Throws E_TOO_MANY_REQUESTS (429) past a limit, before anything is created.
    await throttleShopperCreationFor(ctx)
    const { user } = await this.createShopper.handle()
    await auth.use('shopper').login(user, true)
    return next()
  }
}
