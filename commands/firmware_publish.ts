import { resolve } from 'node:path'
import { args, BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { refusalLines } from '#exceptions/refusal_lines'

/**
 * `node ace firmware:publish build/vendora.bin --version 1.2.3 --notes "..."`
 * publishes a firmware release from a shell, by the same rule as the
 * panel (`PublishFirmwareRelease`). Its last line of output is the
 * image's SHA-256 (hex), for scripts; a refusal exits with code 1 and its
 * message.
 */
export default class FirmwarePublish extends BaseCommand {
  static commandName = 'firmware:publish'
  static description = 'Publish a signed firmware release from a .bin image'
  static options: CommandOptions = { startApp: true }

  @args.string({ description: 'Path of the firmware image (.bin)' })
  declare path: string

  @flags.string({ description: 'Release version (semver, e.g. 1.2.3)', required: true })
  declare version: string

  @flags.string({ description: 'Release notes (up to 2000 characters)' })
  declare notes?: string

  async run() {
    // Loaded once the app has booted: its validators use VineJS's `file`
    // rule, which the app's providers add, and ace imports every command
    // file just to list it.
    const { default: PublishFirmwareRelease } =
      await import('#actions/firmware/publish_firmware_release')
    const publish = await this.app.container.make(PublishFirmwareRelease)
    const imagePath = resolve(process.cwd(), this.path)
    try {
      const release = await publish.handle(null, {
        version: this.version,
        notes: this.notes ?? null,
        imagePath,
      })
      this.logger.success(
        `Published firmware ${release.version} (${release.sizeBytes} bytes, signed)`
      )
      this.logger.log(release.sha256)
    } catch (error) {
      const code = (error as { code?: string }).code
      const refusal =
        refusalLines(error, { withCode: true }) ??
        (code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES'
          ? [`Cannot read the firmware image ${imagePath} (${code})`]
          : null)
      if (!refusal) throw error
      this.exitCode = 1
      refusal.forEach((line) => this.logger.error(line))
    }
  }
}
