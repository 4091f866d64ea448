import env from '#start/env'

/**
 * Business settings of the vending rules. Durations are milliseconds,
 * money is paise.
 */
const vendingConfig = {
  /**
   * A vend command with no result after this long is failed and refunded
   * by the sweeper (default 60 s).
   */
  vendTimeoutMs: env.get('VEND_TIMEOUT_MS', 60_000),

  /**
   * How long after a command's deadline (`expires_at`, its dispatch time
   * plus `vendTimeoutMs`) the sweeper still waits for its result before
   * refunding. A device starts no motor past the deadline, but a vend it
   * started just before may still be turning: its sensor check, motor run
   * and late-drop wait take up to about 7.5 s on the reference firmware
   * (firmware/vendora_esp32/config.example.h), plus the trip back. Refunding
   * any earlier could give away an item that then drops.
   */
  vendResultGraceMs: env.get('VEND_RESULT_GRACE_MS', 15_000),

  /**
   * A `dispensing` order with no result after this long has its command
   * sent again at each sweep until the vend timeout (`ResendUnansweredVends`):
   * a command lost on the way still vends. Keep it well under
   * `vendTimeoutMs` and above a slow dispense.
   */
  vendResendMs: env.get('VEND_RESEND_MS', 10_000),

  /**
   * How often the sweeper looks for timed-out vends.
   */
  sweepIntervalMs: env.get('VEND_SWEEP_INTERVAL_MS', 5_000),

  /**
   * How long after completion a shopper may refund a refundable product.
   */
  refundWindowMs: env.get('REFUND_WINDOW_MINUTES', 24 * 60) * 60_000,

  /**
   * Largest single top-up, in paise (₹1,00,000 by default).
   */
  maxTopUpPaise: env.get('MAX_TOPUP_PAISE', 10_000_000),

  /**
   * socket.io heartbeat for devices: ESP32s on flaky Wi-Fi need a generous
   * timeout (see shared/STACK.md).
   */
  devicePingIntervalMs: env.get('DEVICE_PING_INTERVAL_MS', 25_000),
  devicePingTimeoutMs: env.get('DEVICE_PING_TIMEOUT_MS', 45_000),

  /**
   * A connected machine's `last_seen_at` follows its traffic (events,
   * heartbeat pongs) but is written at most once per this many ms per
   * machine: a busy machine's vends must not each cost a write.
   */
  lastSeenWriteMs: env.get('LAST_SEEN_WRITE_MS', 60_000),

  /**
   * Presence check (the buyer stands at the machine): how long a
   * machine's display code is valid before `RotateDisplayCodes` replaces
   * it, and how long after it expired it is still accepted (a shopper who
   * read it just before the change is not refused).
   */
  displayCodeTtlMs: env.get('DISPLAY_CODE_TTL_MS', 120_000),
  displayCodeGraceMs: env.get('DISPLAY_CODE_GRACE_MS', 15_000),

  /**
   * Wrong display codes a machine takes before its codes are burnt and a
   * new one is shown (at the next sweep): a 4-digit code cannot be found by
   * guessing when only this many of 10,000 guesses are allowed per code.
   */
  displayCodeMaxFailures: env.get('DISPLAY_CODE_MAX_FAILURES', 10),

  /**
   * One shopper session at a time per machine (so vends cannot mix): how
   * long a shopper's claim holds the machine after their last claim or
   * buy.
   */
  machineSessionTtlMs: env.get('MACHINE_SESSION_TTL_MS', 90_000),
}

export default vendingConfig
