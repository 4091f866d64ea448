/**
 * A refund of a pay-per-vend payment back to the card, through the
 * provider's refund API.
 *
 * `pending`: owed, not yet asked for (or the call failed and is retried).
 * `sending`: one process is calling the provider right now. `sent`: the
 * provider accepted it (refund id known), not yet settled. `processed`: the
 * provider settled it. `failed`: the provider reported it failed; an admin
 * must look (shown in the panel).
 */
export enum CardRefundStatus {
  Pending = 'pending',
  Sending = 'sending',
  Sent = 'sent',
  Processed = 'processed',
  Failed = 'failed',
}
