import env from '#start/env'

/**
 * Business settings of the vending rules. Durations are milliseconds,
 * money is paise.
 */
const vendingConfig = {
  /**
   * A vend command with no result after this long is failed and refunded
   * by the sweeper (issue #3: default 60 s).
   */
  vendTimeoutMs: env.get('VEND_TIMEOUT_MS', 60_000),

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
}

export default vendingConfig
