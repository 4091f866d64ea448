import { inject } from '@adonisjs/core'
import { randomUUID } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import { TransactionKind } from '#enums/transaction_kind'
import { PaymentPurpose } from '#enums/payment_purpose'
import { PaymentStatus } from '#enums/payment_status'
import type User from '#models/user'
import Transaction from '#models/transaction'
import Payment from '#models/payment'
import Ledger from '#services/ledger'
import PaymentGateway, { type CheckoutOptions } from '#services/payment_gateway'
import { isUniqueViolation } from '#services/db_helpers'
import { oncePerKey } from '#services/idempotency'
import OpenProviderPayment from '#actions/payments/open_provider_payment'
import IdempotencyConflictException from '#exceptions/idempotency_conflict_exception'

/**
 * Outcome of a top-up request:
 * - `credited` (demo driver): the ledger row, already in the balance;
 * - `checkout` (Razorpay): an open payment and the options for Razorpay
 *   Checkout; the wallet is credited once the payment is confirmed
 *   (`ConfirmCheckout` or the webhook, whichever comes first).
 * `replayed` says the Idempotency-Key matched an earlier request (nothing
 * new was created).
 */
export type TopUpOutcome =
  | { kind: 'credited'; transaction: Transaction; replayed: boolean }
  | { kind: 'checkout'; payment: Payment; checkout: CheckoutOptions; replayed: boolean }

/**
 * Starts a wallet top-up through the configured payment driver.
 */
@inject()
export default class TopUpBalance {
  constructor(
    protected gateway: PaymentGateway,
    protected openProviderPayment: OpenProviderPayment,
    protected ledger: Ledger
  ) {}

  /**
   * @param amountPaise positive integer paise, already validated
   * @param idempotencyKey optional client key; the same key credits (or
   *   opens a payment) once
   * @throws PaymentsUnavailableException (503) on the demo driver in
   *   production, or Razorpay without keys
   * @throws PaymentProviderException (502) when Razorpay cannot create the order
   * @throws IdempotencyConflictException (422) when the key was used for a
   *   different amount
   * @throws VendingException (422 `amount_too_small`) under Razorpay's ₹1
   */
  async handle(user: User, amountPaise: number, idempotencyKey?: string): Promise<TopUpOutcome> {
    this.gateway.assertAvailable()
    if (this.gateway.driver === 'demo') return this.creditDemo(user, amountPaise, idempotencyKey)
    this.gateway.assertAmount(amountPaise, 'amount_paise')

    const keyed = await oncePerKey(
      idempotencyKey,
      (key) => Payment.query().where('user_id', user.id).where('idempotency_key', key).first(),
      () =>
        Payment.create({
          userId: user.id,
          purpose: PaymentPurpose.TopUp,
          provider: this.gateway.driver,
          amountPaise,
          currency: 'INR',
          status: PaymentStatus.Created,
          idempotencyKey: idempotencyKey ?? null,
          stockHeld: false,
        })
    )
    if (keyed.earlier) return this.replay(keyed.earlier, amountPaise)
    const payment = keyed.created

    await this.openProviderPayment.handle(payment)
    return {
      kind: 'checkout',
      payment,
      checkout: this.gateway.checkoutOptions(payment, 'Wallet top-up'),
      replayed: false,
    }
  }

  protected replay(earlier: Payment, amountPaise: number): TopUpOutcome {
    if (earlier.purpose !== PaymentPurpose.TopUp || earlier.amountPaise !== amountPaise) {
      throw new IdempotencyConflictException()
    }
    return {
      kind: 'checkout',
      payment: earlier,
      checkout: this.gateway.checkoutOptions(earlier, 'Wallet top-up'),
      replayed: true,
    }
  }

  /**
   * The demo driver: the money "arrives" at once, as one ledger credit.
   */
  protected async creditDemo(
    user: User,
    amountPaise: number,
    idempotencyKey?: string
  ): Promise<TopUpOutcome> {
    const reference = idempotencyKey ? `topup:${user.id}:${idempotencyKey}` : `demo:${randomUUID()}`
    try {
      const transaction = await db.transaction((trx) =>
        this.ledger.post(trx, {
          userId: user.id,
          kind: TransactionKind.TopUp,
          amountPaise,
          externalReference: reference,
          note: 'Demo top-up',
        })
      )
      return { kind: 'credited', transaction, replayed: false }
    } catch (error) {
      if (!isUniqueViolation(error)) throw error
      const earlier = await Transaction.findByOrFail('externalReference', reference)
      if (earlier.amountPaise !== amountPaise) throw new IdempotencyConflictException()
      return { kind: 'credited', transaction: earlier, replayed: true }
    }
  }
}
