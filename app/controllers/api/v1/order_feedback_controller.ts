import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import LeaveFeedback from '#actions/orders/leave_feedback'
import { orderFeedbackValidator } from '#validators/feedback'
import { presentFeedback } from '#services/presenters'

/**
 * A shopper's rating of their own settled order.
 */
export default class OrderFeedbackController {
  /**
   * POST /api/v1/orders/:id/feedback `{ rating, comment? }` → 201
   * `{ feedback }`; 404 `not_found`, 409 `order_not_settled` | `test_vend`
   * | `feedback_exists`, 422 `validation_failed` (`LeaveFeedback`).
   */
  @inject()
  async store({ params, request, response, auth }: HttpContext, leaveFeedback: LeaveFeedback) {
    const payload = await request.validateUsing(orderFeedbackValidator)
    const feedback = await leaveFeedback.handle(auth.getUserOrFail(), Number(params.id), payload)
    return response.status(201).send({ feedback: presentFeedback(feedback) })
  }
}
