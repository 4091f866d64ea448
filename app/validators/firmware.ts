import vine, { SimpleMessagesProvider } from '@vinejs/vine'
import type { MultipartFile } from '@adonisjs/core/bodyparser'
import firmwareConfig from '#config/firmware'

/**
 * A release version: semver `MAJOR.MINOR.PATCH` with an optional
 * pre-release (`1.2.3`, `1.3.0-beta.1`), no build metadata, no leading
 * zeros (semver.org, items 2 and 9).
 */
export const FIRMWARE_VERSION =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?$/

/**
 * The longest release notes accepted, in characters.
 */
export const MAX_FIRMWARE_NOTES = 2000

function mebibytes(bytes: number) {
  return `${Number((bytes / (1024 * 1024)).toFixed(2))} MiB`
}

const messages = new SimpleMessagesProvider({
  'version.required': 'Enter the firmware version, e.g. 1.2.3.',
  'version.string': 'Enter the firmware version, e.g. 1.2.3.',
  'version.maxLength': 'Enter the version as MAJOR.MINOR.PATCH, e.g. 1.2.3 or 1.3.0-beta.1.',
  'version.regex': 'Enter the version as MAJOR.MINOR.PATCH, e.g. 1.2.3 or 1.3.0-beta.1.',
  'notes.maxLength': `The release notes can be at most {{ max }} characters.`,
  'image.required': 'Choose the firmware image (.bin).',
  'image.file': 'Choose the firmware image (.bin).',
  'image.file.extname': 'The firmware image must be a .bin file.',
  'image.min': 'The firmware image is empty.',
  'image.max': `The firmware image must be ${mebibytes(firmwareConfig.maxBytes)} or smaller.`,
})

/**
 * What a release is published with, from the panel or a shell
 * (`PublishFirmwareRelease` runs it): `version` (semver), `notes` (up to
 * 2000 characters, optional) and `image`, the image's size in bytes, which
 * must be 1 to `FIRMWARE_MAX_BYTES` (config/firmware.ts). Errors on
 * `image` name the form's file field.
 */
export const firmwareReleaseValidator = vine.compile(
  vine.object({
    version: vine.string().trim().maxLength(64).regex(FIRMWARE_VERSION),
    notes: vine.string().trim().maxLength(MAX_FIRMWARE_NOTES).nullable().optional(),
    image: vine.number().withoutDecimals().min(1).max(firmwareConfig.maxBytes),
  })
)
firmwareReleaseValidator.messagesProvider = messages

/**
 * The upload is named `*.bin`. Judged by the name the browser sent, not by
 * sniffing the content as the `extnames` option does: an ESP32 image has no
 * signature a sniffer knows, its first bytes may look like some other
 * format, and an empty file has none at all (the size rule speaks to that).
 */
const binFileRule = vine.createRule((value, _options, field) => {
  if (!field.isValid) return
  const file = value as MultipartFile
  if (!file.clientName.toLowerCase().endsWith('.bin'))
    field.report('The firmware image must be a .bin file.', 'file.extname', field)
})

/**
 * The panel's upload form: the file must be there and be a `.bin`; the
 * release itself (version format, notes, size) is checked by
 * `firmwareReleaseValidator` in the action.
 */
export const firmwareUploadValidator = vine.compile(
  vine.object({
    version: vine.string().trim(),
    notes: vine.string().trim().nullable().optional(),
    image: vine.file().use(binFileRule()),
  })
)
firmwareUploadValidator.messagesProvider = messages

const rolloutMessages = new SimpleMessagesProvider({
  'version.required': 'Choose the firmware version to roll out.',
  'machineCodes.minLength': 'Name at least one machine.',
  'machineCodes.maxLength': 'Name at most {{ max }} machines; use a tag or a share instead.',
  'machineCodes.*.minLength': 'A machine code cannot be empty.',
  'tag.minLength': 'Enter a tag.',
  'percent.min': 'The share of the fleet must be 1 to 100 %.',
  'percent.max': 'The share of the fleet must be 1 to 100 %.',
  'percent.withoutDecimals': 'The share of the fleet must be a whole percentage.',
  'canaryCount.min': 'The canary stage needs at least one machine.',
  'canaryCount.withoutDecimals': 'The canary size must be a whole number of machines.',
  'failureThreshold.min': 'The failure threshold must be at least 1.',
  'failureThreshold.withoutDecimals': 'The failure threshold must be a whole number.',
})

/**
 * The shapes of a rollout's start (`StartRollout` runs it; a form may too):
 * `version` as published, one of `machineCodes` (1–1000 codes), `tag` or
 * `percent` (1–100), an optional `canaryCount` (machines in stage 0, ≥ 1)
 * and `failureThreshold` (failures in one stage that halt it, ≥ 1).
 * That exactly one selector is given is checked by the action.
 */
export const startRolloutValidator = vine.compile(
  vine.object({
    version: vine.string().trim().minLength(1).maxLength(64),
    machineCodes: vine
      .array(vine.string().trim().minLength(1).maxLength(64))
      .minLength(1)
      .maxLength(1000)
      .distinct()
      .optional(),
    tag: vine.string().trim().toLowerCase().minLength(1).maxLength(64).optional(),
    percent: vine.number().withoutDecimals().min(1).max(100).optional(),
    canaryCount: vine.number().withoutDecimals().min(1).optional(),
    failureThreshold: vine.number().withoutDecimals().min(1).optional(),
  })
)
startRolloutValidator.messagesProvider = rolloutMessages
