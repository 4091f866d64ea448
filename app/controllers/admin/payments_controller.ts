import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'
import { PaymentStatus } from '#enums/payment_status'
import { PaymentPurpose } from '#enums/payment_purpose'
import { CardRefundStatus } from '#enums/card_refund_status'
import ListPayments, {
  REFUND_ATTENTION,
  REFUND_ATTENTION_AFTER_MINUTES,
  adminPaymentsFilterValidator,
} from '#actions/payments/list_payments'
import ListPaymentEvents, {
  adminPaymentEventsFilterValidator,
} from '#actions/payments/list_payment_events'
import ShowPayment from '#actions/payments/show_payment'
import { filledQuery } from '#services/filter_query'

/**
 * Validates a filter query, ignoring the fields that do not validate
 * rather than the whole query: `?status=bogus&q=otter` still searches for
 * "otter". Returns the valid filters and the names of the ignored fields.
 */
async function validFilters<Output>(
  validator: {
    tryValidate(data: unknown): Promise<[{ messages?: { field: string }[] } | null, Output | null]>
  },
  form: Record<string, string>
): Promise<{ valid: Partial<Output>; ignored: string[] }> {
  const [error, valid] = await validator.tryValidate(form)
  if (!error) return { valid: valid ?? {}, ignored: [] }
  const ignored = [...new Set((error.messages ?? []).map((message) => message.field))]
  const rest = Object.fromEntries(
    Object.entries(form).filter(([field]) => !ignored.includes(field))
  )
  const [, retried] = await validator.tryValidate(rest)
  return { valid: retried ?? {}, ignored }
}

/**
 * Razorpay payments and webhook deliveries in the panel,
 * read-only: the filtered list, one payment with its events, and the
 * webhook event log. A filter value that does not validate is ignored and
 * named on the page, never a 500.
 */
export default class PaymentsController {
  /**
   * GET /admin/payments?status&purpose&refund&q&page
   */
  @inject()
  async index({ request, view }: HttpContext, list: ListPayments) {
    const form = filledQuery(request.qs())
    const { valid, ignored } = await validFilters(adminPaymentsFilterValidator, form)
    const { page = 1, ...filters } = valid

    const payments = await list.page(filters, page)
    payments.baseUrl(router.makeUrl('admin.payments.index')).queryString(filters)

    return view.render('pages/admin/payments/index', {
      title: 'Payments',
      active: 'payments',
      payments,
      filters,
      form,
      filterErrors: ignored,
      statuses: Object.values(PaymentStatus),
      purposes: Object.values(PaymentPurpose),
      refundStatuses: [...Object.values(CardRefundStatus)],
      refundAttention: REFUND_ATTENTION,
      refundAttentionMinutes: REFUND_ATTENTION_AFTER_MINUTES,
    })
  }

  /**
   * GET /admin/payments/:id — the payment, its order and card refund, and
   * every webhook event about it.
   */
  @inject()
  async show({ params, view }: HttpContext, showPayment: ShowPayment) {
    const { payment, events } = await showPayment.handle(Number(params.id))
    return view.render('pages/admin/payments/show', {
      title: `Payment #${payment.id}`,
      active: 'payments',
      payment,
      events,
    })
  }

  /**
   * GET /admin/payments/events?outcome&page — the webhook event log.
   */
  @inject()
  async events({ request, view }: HttpContext, list: ListPaymentEvents) {
    const form = filledQuery(request.qs())
    const { valid, ignored } = await validFilters(adminPaymentEventsFilterValidator, form)
    const { page = 1, ...filters } = valid

    const { events, paymentIds } = await list.page(filters, page)
    events.baseUrl(router.makeUrl('admin.payments.events')).queryString(filters)

    return view.render('pages/admin/payments/events', {
      title: 'Payment webhooks',
      active: 'payments',
      events,
      paymentIds,
      form,
      filterErrors: ignored,
    })
  }
}
