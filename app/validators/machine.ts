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

/**
 * A machine tag: what an operator picks machines by (a rollout's `tag`,
 * the machine list's filter). Lower case so `Airport` and `airport` are one.
 */
export const MACHINE_TAG_PATTERN = /^[a-z0-9-]{1,32}$/

/** How many tags one machine may carry. */
export const MAX_MACHINE_TAGS = 20

/**
 * Splits the panel's comma-separated tag input into labels: trimmed,
 * lower-cased, empty entries and repeats dropped, in the order typed.
 */
export function normaliseTags(input: string): string[] {
  const labels = input
    .split(',')
    .map((label) => label.trim().toLowerCase())
    .filter((label) => label.length > 0)
  return [...new Set(labels)]
}

/**
 * Every label of a comma-separated tag list must be 1–32 characters of
 * a–z, 0–9 and `-` (after lower-casing); names the first bad one.
 */
const tagListRule = vine.createRule((value, _options, field) => {
  if (typeof value !== 'string') return
  const labels = normaliseTags(value)
  const bad = labels.find((label) => !MACHINE_TAG_PATTERN.test(label))
  if (bad !== undefined) {
    field.report(
      `“${bad.length > 40 ? bad.slice(0, 40) + '…' : bad}” is not a tag: use 1–32 letters, digits or dashes.`,
      'tagList',
      field
    )
    return
  }
  if (labels.length > MAX_MACHINE_TAGS) {
    field.report(`A machine takes at most ${MAX_MACHINE_TAGS} tags.`, 'tagList.max', field)
  }
})

/**
 * Panel: a machine's tags as typed, comma-separated (`airport, Terminal-2`);
 * gives `tags` as normalised labels (`['airport', 'terminal-2']`); an empty
 * input (undefined `tags`: the body parser makes '' null) clears them.
 */
export const machineTagsValidator = vine.compile(
  vine.object({
    tags: vine
      .string()
      .maxLength(1000)
      .use(tagListRule())
      .optional()
      // One transform only: a second one would replace this one.
      .transform((value) => normaliseTags(value ?? '')),
  })
)

machineTagsValidator.messagesProvider = new SimpleMessagesProvider({
  'tags.maxLength': 'Keep the tags under 1000 characters.',
})

/**
 * Panel: the machine list's tag filter (`?tag=airport`).
 */
export const machineListFilterValidator = vine.compile(
  vine.object({
    tag: vine
      .string()
      .trim()
      .toLowerCase()
      .regex(MACHINE_TAG_PATTERN)
      .optional()
      .transform((value) => value || undefined),
  })
)
