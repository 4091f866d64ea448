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

/**
 * The allowed moves of a payment's card refund, in one place. Every change
 * of `payments.refund_status` goes through `Payment.transitionRefund`,
 * which refuses anything not listed here. A payment owes no refund until
 * its refund opens (`null → pending`, see `canTransitionCardRefund`).
 *
 * - `pending → sending → sent | processed`: our own call to the provider
 *   (`IssueCardRefund`); `sending → pending` when the call failed or the
 *   process died while making it, to be retried.
 * - `pending | sending → sent | processed | failed`, `sent → processed |
 *   failed`: a webhook about the refund (`HandleRazorpayWebhook`), which
 *   may come before our call's answer, or after an answer that was lost.
 * - `processed` and `failed` are final: the money is back on the card, or
 *   an admin has to act outside the app. Nothing moves a refund back.
 */
export const CARD_REFUND_TRANSITIONS: Record<CardRefundStatus, readonly CardRefundStatus[]> = {
  [CardRefundStatus.Pending]: [
    CardRefundStatus.Sending,
    CardRefundStatus.Sent,
    CardRefundStatus.Processed,
    CardRefundStatus.Failed,
  ],
  [CardRefundStatus.Sending]: [
    CardRefundStatus.Sent,
    CardRefundStatus.Processed,
    CardRefundStatus.Pending,
    CardRefundStatus.Failed,
  ],
  [CardRefundStatus.Sent]: [CardRefundStatus.Processed, CardRefundStatus.Failed],
  [CardRefundStatus.Processed]: [],
  [CardRefundStatus.Failed]: [],
}

/**
 * Whether a card refund may move `from → to`; `from` null is a payment
 * that owes no refund yet, which may only open one (`pending`).
 */
export function canTransitionCardRefund(
  from: CardRefundStatus | null,
  to: CardRefundStatus
): boolean {
  if (from === null) return to === CardRefundStatus.Pending
  return CARD_REFUND_TRANSITIONS[from].includes(to)
}

/**
 * The statuses a card refund may reach `to` from.
 */
export function cardRefundSources(to: CardRefundStatus): CardRefundStatus[] {
  return Object.values(CardRefundStatus).filter((from) => canTransitionCardRefund(from, to))
}
