import vine, { SimpleMessagesProvider } from '@vinejs/vine'

/**
 * Machine codes: what the device sends as `machine` when it connects
 * (firmware/PROTOCOL.md), so kept to characters every sketch can hold.
 */
export const MACHINE_CODE_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/

/**
 * Panel: a new machine. The code is unique (checked here, and settled by
 * the unique index when two requests race).
 */
export const createMachineValidator = vine.compile(
  vine.object({
    code: vine
      .string()
      .trim()
      .minLength(2)
      .maxLength(64)
      .regex(MACHINE_CODE_PATTERN)
      .unique(async (db, value) => !(await db.from('machines').where('code', value).first())),
    name: vine.string().trim().minLength(1).maxLength(120),
    location: vine.string().trim().maxLength(255).optional(),
  })
)

createMachineValidator.messagesProvider = new SimpleMessagesProvider({
  'code.regex': 'Use lowercase letters, digits and single dashes only, e.g. lobby-01.',
  'code.database.unique': 'Another machine already has this code.',
})

/**
 * Panel: maintenance on or off.
 */
export const machineMaintenanceValidator = vine.compile(
  vine.object({
    maintenance: vine.boolean(),
  })
)

/**
 * Panel: whether buys from the machine must quote its display code (the
 * presence check: proof the shopper stands at the machine).
 */
export const machineDisplayCodeValidator = vine.compile(
  vine.object({
    required: vine.boolean(),
  })
)

/**
 * Panel: the slot number of a test vend.
 */
export const testVendValidator = vine.compile(
  vine.object({
    slot: vine.number().withoutDecimals().min(1),
  })
)
