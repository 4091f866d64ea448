import { createHash } from 'node:crypto'
import { readFile, stat } from 'node:fs/promises'
import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import FirmwareRelease from '#models/firmware_release'
import type User from '#models/user'
import AuditTrail from '#services/audit_trail'
import FirmwareReleases from '#services/firmware_releases'
import FirmwareSigner from '#services/firmware_signer'
import { isUniqueViolation } from '#services/db_helpers'
import FirmwareVersionTakenException from '#exceptions/firmware_version_taken_exception'
import { firmwareReleaseValidator } from '#validators/firmware'

/**
 * What a release is published from: the version, optional notes and the
 * image as a file on this server (the panel's upload, or the path given
 * to `node ace firmware:publish`).
 */
export interface PublishFirmwareInput {
  version: string
  notes?: string | null
  imagePath: string
}

/**
 * The audit subject of firmware releases.
 */
export const FIRMWARE_RELEASE_SUBJECT = 'firmware_release'

/**
 * Publishes a firmware release (admin panel and `node ace
 * firmware:publish`): checks it, computes the image's size and SHA-256,
 * signs it with the operator's key, stores the image and records the row
 * and its audit entry. All or nothing: on any refusal or failure no row
 * and no file is left.
 */
@inject()
export default class PublishFirmwareRelease {
  constructor(
    protected signer: FirmwareSigner,
    protected releases: FirmwareReleases,
    protected auditTrail: AuditTrail
  ) {}

  /**
   * @param actor the admin publishing, or null from a shell
   * @returns the new release
   * @throws E_VALIDATION_ERROR (422) for a version that is not semver,
   *   notes over 2000 characters, an empty image or one over
   *   `FIRMWARE_MAX_BYTES` (`firmwareReleaseValidator`)
   * @throws FirmwareSigningKeyMissingException / FirmwareSigningKeyInvalidException
   *   (503) without a usable P-256 key
   * @throws FirmwareVersionTakenException (409) when the version exists
   * @throws the file system's error (ENOENT...) when `imagePath` cannot be read
   */
  async handle(actor: User | null, input: PublishFirmwareInput): Promise<FirmwareRelease> {
    const { size } = await stat(input.imagePath)
    const data = await firmwareReleaseValidator.validate({
      version: input.version,
      notes: input.notes,
      image: size,
    })
    // Refuse before touching anything: nothing unsigned is ever stored.
    this.signer.privateKey()
    if (await FirmwareRelease.findBy('version', data.version))
      throw new FirmwareVersionTakenException(undefined, { field: 'version' })

    const image = await readFile(input.imagePath)
    const sha256 = createHash('sha256').update(image).digest('hex')
    const signature = this.signer.sign(image)

    const fileName = await this.releases.store(image)
    try {
      return await db.transaction(async (trx) => {
        const release = await FirmwareRelease.create(
          {
            version: data.version,
            notes: data.notes || null,
            sizeBytes: image.length,
            sha256,
            signature,
            fileName,
            publishedBy: actor?.id ?? null,
          },
          { client: trx }
        )
        await this.auditTrail.record(
          {
            actor,
            action: 'firmware.publish',
            subjectType: FIRMWARE_RELEASE_SUBJECT,
            subjectId: release.id,
            after: { version: release.version, size_bytes: release.sizeBytes, sha256 },
          },
          trx
        )
        return release
      })
    } catch (error) {
      await this.releases.remove(fileName)
      // Two publishers of one version at once: the unique index decides.
      if (isUniqueViolation(error)) throw new FirmwareVersionTakenException(undefined, { field: 'version' })
      throw error
    }
  }
}
