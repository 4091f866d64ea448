import type { HttpContext } from '@adonisjs/core/http'
import type PaymentGateway from '#services/payment_gateway'

/**
 * Whether the request is the page's script asking for JSON (`Accept:
 * application/json`) rather than a plain form submit.
 */
export function wantsJson(ctx: HttpContext): boolean {
  return ctx.request.accepts(['html', 'json']) === 'json'
}

/**
 * Razorpay Checkout runs in the browser, so a card payment needs the
 * page's script. A plain form submit with Razorpay selected gets a message
 * back on the page instead of a payment nobody can complete (and, per
 * vend, a unit held for nothing).
 *
 * @returns true when it answered the request (the caller stops)
 */
export function cardNeedsScript(ctx: HttpContext, payments: PaymentGateway): boolean {
  if (payments.driver !== 'razorpay' || wantsJson(ctx)) return false
  ctx.session.flash(
    'error',
    'Paying by card needs JavaScript. Turn it on and try again, or pay with your wallet.'
  )
  ctx.response.redirect().toRoute('shopper.machine', { code: ctx.params.code })
  return true
}
