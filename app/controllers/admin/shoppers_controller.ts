import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'
import { Role } from '#enums/role'
import User from '#models/user'
import Order from '#models/order'
import Transaction from '#models/transaction'
import AdjustBalance from '#actions/wallet/adjust_balance'
import ListPayments from '#actions/payments/list_payments'
import InsufficientBalanceException from '#exceptions/insufficient_balance_exception'
import { adminShoppersFilterValidator } from '#validators/admin_orders'
import { balanceAdjustmentValidator } from '#validators/adjustment'
import { containsPattern } from '#services/db_helpers'
import { filledQuery } from '#services/filter_query'

const SHOPPERS_PER_PAGE = 25
const LEDGER_PER_PAGE = 50

/**
 * Shoppers in the panel: search, wallet and ledger, manual adjustments.
 */
export default class ShoppersController {
  /**
   * GET /admin/shoppers?q&page
   */
  async index({ request, view }: HttpContext) {
    const input = filledQuery(request.qs())
    const [, valid] = await adminShoppersFilterValidator.tryValidate(input)
    const { q, page = 1 } = valid ?? {}

    const shoppers = await User.query()
      .where('role', Role.User)
      .if(q, (query) => {
        const pattern = containsPattern(q!)
        query.whereRaw(`lower(username) like ? escape '\\'`, [pattern])
      })
      .withCount('orders')
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .paginate(page, SHOPPERS_PER_PAGE)
    shoppers.baseUrl(router.makeUrl('admin.shoppers.index')).queryString(q ? { q } : {})

    return view.render('pages/admin/shoppers/index', {
      title: 'Shoppers',
      active: 'shoppers',
      shoppers,
      q: q ?? '',
    })
  }

  /**
   * GET /admin/shoppers/:id?page — balance, ledger (newest first), recent
   * orders and recent card payments.
   */
  @inject()
  async show({ params, request, view }: HttpContext, listPayments: ListPayments) {
    const shopper = await this.findShopper(params.id)
    const page = Math.max(1, Number.parseInt(String(request.input('page', 1)), 10) || 1)
    const ledger = await Transaction.query()
      .where('user_id', shopper.id)
      .orderBy('id', 'desc')
      .paginate(page, LEDGER_PER_PAGE)
    ledger.baseUrl(router.makeUrl('admin.shoppers.show', { id: shopper.id }))
    const recentOrders = await Order.query()
      .where('user_id', shopper.id)
      .preload('machine')
      .preload('product')
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(10)
    const orderCount = await Order.query().where('user_id', shopper.id).count('* as total').first()
    const payments = await listPayments.forShopper(shopper.id, 20)

    return view.render('pages/admin/shoppers/show', {
      title: shopper.username,
      active: 'shoppers',
      shopper,
      ledger,
      recentOrders,
      orderCount: Number(orderCount?.$extras.total ?? 0),
      payments,
    })
  }

  /**
   * POST /admin/shoppers/:id/adjustments { direction, amount, reason }
   */
  @inject()
  async adjust(ctx: HttpContext, adjustBalance: AdjustBalance) {
    const { params, request, response, session, auth } = ctx
    const shopper = await this.findShopper(params.id)
    const { direction, amount, reason } = await request.validateUsing(balanceAdjustmentValidator)
    // `amount` has at most two decimals (validated): rounding only removes
    // floating-point noise such as 12.3 * 100 = 1230.0000000000002.
    const paise = Math.round(amount * 100) * (direction === 'debit' ? -1 : 1)

    // The ledger's refusal speaks to a shopper buying; here an operator deducts.
    ctx.formRefusal = {
      redirectTo: router.makeUrl('admin.shoppers.show', { id: shopper.id }),
      wording: {
        [InsufficientBalanceException.code]: {
          message: 'Adjustment refused: the balance is too low for this deduction.',
          field: 'amount',
          fieldMessage: "This would take the shopper's balance below zero.",
        },
      },
    }
    await adjustBalance.handle({ actor: auth.user!, shopper, amountPaise: paise, reason })
    session.flash(
      'notice',
      `${direction === 'debit' ? 'Deducted from' : 'Added to'} ${shopper.username}'s wallet.`
    )
    return response.redirect().toRoute('admin.shoppers.show', { id: shopper.id })
  }

  protected findShopper(id: unknown) {
    return User.query()
      .where('id', Number(id) || 0)
      .where('role', Role.User)
      .firstOrFail()
  }
}
