import { DateTime } from 'luxon'
import { inject } from '@adonisjs/core'
import { randomUUID } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import { PaymentStatus } from '#enums/payment_status'
import { PaymentPurpose } from '#enums/payment_purpose'
import Payment from '#models/payment'
import Order from '#models/order'
import Machine from '#models/machine'
import PaymentGateway, { type CheckoutOptions } from '#services/payment_gateway'
import { oncePerKey } from '#services/idempotency'
import TakeUnit, { type UnitRequest } from '#actions/orders/take_unit'
import OpenProviderPayment from '#actions/payments/open_provider_payment'
import CapturePayment from '#actions/payments/capture_payment'
import IdempotencyConflictException from '#exceptions/idempotency_conflict_exception'

/**
 * A pay-per-vend request: the unit (as for a wallet buy) and the client's
 * optional Idempotency-Key.
 */
export interface VendPaymentRequest extends UnitRequest {
  idempotencyKey?: string
}

/**
 * - `ordered`: the money is in (demo driver, or a replay of a payment
 *   already captured): the order exists and was sent to the machine;
 * - `checkout`: the payment is open and its unit held until
 *   `payment.holdExpiresAt`; the browser pays with Razorpay Checkout.
 */
export type VendPaymentOutcome =
  | { kind: 'ordered'; payment: Payment; order: Order; replayed: boolean }
  | { kind: 'checkout'; payment: Payment; checkout: CheckoutOptions; replayed: boolean }

/**
 * Pay per vend: buys one item with a card payment for its exact price,
 * without the wallet (issue #5).
 *
 * The unit is taken at once (`TakeUnit`, the same rules as a wallet buy)
 * and held for the payment (`stock_held`) for `PAYMENT_HOLD_MS`, so nobody
 * else can buy it while the shopper pays; `ReleasePaymentHold` gives it
 * back when the payment fails, is cancelled or expires. The provider's
 * order is created after the hold commits; if that fails the hold is
 * released at once.
 */
@inject()
export default class StartVendPayment {
  constructor(
    protected gateway: PaymentGateway,
    protected takeUnit: TakeUnit,
    protected openProviderPayment: OpenProviderPayment,
    protected capturePayment: CapturePayment
  ) {}

  /**
   * @throws PaymentsUnavailableException (503), PaymentProviderException (502)
   * @throws everything `TakeUnit` throws, nothing held: 404 product, 409
   *   out of stock / offline / `machine_busy`, 422 unknown machine or slot,
   *   `invalid_display_code`
   * @throws IdempotencyConflictException (422) for a key reused for another item
   * @throws VendingException (422 `amount_too_small`) for an item under ₹1
   */
  async handle(request: VendPaymentRequest): Promise<VendPaymentOutcome> {
    this.gateway.assertAvailable()
    const { user, idempotencyKey } = request

    // A replay is answered before the item is checked again: the earlier
    // payment stands even if the product has since sold out.
    const keyed = await oncePerKey(
      idempotencyKey,
      (key) => Payment.query().where('user_id', user.id).where('idempotency_key', key).first(),
      async () => {
        const prepared = await this.takeUnit.prepare(request)
        this.gateway.assertAmount(prepared.product.pricePaise)
        const payment = await db.transaction(async (trx) => {
          const { slot } = await this.takeUnit.within(trx, prepared)
          return Payment.create(
            {
              userId: user.id,
              purpose: PaymentPurpose.Vend,
              provider: this.gateway.driver,
              amountPaise: prepared.product.pricePaise,
              currency: 'INR',
              status: PaymentStatus.Created,
              idempotencyKey: idempotencyKey ?? null,
              machineId: prepared.machine.id,
              slotId: slot.id,
              productId: prepared.product.id,
              stockHeld: true,
              holdExpiresAt: DateTime.now().plus({ milliseconds: this.gateway.holdMs }),
            },
            { client: trx }
          )
        })
        return { payment, prepared }
      }
    )
    if (keyed.earlier) return this.replay(keyed.earlier, request)
    const { payment, prepared } = keyed.created

    await this.openProviderPayment.handle(payment)

    if (this.gateway.driver === 'demo') {
      const captured = await this.capturePayment.handle(payment, `demo_pay_${randomUUID()}`)
      return { kind: 'ordered', payment: captured.payment, order: captured.order!, replayed: false }
    }
    const description = `${prepared.product.name} from ${prepared.machine.name}`
    return { kind: 'checkout', payment, checkout: this.gateway.checkoutOptions(payment, description), replayed: false }
  }

  /**
   * A replayed key must name the same item; it answers with the payment's
   * current state.
   *
   * @throws IdempotencyConflictException when it does not
   */
  protected async replay(earlier: Payment, request: VendPaymentRequest): Promise<VendPaymentOutcome> {
    const machine = earlier.machineId ? await Machine.find(earlier.machineId) : null
    const same = earlier.purpose === PaymentPurpose.Vend && earlier.productId === request.productId && machine?.code === request.machineCode
    if (!same) throw new IdempotencyConflictException()

    const order = await Order.findBy('payment_id', earlier.id)
    if (order) return { kind: 'ordered', payment: earlier, order, replayed: true }
    const checkout = this.gateway.checkoutOptions(earlier, 'Vend')
    return { kind: 'checkout', payment: earlier, checkout, replayed: true }
  }
}
