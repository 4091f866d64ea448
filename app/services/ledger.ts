import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { TransactionKind } from '#enums/transaction_kind'
import Transaction from '#models/transaction'
import InsufficientBalanceException from '#exceptions/insufficient_balance_exception'
import { sqlExpression } from '#services/db_helpers'

/**
 * One balance change to write.
 *
 * - `amountPaise`: signed integer paise (credit > 0, debit < 0), never 0.
 * - `externalReference`: unique marker (payment id, `refund:order:<id>`,
 *   idempotency key) that makes a replay fail on the unique index instead
 *   of moving money twice.
 */
export interface LedgerEntry {
  userId: number
  kind: TransactionKind
  amountPaise: number
  orderId?: number | null
  externalReference?: string | null
  note?: string | null
}

/**
 * The only writer of balances. Each call changes `users.balance_paise` and
 * inserts the matching `transactions` row inside the caller's database
 * transaction, so a balance always equals the sum of its ledger rows.
 *
 * The balance moves with a conditional UPDATE (`WHERE balance + amount >= 0`)
 * that is atomic on SQLite and PostgreSQL alike, so concurrent debits can
 * never take a balance below zero.
 *
 * Stateless: actions take it by constructor injection (`@inject()`); code
 * outside the container resolves it with `app.container.make(Ledger)`.
 */
export default class Ledger {
  /**
   * Posts one entry.
   *
   * @returns the ledger row, with `balanceAfterPaise`
   * @throws InsufficientBalanceException when a debit exceeds the balance
   * @throws the database's unique violation when `externalReference` was
   *   already used (the caller decides whether that is a harmless replay)
   * @throws Error for a non-integer or zero amount (a programming error)
   */
  async post(trx: TransactionClientContract, entry: LedgerEntry): Promise<Transaction> {
    if (!Number.isSafeInteger(entry.amountPaise) || entry.amountPaise === 0) {
      throw new Error(`Ledger amounts are non-zero integer paise, got ${entry.amountPaise}`)
    }

    // RETURNING (PostgreSQL, SQLite 3.35+) gives the new balance without a
    // second read.
    const updated: { balance_paise: number | string }[] = await trx
      .from('users')
      .where('id', entry.userId)
      .whereRaw('balance_paise + ? >= 0', [entry.amountPaise])
      .update({ balance_paise: sqlExpression(trx, 'balance_paise + ?', [entry.amountPaise]) }, [
        'balance_paise',
      ])

    if (updated.length !== 1) {
      throw new InsufficientBalanceException()
    }
    const [row] = updated

    return Transaction.create(
      {
        userId: entry.userId,
        kind: entry.kind,
        amountPaise: entry.amountPaise,
        balanceAfterPaise: Number(row.balance_paise),
        orderId: entry.orderId ?? null,
        externalReference: entry.externalReference ?? null,
        note: entry.note ?? null,
      },
      { client: trx }
    )
  }
}
