import VendingException from '#exceptions/vending_exception'

/**
 * Why an order cannot be rated (409: the request is well formed, the
 * order's state refuses it). Codes: `order_not_settled` (its vend is still
 * running), `test_vend` (an operator's free test vend, not a sale),
 * `feedback_exists` (this order was rated already; a rating is never
 * changed).
 */
export default class FeedbackRefusedException extends VendingException {
  static status = 409

  constructor(code: 'order_not_settled' | 'test_vend' | 'feedback_exists', message: string) {
    super(message, { code })
  }
}
