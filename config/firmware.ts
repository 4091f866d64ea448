import app from '@adonisjs/core/services/app'
import env from '#start/env'

/**
 * Firmware releases: where their images live, how big one may be, how
 * long a device's download URL lasts and the key they are signed with.
 *
 * Images are stored on disk, outside `public/`, under `FIRMWARE_DIR`
 * (relative to the app root; default `storage/firmware`, git-ignored),
 * each under a random name, and served only through a signed URL made for
 * one machine (`GET /firmware/:id/image`, FirmwareReleases.downloadUrl).
 */
const firmwareConfig = {
  directory: app.makePath(env.get('FIRMWARE_DIR') || 'storage/firmware'),

  /**
   * The largest image accepted, in bytes (`FIRMWARE_MAX_BYTES`, default
   * 4 MiB). An ESP32 OTA partition on the default 4 MB flash layout holds
   * about 1.9 MB, so this is a ceiling, not a target.
   */
  maxBytes: env.get('FIRMWARE_MAX_BYTES') ?? 4 * 1024 * 1024,

  /**
   * How long a download URL is valid, in milliseconds
   * (`FIRMWARE_URL_TTL_MS`, default 10 minutes): long enough for a device
   * on poor Wi-Fi to fetch the image in chunks and resume after a drop.
   */
  urlTtlMs: env.get('FIRMWARE_URL_TTL_MS') ?? 10 * 60 * 1000,

  /**
   * The operator's ECDSA P-256 private key as PEM (`FIRMWARE_SIGNING_KEY`),
   * or undefined when none is set: then nothing can be published.
   */
  signingKey: env.get('FIRMWARE_SIGNING_KEY'),
}

export default firmwareConfig
