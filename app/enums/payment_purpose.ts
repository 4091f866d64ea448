/**
 * What a payment is for: a wallet top-up (credited to the ledger), or one
 * item paid per vend (an order paid straight from the card, no wallet).
 */
export enum PaymentPurpose {
  TopUp = 'top_up',
  Vend = 'vend',
}
