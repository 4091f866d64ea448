import { OrderStatus, SETTLED } from '#enums/order_status'
import Order from '#models/order'
import OrderFeedback from '#models/order_feedback'
import type User from '#models/user'
import VendingException from '#exceptions/vending_exception'
import FeedbackRefusedException from '#exceptions/feedback_refused_exception'
import { isUniqueViolation } from '#services/db_helpers'

/**
 * A rating as validated by `orderFeedbackValidator`: 1 to 5 stars and an
 * optional trimmed comment (at most 500 characters).
 */
export interface FeedbackInput {
  rating: number
  comment?: string | null
}

/**
 * A shopper rates one of their own orders once its vend is over: the one
 * place that decides whether an order may be rated, shared by the API
 * (`POST /api/v1/orders/:id/feedback`) and the shopper page's form.
 *
 * Rules: only the order's own shopper (anyone else, an admin included,
 * gets the same 404 as for a missing order, so order ids reveal nothing);
 * only a settled order (`SETTLED`: completed, failed, refunded); never an
 * operator's test vend; once per order, never changed. The unique
 * `order_feedback.order_id` settles two racing submits: exactly one row is
 * written, the other gets `feedback_exists`.
 */
export default class LeaveFeedback {
  /**
   * @returns the feedback row written
   * @throws VendingException 404 `not_found` when there is no such order
   *   or it is someone else's
   * @throws FeedbackRefusedException 409 `test_vend`, `order_not_settled`
   *   or `feedback_exists`
   */
  async handle(user: User, orderId: number, input: FeedbackInput): Promise<OrderFeedback> {
    const order = await Order.find(orderId)
    if (!order || order.userId !== user.id) {
      throw new VendingException('Order not found.', { status: 404, code: 'not_found' })
    }
    const refusal = await LeaveFeedback.refusal(order)
    if (refusal) throw refusal

    try {
      return await OrderFeedback.create({
        orderId: order.id,
        userId: order.userId,
        machineId: order.machineId,
        productId: order.productId,
        rating: input.rating,
        comment: input.comment ? input.comment : null,
        vendFailed: LeaveFeedback.vendFailed(order),
      })
    } catch (error) {
      // A concurrent submit wrote its row between the check and this insert.
      if (isUniqueViolation(error)) throw LeaveFeedback.alreadyRated()
      throw error
    }
  }

  /**
   * Why the order's own shopper may not rate it now, or null when they
   * may. The shopper page uses it to decide whether to offer the form;
   * `handle` enforces it.
   */
  static async refusal(order: Order): Promise<FeedbackRefusedException | null> {
    if (order.isTest) {
      return new FeedbackRefusedException('test_vend', 'A test vend cannot be rated.')
    }
    if (!SETTLED.includes(order.status)) {
      return new FeedbackRefusedException(
        'order_not_settled',
        'You can rate this order once its vend is over.'
      )
    }
    if (await OrderFeedback.findBy('order_id', order.id)) return LeaveFeedback.alreadyRated()
    return null
  }

  /**
   * Whether the order's vend failed (the device did not drop the item, or
   * never answered), whether or not it was refunded since: `failed`, or
   * `refunded` after a failure (which leaves `failedAt` and the reason).
   * A completed order the shopper refunded themselves did not fail.
   */
  static vendFailed(order: Order): boolean {
    return (
      order.status === OrderStatus.Failed || order.failedAt !== null || order.failureReason !== null
    )
  }

  protected static alreadyRated() {
    return new FeedbackRefusedException('feedback_exists', 'You have already rated this order.')
  }
}
