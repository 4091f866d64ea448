import { open } from 'node:fs/promises'
import vine, { SimpleMessagesProvider } from '@vinejs/vine'
import type { MultipartFile } from '@adonisjs/core/bodyparser'
import uploadsConfig from '#config/uploads'

/**
 * Highest price a product may have, in rupees (₹1,00,000).
 */
export const MAX_PRICE_RUPEES = 100_000

/**
 * A price typed by a person: digits, optionally a dot and one or two
 * decimals. Thousands separators and a leading ₹ are tolerated.
 */
const PRICE_SHAPE = /^(\d+)(?:\.(\d{1,2}))?$/

function normalizePrice(value: string) {
  return value.replace(/[\s,₹]/g, '')
}

/**
 * "45.50" → 4550, "0.29" → 29, "7" → 700. Parses the digits, never a
 * float, so no rounding error can creep in. Call only on a string the
 * `rupees` rule accepted.
 */
export function rupeesToPaise(value: string): number {
  const [, whole, fraction = ''] = PRICE_SHAPE.exec(normalizePrice(value))!
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'))
}

/**
 * A positive amount of rupees with at most two decimals, up to
 * MAX_PRICE_RUPEES. One message per way of getting it wrong.
 */
const rupeesRule = vine.createRule((value, _options, field) => {
  if (typeof value !== 'string' || !field.isValid) return
  const text = normalizePrice(value)
  if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(text)) {
    field.report('Enter the price in rupees, for example 45.50.', 'rupees', field)
    return
  }
  if (Number(text) <= 0) {
    field.report('The price must be more than ₹0.', 'rupees.positive', field)
    return
  }
  if (!PRICE_SHAPE.test(text)) {
    field.report(
      'The price can have at most 2 decimals (paise), for example 45.50.',
      'rupees.decimals',
      field
    )
    return
  }
  if (rupeesToPaise(text) > MAX_PRICE_RUPEES * 100) {
    field.report('The price can be at most ₹1,00,000.', 'rupees.max', field)
  }
})

/**
 * A price typed in rupees ("45.50"), checked by the one rupees rule above;
 * the validated value is integer paise (4550). The product form's price and
 * a slot's price override (`updateSlotValidator`) both use it, so a price
 * is parsed one way everywhere.
 */
export const rupeesField = () => vine.string().trim().use(rupeesRule()).transform(rupeesToPaise)

/**
 * `rupeesField` where an empty field (the body parser's null) means "no
 * price": null passes through as null, anything typed is checked and
 * converted the same way.
 */
export const nullableRupeesField = () =>
  vine
    .string()
    .trim()
    .use(rupeesRule())
    .nullable()
    .transform((value) => (value === null ? null : rupeesToPaise(value)))

/**
 * Extension checks trust the file name when the content is not
 * recognised (a text file named `x.png`), so the first bytes must also be
 * those of a JPEG, PNG or WebP image.
 */
const imageSignatureRule = vine.createRule(
  async (value, _options, field) => {
    if (!field.isValid) return
    const file = value as MultipartFile
    if (!file.tmpPath) return
    const handle = await open(file.tmpPath, 'r')
    const head = Buffer.alloc(12)
    try {
      await handle.read(head, 0, 12, 0)
    } finally {
      await handle.close()
    }
    const isPng = head
      .subarray(0, 8)
      .equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
    const isJpeg = head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff
    const isWebp =
      head.toString('latin1', 0, 4) === 'RIFF' && head.toString('latin1', 8, 12) === 'WEBP'
    if (!isPng && !isJpeg && !isWebp) {
      field.report('The image must be a JPG, PNG or WebP picture.', 'file.content', field)
    }
  },
  { isAsync: true }
)

const productFields = {
  name: vine.string().trim().minLength(2).maxLength(120),
  description: vine.string().trim().maxLength(2000).nullable().optional(),
  /**
   * Typed in rupees ("45.50"); the validated value is integer paise (4550).
   */
  price: rupeesField(),
  is_refundable: vine.boolean().optional(),
  image: vine
    .file({ size: uploadsConfig.products.maxSize, extnames: uploadsConfig.products.extnames })
    .use(imageSignatureRule())
    .optional(),
}

const messages = new SimpleMessagesProvider({
  'name.required': 'Enter the product’s name.',
  'name.minLength': 'The name needs at least {{ min }} characters.',
  'name.maxLength': 'The name can be at most {{ max }} characters.',
  'description.maxLength': 'The description can be at most {{ max }} characters.',
  'price.required': 'Enter the price in rupees, for example 45.50.',
  'price.string': 'Enter the price in rupees, for example 45.50.',
  'image.file': 'Choose an image file.',
  'image.file.size': 'The image must be 2 MB or smaller.',
  'image.file.extname': 'The image must be a JPG, PNG or WebP file.',
  'boolean': 'Tick or untick the {{ field }} box.',
})

/**
 * The "New product" form. `price` comes out as integer paise.
 */
export const createProductValidator = vine.compile(vine.object(productFields))
createProductValidator.messagesProvider = messages

/**
 * The "Edit product" form: the same fields, plus `remove_image` to drop
 * the current picture without uploading another.
 */
export const updateProductValidator = vine.compile(
  vine.object({
    ...productFields,
    remove_image: vine.boolean().optional(),
  })
)
updateProductValidator.messagesProvider = messages
