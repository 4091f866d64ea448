import vine, { SimpleMessagesProvider } from '@vinejs/vine'
import { MACHINE_TAG_PATTERN } from '#validators/machine'

/**
 * How the panel's rollout form picks machines: listed machine codes,
 * every machine with a tag, or a share of the fleet.
 */
export const ROLLOUT_TARGETS = ['machines', 'tag', 'percent'] as const

/**
 * Panel: start a rollout (`/admin/firmware/rollouts/new`). `target` says
 * which of `machines[]` (codes), `tag` or `percent` (1–100) picks the
 * machines; only that one is required and read. `canary_count` machines
 * get the release first; `failure_threshold` failures in a stage halt it.
 * Whether the release and machines exist, and are free, is `StartRollout`'s
 * to say (its refusals come back to the form).
 */
export const firmwareRolloutValidator = vine.compile(
  vine.object({
    version: vine.string().trim().minLength(1).maxLength(64),
    target: vine.enum(ROLLOUT_TARGETS),
    machines: vine
      .array(vine.string().trim().minLength(1).maxLength(64))
      .minLength(1)
      .maxLength(1000)
      .distinct()
      .optional()
      .requiredWhen('target', '=', 'machines'),
    tag: vine
      .string()
      .trim()
      .toLowerCase()
      .regex(MACHINE_TAG_PATTERN)
      .optional()
      .requiredWhen('target', '=', 'tag'),
    percent: vine
      .number()
      .withoutDecimals()
      .range([1, 100])
      .optional()
      .requiredWhen('target', '=', 'percent'),
    canary_count: vine.number().withoutDecimals().range([1, 1000]).optional(),
    failure_threshold: vine.number().withoutDecimals().range([1, 1000]).optional(),
  })
)

firmwareRolloutValidator.messagesProvider = new SimpleMessagesProvider({
  'version.required': 'Choose the release to roll out.',
  'target.required': 'Choose how to pick the machines.',
  'target.enum': 'Choose how to pick the machines.',
  'machines.required': 'Choose at least one machine.',
  'machines.array.minLength': 'Choose at least one machine.',
  'machines.minLength': 'Choose at least one machine.',
  'machines.distinct': 'Choose each machine once.',
  'machines.maxLength': 'Choose at most 1000 machines.',
  'tag.required': 'Enter the tag of the machines to update.',
  'tag.regex': 'A tag is 1–32 letters, digits or dashes.',
  'percent.required': 'Enter the share of the fleet, 1–100.',
  'percent.number': 'Enter the share of the fleet as a whole number, 1–100.',
  'percent.withoutDecimals': 'Enter the share of the fleet as a whole number, 1–100.',
  'percent.range': 'Enter the share of the fleet, 1–100.',
  'canary_count.number': 'Enter how many machines go first, 1–1000.',
  'canary_count.withoutDecimals': 'Enter how many machines go first, 1–1000.',
  'canary_count.range': 'Enter how many machines go first, 1–1000.',
  'failure_threshold.number': 'Enter how many failures halt the rollout, 1–1000.',
  'failure_threshold.withoutDecimals': 'Enter how many failures halt the rollout, 1–1000.',
  'failure_threshold.range': 'Enter how many failures halt the rollout, 1–1000.',
})
