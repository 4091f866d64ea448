import { DateTime } from 'luxon'
import { inject } from '@adonisjs/core'
import { randomUUID } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { PaymentStatus } from '#enums/payment_status'
import { PaymentPurpose } from '#enums/payment_purpose'
import Payment from '#models/payment'
import Order from '#models/order'
import Machine from '#models/machine'
import PaymentGateway, { type CheckoutOptions } from '#services/payment_gateway'
import { oncePerKey } from '#services/idempotency'
import { lockNameWithin } from '#services/db_helpers'
import TakeUnit, { type PreparedUnit, type UnitRequest } from '#actions/orders/take_unit'
import OpenProviderPayment from '#actions/payments/open_provider_payment'
import CapturePayment from '#actions/payments/capture_payment'
import ReleasePaymentHold from '#actions/payments/release_payment_hold'
import IdempotencyConflictException from '#exceptions/idempotency_conflict_exception'
import TooManyOpenPaymentsException from '#exceptions/too_many_open_payments_exception'
import PaymentInProgressException from '#exceptions/payment_in_progress_exception'

/**
 * A pay-per-vend request: the unit (as for a wallet buy), the client's
 * optional Idempotency-Key, and the client's address (`request.ip()`),
 * against which open holds are counted.
 */
export interface VendPaymentRequest extends UnitRequest {
  idempotencyKey?: string
  clientIp: string
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
 * How often a pay request that lost a race with the same shopper's other
 * pay request starts over before it gives up.
 */
const HOLD_ATTEMPTS = 3

/**
 * Another pay request of the same shopper committed a hold between this
 * one's release of earlier holds and its own transaction.
 */
class HoldRaced extends Error {}

/**
 * A request racing one with the same Idempotency-Key found that one's
 * hold committed: it is answered as a replay of `payment`.
 */
class HeldUnderKey extends Error {
  constructor(public payment: Payment) {
    super('held under this idempotency key')
  }
}

/**
 * Pay per vend: buys one item with a card payment for its exact price (the
 * slot's price at this machine: its override, else the product's), without
 * the wallet, so a shopper need not top up before a first buy.
 *
 * The unit is taken at once (`TakeUnit`, the same rules as a wallet buy)
 * and held for the payment (`stock_held`) for `PAYMENT_HOLD_MS`, so nobody
 * else can buy it while the shopper pays; `ReleasePaymentHold` gives it
 * back when the payment fails, is cancelled or expires. The provider's
 * order is created after the hold commits; if that fails the hold is
 * released at once.
 *
 * A hold costs nothing, so what one client can keep off the shelves is
 * bounded:
 * - **One open hold per shopper** (so one per machine session as well: a
 *   session belongs to one shopper). A new pay request replaces the
 *   shopper's earlier open hold: that payment ends `failed` (`replaced`)
 *   and its unit goes back first, as if they had cancelled it. A shopper
 *   who changes their mind and picks another item is never stuck behind
 *   their own hold, and repeated free requests hold one unit, not one
 *   each. Money that still arrives for the replaced payment is honoured
 *   as for any lapsed hold (`CapturePayment`: it vends if a unit is left,
 *   else it is refunded to the card). A replay of the open payment's own
 *   Idempotency-Key replaces nothing.
 * - **At most `LIMIT_HOLDS_PER_IP` units held per client address**, for
 *   many shoppers created from one address: past it, 409
 *   `too_many_open_payments` and nothing is held.
 * Both are decided inside the hold's transaction under `lockNameWithin`
 * locks on the shopper and the address (PostgreSQL; SQLite runs one
 * transaction at a time), so racing requests cannot both pass a count.
 */
@inject()
export default class StartVendPayment {
  constructor(
    protected gateway: PaymentGateway,
    protected takeUnit: TakeUnit,
    protected openProviderPayment: OpenProviderPayment,
    protected capturePayment: CapturePayment,
    protected releaseHold: ReleasePaymentHold
  ) {}

