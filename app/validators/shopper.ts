import vine, { SimpleMessagesProvider } from '@vinejs/vine'
import vendingConfig from '#config/vending'
import { rupeesToPaise } from '#validators/product'

/**
 * The hidden key each form of the shopper's page is rendered with, so a
 * double submit of the same form buys (or credits) once. Same shape as the
 * API's `Idempotency-Key` header: 1 to 255 visible ASCII characters.
 */
const idempotencyKey = vine
  .string()
  .minLength(1)
  .maxLength(255)
  .regex(/^[\x21-\x7e]+$/)

/**
 * The presence code the machine shows, as typed: spaces around it and
 * letter case do not matter (`TakeUnit` compares it).
 */
const displayCode = vine.string().trim().maxLength(8).optional()

/**
 * A product button's value, `<product id>:<slot number>`: the product the
 * shopper saw and the slot it was shown in, so a planogram change between
 * rendering and buying cannot sell something else.
 */
const ITEM_SHAPE = /^(\d{1,9}):(\d{1,4})$/

/**
 * Rupees as a person types them: digits with at most two decimals.
 */
const RUPEES_SHAPE = /^\d{1,9}(?:\.\d{1,2})?$/

/**
 * A top-up amount in rupees ("100", "49.50"), from ₹1 up to
 * `MAX_TOPUP_PAISE`. Converted by digits, never through a float.
 */
const topUpRupeesRule = vine.createRule((value, _options, field) => {
  if (typeof value !== 'string' || !field.isValid) return
  const text = value.replace(/[\s,₹]/g, '')
  if (!RUPEES_SHAPE.test(text)) {
    field.report('Enter an amount in rupees, for example 150 or 99.50.', 'rupees', field)
    return
  }
  const paise = rupeesToPaise(text)
  if (paise < 100) {
    field.report('The smallest top-up is ₹1.', 'rupees.min', field)
  } else if (paise > vendingConfig.maxTopUpPaise) {
    field.report(
      `The largest top-up is ₹${(vendingConfig.maxTopUpPaise / 100).toLocaleString('en-IN')}.`,
      'rupees.max',
      field
    )
  }
})

const messages = new SimpleMessagesProvider({
  'item.required': 'Choose a product.',
  'item.regex': 'Choose a product from the list.',
  'amount.required': 'Enter an amount in rupees.',
  'display_code.maxLength': 'The code on the machine’s screen is shorter than that.',
  'idempotency_key.required': 'This form is out of date. Please try again.',
  'idempotency_key.regex': 'This form is out of date. Please try again.',
})

/**
 * The product form of `/m/:code`: which item (`{ productId, slot }`), the
 * display code when the machine asks for one, and the form's key. Shared
 * by the wallet buy and the pay-per-vend buttons.
 */
export const shopperBuyValidator = vine.compile(
  vine.object({
    item: vine
      .string()
      .trim()
      .regex(ITEM_SHAPE)
      .transform((value) => {
        const [, productId, slot] = ITEM_SHAPE.exec(value)!
        return { productId: Number(productId), slot: Number(slot) }
      }),
    display_code: displayCode,
    idempotency_key: idempotencyKey,
  })
)
shopperBuyValidator.messagesProvider = messages

/**
 * A top-up from `/m/:code`: `amount` in rupees, out as integer paise.
 */
export const shopperTopUpValidator = vine.compile(
  vine.object({
    amount: vine
      .string()
      .trim()
      .use(topUpRupeesRule())
      .transform((value) => rupeesToPaise(value.replace(/[\s,₹]/g, ''))),
    idempotency_key: idempotencyKey,
  })
)
shopperTopUpValidator.messagesProvider = messages
