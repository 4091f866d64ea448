import { randomUUID } from 'node:crypto'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import vendingConfig from '#config/vending'
import { TransactionKind } from '#enums/transaction_kind'
import type User from '#models/user'
import Transaction from '#models/transaction'
import Ledger from '#services/ledger'
import { isUniqueViolation } from '#services/db_helpers'
import PaymentsUnavailableException from '#exceptions/payments_unavailable_exception'
import IdempotencyConflictException from '#exceptions/idempotency_conflict_exception'

/**
 * Outcome of a top-up: the ledger row and whether it was a replay of an
 * earlier request with the same Idempotency-Key (nothing credited again).
 */
export interface TopUpOutcome {
  transaction: Transaction
  replayed: boolean
}

/**
 * Credits a shopper's wallet through the configured payment driver.
 *
 * The `demo` driver credits at once, for development and the demo; it is
 * refused when NODE_ENV=production (issue #3), where a real provider must
 * take the money first.
 */
export default class TopUpBalance {
  /**
   * @param amountPaise positive integer paise, already validated
   * @param idempotencyKey optional client key; the same key credits once
   * @throws PaymentsUnavailableException (503) in production on the demo
   *   driver, or when the configured driver is not available
   * @throws IdempotencyConflictException (422) when the key was used for a
   *   different amount
   */
  async handle(user: User, amountPaise: number, idempotencyKey?: string): Promise<TopUpOutcome> {
    if (vendingConfig.paymentDriver !== 'demo') {
      throw new PaymentsUnavailableException(`The ${vendingConfig.paymentDriver} payment driver is not available yet.`)
    }
    if (app.inProduction) {
      throw new PaymentsUnavailableException('The demo payment driver is disabled in production.')
    }

    const reference = idempotencyKey ? `topup:${user.id}:${idempotencyKey}` : `demo:${randomUUID()}`
    try {
      const transaction = await db.transaction((trx) =>
        Ledger.post(trx, {
          userId: user.id,
          kind: TransactionKind.TopUp,
          amountPaise,
          externalReference: reference,
          note: 'Demo top-up',
        })
      )
      return { transaction, replayed: false }
    } catch (error) {
      if (!isUniqueViolation(error)) throw error
      const earlier = await Transaction.findByOrFail('externalReference', reference)
      if (earlier.amountPaise !== amountPaise) throw new IdempotencyConflictException()
      return { transaction: earlier, replayed: true }
    }
  }
}
