import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import { TransactionKind } from '#enums/transaction_kind'
import type User from '#models/user'
import type Transaction from '#models/transaction'
import Ledger from '#services/ledger'
import AuditTrail from '#services/audit_trail'

/**
 * A manual correction of a shopper's wallet by an operator.
 */
export interface BalanceAdjustment {
  actor: User
  shopper: User
  /** signed integer paise: credit > 0, debit < 0, never 0 */
  amountPaise: number
  /** why, for the shopper's ledger and the audit log (5–200 chars) */
  reason: string
}

/**
 * Posts an `adjustment` ledger row and its audit row in one database
 * transaction, so a balance never changes by hand without a record of who
 * changed it: both are written or neither.
 */
@inject()
export default class AdjustBalance {
  constructor(
    protected ledger: Ledger,
    protected auditTrail: AuditTrail
  ) {}

  /**
   * @returns the ledger row, with the balance after it
   * @throws InsufficientBalanceException (402) when a debit would take
   *   the balance below zero (nothing is written)
   */
  async handle({ actor, shopper, amountPaise, reason }: BalanceAdjustment): Promise<Transaction> {
    return db.transaction(async (trx) => {
      const row = await this.ledger.post(trx, {
        userId: shopper.id,
        kind: TransactionKind.Adjustment,
        amountPaise,
        note: reason,
      })
      await this.auditTrail.record(
        {
          actor,
          action: 'wallet.adjust',
          subjectType: 'user',
          subjectId: shopper.id,
          before: { balance_paise: row.balanceAfterPaise - amountPaise },
          after: {
            balance_paise: row.balanceAfterPaise,
            amount_paise: amountPaise,
            transaction_id: row.id,
          },
          note: reason,
        },
        trx
      )
      return row
    })
  }
}
