import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import CreateShopper from '#actions/users/create_shopper'
import TopUpBalance from '#actions/wallet/top_up_balance'
import User from '#models/user'
import { Role } from '#enums/role'
import { topUpValidator } from '#validators/wallet'
import { presentPayment, presentShopper } from '#services/presenters'
import { readIdempotencyKey } from '#services/idempotency'

/**
 * Shoppers: sign-up-free accounts, balance and top-ups.
 */
export default class UsersController {
  /**
   * POST /api/v1/users → 201 `{ id, username, token }`. A request whose
   * bearer token already names a shopper (signed in by `silentAuth`) gets
   * 200 with that shopper and the same token, and creates nobody: a client
   * that asks again keeps its wallet, and is not counted against the
   * shopper-creation limits (start/limiter.ts).
   */
  @inject()
  async store({ auth, request, response }: HttpContext, createShopper: CreateShopper) {
    const known = auth.user
    if (known?.role === Role.User) {
      const token = request.header('authorization')!.replace(/^Bearer\s+/i, '')
      return response.ok({ id: known.id, username: known.username, token })
    }
    const { user, token } = await createShopper.handle()
    return response.created({ id: user.id, username: user.username, token })
  }

  /**
   * GET /api/v1/users/me
   */
  async me({ auth }: HttpContext) {
    return presentShopper(auth.getUserOrFail())
  }

  /**
   * GET /api/v1/users/:id/balance (own account only)
   */
  async balance({ params, bouncer }: HttpContext) {
    const user = await User.findOrFail(params.id)
    await bouncer.with('UserPolicy').authorize('view', user)
    return presentShopper(user)
  }

  /**
   * POST /api/v1/users/:id/add_balance `{ amount_paise }` → 201.
   *
   * Demo driver: credited at once; the body has the ledger `transaction`
   * and the new balance. Razorpay: the body has the open `payment` and the
   * `checkout` options for Razorpay Checkout; the balance grows once the
   * payment is confirmed (`POST /api/v1/payments/verify` or the webhook).
   * 200 on an Idempotency-Key replay.
   */
  @inject()
  async addBalance({ params, request, response, bouncer }: HttpContext, topUp: TopUpBalance) {
    const user = await User.findOrFail(params.id)
    await bouncer.with('UserPolicy').authorize('topUp', user)
    const { amount_paise: amountPaise } = await request.validateUsing(topUpValidator)
    const key = await readIdempotencyKey(request)

    const outcome = await topUp.handle(user, amountPaise, key)
    await user.refresh()
    const status = outcome.replayed ? 200 : 201
    if (outcome.kind === 'checkout') {
      return response.status(status).send({
        ...presentShopper(user),
        payment: presentPayment(outcome.payment),
        checkout: outcome.checkout,
        replayed: outcome.replayed,
      })
    }
    const { transaction } = outcome
    return response.status(status).send({
      ...presentShopper(user),
      transaction: {
        id: transaction.id,
        kind: transaction.kind,
        amount_paise: transaction.amountPaise,
        balance_after_paise: transaction.balanceAfterPaise,
      },
      replayed: outcome.replayed,
    })
  }
}
