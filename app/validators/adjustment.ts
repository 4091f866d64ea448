import vine, { SimpleMessagesProvider } from '@vinejs/vine'

/**
 * Largest manual adjustment, either way: ₹1,00,000.
 */
export const MAX_ADJUSTMENT_RUPEES = 100_000

/**
 * `POST /admin/shoppers/:id/adjustments { direction, amount, reason }`:
 * `amount` in rupees with at most two decimals (whole paise), above zero;
 * `direction` `credit` or `debit`; a reason of 5 to 200 characters for the
 * ledger and the audit log.
 */
export const balanceAdjustmentValidator = vine.compile(
  vine.object({
    direction: vine.enum(['credit', 'debit'] as const),
    amount: vine.number().positive().max(MAX_ADJUSTMENT_RUPEES).decimal([0, 2]),
    reason: vine.string().trim().minLength(5).maxLength(200),
  })
)

balanceAdjustmentValidator.messagesProvider = new SimpleMessagesProvider({
  'direction.required': 'Choose whether to add or deduct.',
  'direction.enum': 'Choose whether to add or deduct.',
  'amount.required': 'Enter an amount in rupees.',
  'amount.number': 'Enter an amount in rupees, e.g. 50 or 12.50.',
  'amount.positive': 'The amount must be more than zero.',
  'amount.max': `The amount can be at most ₹${MAX_ADJUSTMENT_RUPEES.toLocaleString('en-IN')}.`,
  'amount.decimal': 'Use at most two decimals (whole paise).',
  'reason.required': "Give a reason for the shopper's ledger.",
  'reason.minLength': 'The reason must be at least 5 characters.',
  'reason.maxLength': 'The reason can be at most 200 characters.',
})
