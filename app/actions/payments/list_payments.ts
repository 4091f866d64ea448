import { DateTime } from 'luxon'
import vine from '@vinejs/vine'
import type { Infer } from '@vinejs/vine/types'
import db from '@adonisjs/lucid/services/db'
import type { ModelQueryBuilderContract } from '@adonisjs/lucid/types/model'
import { PaymentStatus } from '#enums/payment_status'
import { PaymentPurpose } from '#enums/payment_purpose'
import { CardRefundStatus } from '#enums/card_refund_status'
import Payment from '#models/payment'
import { dbTimestamp, containsPattern } from '#services/db_helpers'

/**
 * Payments per page in the panel's list.
 */
export const PAYMENTS_PER_PAGE = 50

/**
 * A card refund still `pending` or `sending` this long after it became due
 * needs an operator: the sweeper retries a pending refund every 30 s or so
 * (`IssueCardRefund.retryDue`), so one that old keeps failing.
 */
export const REFUND_ATTENTION_AFTER_MINUTES = 10

/**
 * The `refund` filter's extra value: card refunds needing attention, i.e.
 * `failed`, or `pending`/`sending` more than `REFUND_ATTENTION_AFTER_MINUTES`
 * after the refund became due (see `REFUND_DUE_SINCE`).
 */
export const REFUND_ATTENTION = 'attention'

/**
 * SQL for when a payment's card refund became due: when its order was
 * refunded (a failed vend, or an admin or shopper refund), else when the
 * money arrived (paid after the unit was gone, or a second payment). Not
 * `updated_at`: every retry of a failing refund stamps that anew, so a
 * refund that never goes through would never look old.
 */
const REFUND_DUE_SINCE =
  'coalesce((select max(orders.refunded_at) from orders where orders.payment_id = payments.id), payments.paid_at, payments.created_at)'

/**
 * `GET /admin/payments` query filters. Every field is optional; the
 * controller drops empty inputs first (a filter form sends `status=` for
 * "any"). `q` is a shopper's username (any part, ignoring case), a
 * Razorpay order, payment or refund id (any part), or `#<id>` / `<id>` of a
 * payment. It lives beside the query it feeds, as the list's one schema.
 */
export const adminPaymentsFilterValidator = vine.compile(
  vine.object({
    status: vine.enum(Object.values(PaymentStatus)).optional(),
    purpose: vine.enum(Object.values(PaymentPurpose)).optional(),
    refund: vine.enum([...Object.values(CardRefundStatus), REFUND_ATTENTION]).optional(),
    q: vine.string().trim().maxLength(64).optional(),
    page: vine.number().withoutDecimals().min(1).max(100_000).optional(),
  })
)

/**
 * The list's filters, validated, without the page number.
 */
export type PaymentFilters = Omit<Infer<typeof adminPaymentsFilterValidator>, 'page'>

/**
 * Finds payments for the panel (read-only): the filtered list, newest
 * first, and a shopper's latest payments.
 */
export default class ListPayments {
  /**
   * The filtered query, newest first, with the shopper and the order the
   * payment became (if any) preloaded.
   */
  query(filters: PaymentFilters): ModelQueryBuilderContract<typeof Payment, Payment> {
    const client = db.connection()
    const query = Payment.query().preload('user').preload('order')

    if (filters.status) query.where('status', filters.status)
    if (filters.purpose) query.where('purpose', filters.purpose)
    if (filters.refund === REFUND_ATTENTION) {
      const cutoff = dbTimestamp(
        client,
        DateTime.now().minus({ minutes: REFUND_ATTENTION_AFTER_MINUTES })
      )
      query.where((attention) =>
        attention
          .where('refund_status', CardRefundStatus.Failed)
          .orWhere((stale) =>
            stale
              .whereIn('refund_status', [CardRefundStatus.Pending, CardRefundStatus.Sending])
              .whereRaw(`${REFUND_DUE_SINCE} < ?`, [cutoff])
          )
      )
    } else if (filters.refund) {
      query.where('refund_status', filters.refund)
    }
    if (filters.q) {
      const text = filters.q
      const pattern = containsPattern(text)
      const id = /^#?(\d{1,9})$/.exec(text)?.[1]
      query.where((search) => {
        search
          .whereIn(
            'user_id',
            db.from('users').select('id').whereRaw(`lower(username) like ? escape '\\'`, [pattern])
          )
          .orWhereRaw(`lower(provider_order_id) like ? escape '\\'`, [pattern])
          .orWhereRaw(`lower(provider_payment_id) like ? escape '\\'`, [pattern])
          .orWhereRaw(`lower(provider_refund_id) like ? escape '\\'`, [pattern])
        if (id) search.orWhere('id', Number(id))
      })
    }

    return query.orderBy('created_at', 'desc').orderBy('id', 'desc')
  }

  /**
   * One page of the list (`PAYMENTS_PER_PAGE` rows).
   */
  page(filters: PaymentFilters, page: number) {
    return this.query(filters).paginate(page, PAYMENTS_PER_PAGE)
  }

  /**
   * A shopper's latest `limit` payments, newest first, for their page.
   */
  forShopper(userId: number, limit = 20) {
    return Payment.query()
      .where('user_id', userId)
      .preload('order')
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
  }
}
