import { DateTime } from 'luxon'
import { inject } from '@adonisjs/core'
import { randomUUID } from 'node:crypto'
import logger from '@adonisjs/core/services/logger'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { CAPTURABLE, PaymentStatus } from '#enums/payment_status'
import { PaymentPurpose } from '#enums/payment_purpose'
import { CardRefundStatus } from '#enums/card_refund_status'
import { OrderStatus } from '#enums/order_status'
import { TransactionKind } from '#enums/transaction_kind'
import Payment from '#models/payment'
import Order from '#models/order'
import Slot from '#models/slot'
import Ledger from '#services/ledger'
import DispatchVend from '#actions/vends/dispatch_vend'
import { announceOrderUpdate } from '#services/order_events'
import { requestCardRefund } from '#services/card_refunds'

/**
 * What capturing did:
 * - `credited`: a top-up reached the wallet (one ledger row);
 * - `vended`: a pay-per-vend payment became an order, sent to the machine;
 * - `refunded_to_card`: paid per vend, but the unit was gone (the hold had
 *   expired and the slot emptied): the money goes back to the card;
 * - `already_paid`: this provider payment was captured before (a replayed
 *   verify or webhook): nothing changed;
 * - `extra_payment`: a second successful payment on an already paid order:
 *   recorded as its own payment and refunded to the card.
 */
export type CaptureOutcome =
  'credited' | 'vended' | 'refunded_to_card' | 'already_paid' | 'extra_payment'

export interface CaptureResult {
  outcome: CaptureOutcome
  payment: Payment
  order: Order | null
}

/**
 * Turns money that arrived into what it was paid for, exactly once, whoever
 * reports it first: the browser's verified Checkout response
 * (`ConfirmCheckout`), Razorpay's webhook (`HandleRazorpayWebhook`), or the
 * demo driver.
 *
 * In one database transaction, with the payment row locked (PostgreSQL) and
 * moved by `Payment.transition` (a conditional `UPDATE ... WHERE status IN
 * (created, failed, expired)`), so of two racing reports exactly one
 * captures:
 * - top-up: `Ledger.post` credits the wallet, with the unique external
 *   reference `payment:<id>` as a second guard against a double credit;
 * - pay per vend: the held unit becomes a `pending` order (no ledger row:
 *   the wallet is not involved). If the hold had lapsed, one unit is taken
 *   again (`Slot.takeOne`); if none is left, the payment is refunded to the
 *   card, so a shopper never pays for an item that cannot drop.
 *
 * After commit the order is announced and dispatched (`DispatchVend`); a
 * machine that is offline leaves it pending, and the vend sweeper fails and
 * refunds it after the vend timeout.
 */
@inject()
export default class CapturePayment {
  constructor(
    protected dispatchVend: DispatchVend,
    protected ledger: Ledger
  ) {}

  /**
   * @param providerPaymentId the provider's payment id (`pay_...`)
   */
  async handle(payment: Payment, providerPaymentId: string): Promise<CaptureResult> {
    const result = await db.transaction((trx) =>
      this.captureWithin(trx, payment.id, providerPaymentId)
    )

    if (result.refundDue) await requestCardRefund(result.refundDue)
    let order = result.order
    if (order) {
      announceOrderUpdate(order)
      order = await this.dispatchVend.handle(order)
    }
    return { outcome: result.outcome, payment: await Payment.findOrFail(result.paymentId), order }
  }

  protected async captureWithin(
    trx: TransactionClientContract,
    paymentId: number,
    providerPaymentId: string
  ) {
    const current = await Payment.lockForUpdate(trx, paymentId)
    const base = {
      paymentId: current.id,
      order: null as Order | null,
      refundDue: null as number | null,
    }

    if (current.status === PaymentStatus.Paid) {
      if (current.providerPaymentId === providerPaymentId) {
        const order = await Order.query({ client: trx }).where('payment_id', current.id).first()
        return { ...base, outcome: 'already_paid' as const, order }
      }
      return this.recordExtraPayment(trx, current, providerPaymentId)
    }
    if (!CAPTURABLE.includes(current.status))
      throw new Error(`payment ${current.id} is ${current.status}`)

    const moved = await Payment.transition(trx, current.id, CAPTURABLE, PaymentStatus.Paid, {
      provider_payment_id: providerPaymentId,
      stock_held: false,
    })
    if (!moved) throw new Error(`payment ${current.id} changed while locked`)

    if (current.purpose === PaymentPurpose.TopUp) {
      await this.ledger.post(trx, {
        userId: current.userId,
        kind: TransactionKind.TopUp,
        amountPaise: current.amountPaise,
        externalReference: `payment:${current.id}`,
        note: current.provider === 'demo' ? 'Demo top-up' : `Razorpay top-up ${providerPaymentId}`,
      })
      return { ...base, outcome: 'credited' as const }
    }

    const slot = await Slot.query({ client: trx }).where('id', current.slotId!).firstOrFail()
    const hasUnit =
      current.stockHeld || (slot.productId === current.productId && (await Slot.takeOne(trx, slot)))
    if (!hasUnit) {
      await Payment.transitionRefund(trx, current.id, null, CardRefundStatus.Pending, {
        set: { failure_reason: 'sold_out_before_payment' },
      })
      logger.warn(
        { paymentId: current.id },
        'paid after the hold lapsed and the slot is empty: refunding to the card'
      )
      return { ...base, outcome: 'refunded_to_card' as const, refundDue: current.id }
    }

    const order = await Order.create(
      {
        userId: current.userId,
        machineId: current.machineId!,
        slotId: slot.id,
        slotNumber: slot.number,
        productId: current.productId!,
        pricePaise: current.amountPaise,
        status: OrderStatus.Pending,
        commandId: randomUUID(),
        paymentId: current.id,
      },
      { client: trx }
    )
    return { ...base, outcome: 'vended' as const, order }
  }

  /**
   * A second successful payment on an order we already captured (a shopper
   * paid twice in two tabs): it is recorded as a payment of its own, owed
   * back to the card.
   */
  protected async recordExtraPayment(
    trx: TransactionClientContract,
    current: Payment,
    providerPaymentId: string
  ) {
    const known = await Payment.query({ client: trx })
      .where('provider_payment_id', providerPaymentId)
      .first()
    if (known) {
      return { paymentId: known.id, order: null, refundDue: null, outcome: 'already_paid' as const }
    }
    const extra = await Payment.create(
      {
        userId: current.userId,
        purpose: current.purpose,
        provider: current.provider,
        amountPaise: current.amountPaise,
        currency: current.currency,
        status: PaymentStatus.Paid,
        providerPaymentId,
        paidAt: DateTime.now(),
        stockHeld: false,
        failureReason: `second payment for payment ${current.id}`,
        refundStatus: CardRefundStatus.Pending,
      },
      { client: trx }
    )
    logger.warn(
      { paymentId: current.id, extraPaymentId: extra.id },
      'second payment on one order: refunding it to the card'
    )
    return {
      paymentId: extra.id,
      order: null,
      refundDue: extra.id,
      outcome: 'extra_payment' as const,
    }
  }
}
