import vine from '@vinejs/vine'
import vendingConfig from '#config/vending'

/**
 * `POST /api/v1/users/:id/add_balance { amount_paise }`: a whole, positive
 * number of paise up to `MAX_TOPUP_PAISE`. Strings such as "100" are
 * refused: money arrives as a JSON number.
 */
export const topUpValidator = vine.compile(
  vine.object({
    amount_paise: vine
      .number({ strict: true })
      .withoutDecimals()
      .min(1)
      .max(vendingConfig.maxTopUpPaise),
  })
)
