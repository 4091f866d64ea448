/**
 * Kinds of ledger rows. Top-ups and refunds are credits (positive
 * `amount_paise`), purchases are debits (negative); adjustments are either.
 */
export enum TransactionKind {
  TopUp = 'topup',
  Purchase = 'purchase',
  Refund = 'refund',
  Adjustment = 'adjustment',
}
