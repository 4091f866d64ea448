import vine, { errors, SimpleMessagesProvider } from '@vinejs/vine'
import { nullableRupeesField } from '#validators/product'

/**
 * Most units any slot can be set to hold.
 */
export const MAX_SLOT_CAPACITY = 500

/**
 * A product for a slot: an active product's id, or nothing (an empty
 * select posts "", which the body parser turns into null).
 */
const productId = () =>
  vine
    .number()
    .withoutDecimals()
    .exists(async (db, value) =>
      Boolean(await db.from('products').where('id', value).where('is_active', true).first())
    )
    .optional()

const messages = new SimpleMessagesProvider({
  'product_id.database.exists': 'Choose an active product, or leave the slot empty.',
  'capacity.min': 'The capacity must be at least {{ min }}.',
  'capacity.max': 'The capacity can be at most {{ max }}.',
  'quantity.min': 'The number of units cannot be below {{ min }}.',
  'low_stock_threshold.min':
    'The alert threshold cannot be below {{ min }} (0 turns the alert off).',
  'low_stock_threshold.max': 'The alert threshold can be at most {{ max }}.',
  'quantity.max': 'That is more than this slot holds ({{ max }} units).',
  'par_level.min': 'The par level cannot be below {{ min }}.',
  'par_level.max': 'The par level can be at most {{ max }}.',
  'par_level.number': 'Enter the par level as a whole number of units, or leave it empty.',
  'price_override.string': 'Enter the price in rupees, for example 45.50, or leave it empty.',
})

/**
 * Panel: a new slot at the end of a machine's planogram.
 */
export const addSlotValidator = vine.compile(
  vine.object({
    product_id: productId(),
    capacity: vine.number().withoutDecimals().min(1).max(MAX_SLOT_CAPACITY),
  })
)
addSlotValidator.messagesProvider = messages

/**
 * Panel: a slot's product, capacity and low-stock alert threshold (units;
 * 0 turns the alert off; left out, it stays as it is). The capacity cannot
 * go below the units already in the slot (`meta.quantity`).
 *
 * `price_override` is this machine's price for the slot's product, typed
 * in rupees like the product form's price (`nullableRupeesField`) and validated
 * to integer paise; empty (the body parser's null) clears the override,
 * left out it stays as it is.
 *
 * `par_level` is the units a restock fills the slot to (the pick list's
 * par), at most the capacity sent with it; empty means "the capacity",
 * left out it stays as it is.
 */
export const updateSlotValidator = vine.withMetaData<{ quantity: number }>().compile(
  vine.object({
    product_id: productId(),
    capacity: vine.number().withoutDecimals().min(1).max(MAX_SLOT_CAPACITY).use(atLeastRule()),
    low_stock_threshold: vine.number().withoutDecimals().min(0).max(MAX_SLOT_CAPACITY).optional(),
    price_override: nullableRupeesField().optional(),
    par_level: vine
      .number()
      .withoutDecimals()
      .min(0)
      .max(MAX_SLOT_CAPACITY)
      .use(withinSiblingCapacityRule())
      .nullable()
      .optional(),
  })
)
updateSlotValidator.messagesProvider = messages

/**
 * Panel: a restock, setting the slot's units (`mode: set`) or adding to
 * them (`mode: add`), within 0 … the slot's capacity (`meta`).
 */
export const restockSlotValidator = vine
  .withMetaData<{ quantity: number; capacity: number }>()
  .compile(
    vine.object({
      mode: vine.enum(['set', 'add'] as const),
      quantity: vine
        .number()
        .withoutDecimals()
        .min(0)
        .max(MAX_SLOT_CAPACITY)
        .use(withinCapacityRule()),
    })
  )
restockSlotValidator.messagesProvider = messages

/**
 * A field error raised after validation, when the database (re-read under
 * lock) disagrees with what the form was checked against. The panel shows
 * it under the field like any validation error; the API answers 422.
 */
export function fieldError(field: string, message: string, rule = 'database') {
  return new errors.E_VALIDATION_ERROR([{ field, message, rule }])
}

function atLeastRule() {
  return vine.createRule((value, _options, field) => {
    const quantity = Number(field.meta.quantity ?? 0)
    if (typeof value === 'number' && value < quantity) {
      field.report(
        `The slot holds ${quantity} units now; the capacity cannot be below that.`,
        'capacity_below_stock',
        field
      )
    }
  })()
}

function withinSiblingCapacityRule() {
  return vine.createRule((value, _options, field) => {
    const capacity = Number((field.parent as { capacity?: unknown }).capacity)
    if (typeof value === 'number' && Number.isFinite(capacity) && value > capacity) {
      field.report(
        `The par level can be at most the capacity (${capacity} units); leave it empty to fill to capacity.`,
        'par_over_capacity',
        field
      )
    }
  })()
}

function withinCapacityRule() {
  return vine.createRule((value, _options, field) => {
    if (typeof value !== 'number') return
    const { quantity, capacity } = field.meta as { quantity: number; capacity: number }
    const mode = (field.parent as { mode?: string }).mode
    const after = mode === 'add' ? quantity + value : value
    if (mode === 'add' && value < 1) {
      field.report('Add at least 1 unit.', 'restock_add_min', field)
    } else if (after > capacity) {
      field.report(
        `That would make ${after} units; this slot holds at most ${capacity}.`,
        'restock_over_capacity',
        field
      )
    }
  })()
}
