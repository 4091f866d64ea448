import { randomUUID } from 'node:crypto'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import router from '@adonisjs/core/services/router'
import firmwareConfig from '#config/firmware'
import type FirmwareRelease from '#models/firmware_release'
import { publicBaseUrl } from '#services/public_url'

/**
 * A stored image's file name: what `store` produces, and the only shape
 * `pathOf` resolves (so `../` and friends never do).
 */
const STORED_NAME = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.bin$/

/**
 * The purpose a download URL is signed for, so no other signed URL of the
 * app (same APP_KEY) can stand in for one.
 */
export const FIRMWARE_DOWNLOAD_PURPOSE = 'firmware_download'

/**
 * Firmware images on disk (`firmwareConfig.directory`, under random
 * names) and the short-lived URLs devices fetch them by. An image is
 * written before the transaction that records its release and removed
 * again if that fails, so a row never points at a missing file and no file
 * is left without a row.
 */
export default class FirmwareReleases {
  /**
   * Writes an image into the firmware folder (created if missing).
   *
   * @returns the stored file's name, e.g. `0b6e….bin`
   */
  async store(image: Buffer): Promise<string> {
    await mkdir(firmwareConfig.directory, { recursive: true })
    const name = `${randomUUID()}.bin`
    await writeFile(join(firmwareConfig.directory, name), image, { flag: 'wx' })
    return name
  }

  /**
   * Deletes a stored image; a missing file or a name `store` could not
   * have produced is ignored.
   */
  async remove(fileName: string): Promise<void> {
    const path = FirmwareReleases.pathOf(fileName)
    if (path) await rm(path, { force: true })
  }

  /**
   * The absolute path of stored image `fileName`, or null when the name is
   * not one `store` could have produced.
   */
  static pathOf(fileName: string): string | null {
    return STORED_NAME.test(fileName) ? join(firmwareConfig.directory, fileName) : null
  }

  /**
   * The URL machine `machineId` downloads `release`'s image from:
   * `<publicBaseUrl>/firmware/<id>/image?machine=<machineId>&signature=…`,
   * signed with APP_KEY for `FIRMWARE_DOWNLOAD_PURPOSE` and valid for
   * `ttlMs` (default `FIRMWARE_URL_TTL_MS`, 10 minutes). Changing the
   * release, the machine or the expiry breaks the signature: the server
   * answers 403 `invalid_download_url`.
   *
   * @param machineId the machine's database id (`machines.id`)
   */
  downloadUrl(
    release: Pick<FirmwareRelease, 'id'>,
    machineId: number,
    ttlMs: number = firmwareConfig.urlTtlMs
  ): string {
    return router
      .builder()
      .prefixUrl(publicBaseUrl())
      .params({ id: release.id })
      .qs({ machine: String(machineId) })
      .makeSigned('firmware.image', { expiresIn: ttlMs, purpose: FIRMWARE_DOWNLOAD_PURPOSE })
  }
}