  /**
   * @throws PaymentsUnavailableException (503), PaymentProviderException (502)
   * @throws everything `TakeUnit` throws, nothing held: 404 product, 409
   *   out of stock / offline / `machine_busy`, 422 unknown machine or slot,
   *   `invalid_display_code` (the checks before any write come before the
   *   earlier hold is replaced; a sold-out, offline or busy machine is found
   *   after it, and the earlier hold stays released)
   * @throws TooManyOpenPaymentsException (409) past the per-address cap
   * @throws PaymentInProgressException (409) when the shopper's own pay
   *   requests kept racing
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
        // Early, before the shopper's earlier hold is replaced: refused when
        // no candidate slot reaches the minimum. The slot actually taken is
        // checked again in the hold's transaction (`holdWithin`).
        this.gateway.assertAmount(
          Math.max(...prepared.slots.map((slot) => slot.effectivePricePaise(prepared.product)))
        )
        const payment = await this.hold(request, prepared)
        return { payment, prepared }
      }
    ).catch((error) => {
      if (error instanceof HeldUnderKey) return { earlier: error.payment }
      throw error
    })
    if (keyed.earlier) return this.replay(keyed.earlier, request)
    const { payment, prepared } = keyed.created

    await this.openProviderPayment.handle(payment)

    if (this.gateway.driver === 'demo') {
      const captured = await this.capturePayment.handle(payment, `demo_pay_${randomUUID()}`)
      return { kind: 'ordered', payment: captured.payment, order: captured.order!, replayed: false }
    }
    const description = `${prepared.product.name} from ${prepared.machine.name}`
    return {
      kind: 'checkout',
      payment,
      checkout: this.gateway.checkoutOptions(payment, description),
      replayed: false,
    }
  }

  /**
   * Replaces the shopper's earlier hold, then takes and holds the unit.
   * Each earlier hold is released in its own transaction (as a cancel
   * would be) rather than in the new hold's: one transaction touching two
   * slots could deadlock with another shopper swapping the other way.
   */
  protected async hold(request: VendPaymentRequest, prepared: PreparedUnit): Promise<Payment> {
    for (let attempt = 1; ; attempt++) {
      await this.releaseEarlierHolds(request)
      try {
        return await db.transaction((trx) => this.holdWithin(trx, request, prepared))
      } catch (error) {
        if (!(error instanceof HoldRaced)) throw error
        if (attempt >= HOLD_ATTEMPTS) throw new PaymentInProgressException()
      }
    }
  }

  /**
   * The shopper's open holds but the one this request's Idempotency-Key
   * names (a retry of that payment must find it, not replace it).
   */
  protected async releaseEarlierHolds({ user, idempotencyKey }: VendPaymentRequest) {
    const open = await Payment.query()
      .where('user_id', user.id)
      .where('stock_held', true)
      .if(idempotencyKey, (query) =>
        query.where((q) =>
          q.whereNull('idempotency_key').orWhereNot('idempotency_key', idempotencyKey!)
        )
      )
    for (const payment of open)
      await this.releaseHold.handle(payment, PaymentStatus.Failed, 'replaced')
  }

  /**
   * Inside the hold's transaction, holding the shopper's and the address's
   * locks: checks both rules, takes the unit and records the payment.
   *
   * @throws HoldRaced when the shopper holds another unit again
   * @throws HeldUnderKey when that unit is held under this request's key
   */
  protected async holdWithin(
    trx: TransactionClientContract,
    request: VendPaymentRequest,
    prepared: PreparedUnit
  ) {
    const { user, idempotencyKey, clientIp } = request
    // Always in this order (shopper, then address), so two of these
    // transactions never wait for each other the other way round.
    await lockNameWithin(trx, `payment_hold:user:${user.id}`)
    await lockNameWithin(trx, `payment_hold:ip:${clientIp}`)

    const mine = await Payment.query({ client: trx })
      .where('user_id', user.id)
      .where('stock_held', true)
      .first()
    if (mine)
      throw idempotencyKey && mine.idempotencyKey === idempotencyKey
        ? new HeldUnderKey(mine)
        : new HoldRaced()

    const cap = this.gateway.holdsPerAddress
    if (cap > 0) {
      const row = await trx
        .from('payments')
        .where('client_ip', clientIp)
        .where('stock_held', true)
        .count('* as total')
        .first()
      if (Number(row.total) >= cap) throw new TooManyOpenPaymentsException()
    }

    const { slot, pricePaise } = await this.takeUnit.within(trx, prepared)
    // The price as read with the unit taken (a slot's override may have
    // changed since `prepare`); under the provider's minimum, the throw
    // rolls the unit back.
    this.gateway.assertAmount(pricePaise)
    return Payment.create(
      {
        userId: user.id,
        purpose: PaymentPurpose.Vend,
        provider: this.gateway.driver,
        amountPaise: pricePaise,
        currency: 'INR',
        status: PaymentStatus.Created,
        idempotencyKey: idempotencyKey ?? null,
        machineId: prepared.machine.id,
        slotId: slot.id,
        productId: prepared.product.id,
        stockHeld: true,
        holdExpiresAt: DateTime.now().plus({ milliseconds: this.gateway.holdMs }),
        clientIp,
      },
      { client: trx }
    )
  }

  /**
   * A replayed key must name the same item; it answers with the payment's
   * current state.
   *
   * @throws IdempotencyConflictException when it does not
   */
  protected async replay(
    earlier: Payment,
    request: VendPaymentRequest
  ): Promise<VendPaymentOutcome> {
    const machine = earlier.machineId ? await Machine.find(earlier.machineId) : null
    const same =
      earlier.purpose === PaymentPurpose.Vend &&
      earlier.productId === request.productId &&
      machine?.code === request.machineCode
    if (!same) throw new IdempotencyConflictException()

    const order = await Order.findBy('payment_id', earlier.id)
    if (order) return { kind: 'ordered', payment: earlier, order, replayed: true }
    const checkout = this.gateway.checkoutOptions(earlier, 'Vend')
    return { kind: 'checkout', payment: earlier, checkout, replayed: true }
  }
}
