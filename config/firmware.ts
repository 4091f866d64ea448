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

  /**
   * Firmware rollouts (RolloutDispatcher), all in milliseconds. Plain
   * numbers, read when used, so a test may shorten them.
   *
   * - `tickMs` (`ROLLOUT_TICK_MS`, default 5 s): how often the server looks
   *   for targets to offer and offers gone stale. It is also how soon it
   *   notices a rollout started by another process (`node ace
   *   firmware:rollout`) and quiet hours that ended.
   * - `offerTimeoutMs` (`ROLLOUT_OFFER_TIMEOUT_MS`, 60 s): an `ota` with no
   *   `ota_progress` in this long goes back to pending and is offered
   *   again, with a fresh URL.
   * - `refusalRetryMs` (30 s): a target the device refused for a passing
   *   reason (`vend_in_progress`, `quiet_hours`, `update_in_progress`) is
   *   not offered again before this long, so a device whose clock
   *   disagrees with ours about its quiet hours is not asked in a loop.
   * - `maxAttempts` (5): offers per target; after the last one goes
   *   unanswered it fails with `no_answer`.
   * - `stallTimeoutMs` (5 min): a download or verification with no
   *   progress frame in this long is offered again (the device answers a
   *   repeated `ota` with where it stands, or starts over after a restart).
   * - `confirmTimeoutMs` (10 min): a target `rebooting` this long without
   *   its confirmation fails with `not_confirmed` (the device itself gives
   *   a new image 180 s).
   */
  rollout: {
    tickMs: env.get('ROLLOUT_TICK_MS') ?? 5_000,
    offerTimeoutMs: env.get('ROLLOUT_OFFER_TIMEOUT_MS') ?? 60_000,
    refusalRetryMs: 30_000,
    maxAttempts: 5,
    stallTimeoutMs: 5 * 60_000,
    confirmTimeoutMs: 10 * 60_000,
  },
}

export default firmwareConfig
