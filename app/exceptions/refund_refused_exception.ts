import VendingException from '#exceptions/vending_exception'

/**
 * Why an order cannot be refunded. Codes: `not_refundable` (the product or
 * the order's status does not allow it), `refund_window_expired`,
 * `already_refunded`. Status 409: the request is well formed, the order's
 * state refuses it.
 */
export default class RefundRefusedException extends VendingException {
  static status = 409

  constructor(
    code: 'not_refundable' | 'refund_window_expired' | 'already_refunded',
    message: string
  ) {
    super(message, { code })
  }
}
