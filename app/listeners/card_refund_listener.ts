import { inject } from '@adonisjs/core'
import logger from '@adonisjs/core/services/logger'
import IssueCardRefund from '#actions/payments/issue_card_refund'
import type { RefundDue } from '#services/card_refunds'

/**
 * Money owed back to a card is sent to the provider as soon as the refund
 * is committed (`payment:refund_due`); a failure leaves it pending for the
 * vend sweeper to retry.
 */
@inject()
export default class CardRefundListener {
  constructor(protected issueCardRefund: IssueCardRefund) {}

  async refundDue({ paymentId }: RefundDue): Promise<void> {
    await this.issueCardRefund
      .handle(paymentId)
      .catch((error) => logger.error({ err: error, paymentId }, 'card refund failed; will retry'))
  }
}
