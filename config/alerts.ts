import env from '#start/env'

/**
 * Email alerts, read by `CheckAlerts`. Mutable on purpose, like
 * `rateLimits`: a test sets the recipients or the delay for a moment.
 */
const alertsConfig = {
  /**
   * Who gets alerts: `ALERT_EMAILS`, comma-separated. Empty (the default):
   * episodes are still opened and shown in the panel, but no email is sent.
   */
  recipients: (env.get('ALERT_EMAILS') ?? '')
    .split(',')
    .map((address) => address.trim())
    .filter(Boolean),

  /**
   * A machine counts as offline, for an alert, once it has been offline for
   * this long (ms, default 5 minutes): Wi-Fi blips and reboots stay quiet.
   */
  offlineAfterMs: env.get('ALERT_OFFLINE_AFTER_MS', 5 * 60_000),

  /**
   * A slot whose vends jammed this many times (`jam` results, test vends
   * included: the spiral is the same) within `jamWindowMs` gets a
   * `slot_jams` alert: a bent spiral or a mis-loaded product needs a visit
   * whatever the stock says. 0 turns the alert off.
   */
  jamsPerSlot: env.get('ALERT_JAMS_PER_SLOT', 3),
  jamWindowMs: env.get('ALERT_JAM_WINDOW_MS', 24 * 60 * 60_000),

  /**
   * How often the sweeper runs the check (ms, default 60 s). A failed send
   * is retried on the next check.
   */
  checkIntervalMs: env.get('ALERT_CHECK_INTERVAL_MS', 60_000),

  /**
   * The panel's address for links in emails (`APP_URL`); links are left
   * out when unset.
   */
  appUrl: env.get('APP_URL')?.replace(/\/+$/, '') ?? null,
}

export default alertsConfig
