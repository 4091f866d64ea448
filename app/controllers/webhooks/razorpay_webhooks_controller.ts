import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import HandleRazorpayWebhook from '#actions/payments/handle_razorpay_webhook'

/**
 * Razorpay's webhook endpoint. No session, no CSRF (exempt in
 * config/shield.ts): the HMAC signature over the raw body is the
 * authentication.
 */
export default class RazorpayWebhooksController {
  /**
   * POST /webhooks/razorpay → 200 `{ outcome }`; 400 for a bad signature.
   */
  @inject()
  async handle({ request }: HttpContext, handleWebhook: HandleRazorpayWebhook) {
    const result = await handleWebhook.handle({
      rawBody: request.raw() ?? '',
      signature: request.header('x-razorpay-signature') ?? '',
      eventId: request.header('x-razorpay-event-id') ?? undefined,
    })
    return { outcome: result.outcome }
  }
}
