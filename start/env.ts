/*
|--------------------------------------------------------------------------
| Environment variables
|--------------------------------------------------------------------------
|
| Validated once at boot: a wrong value stops the process with a clear
| message instead of failing later at request time.
*/
import { Env } from '@adonisjs/core/env'

export default await Env.create(new URL('../', import.meta.url), {
  NODE_ENV: Env.schema.enum(['development', 'production', 'test'] as const),
  PORT: Env.schema.number(),
  APP_KEY: Env.schema.string(),
  APP_URL: Env.schema.string.optional({ format: 'url', tld: false }),
  HOST: Env.schema.string({ format: 'host' }),
  LOG_LEVEL: Env.schema.enum.optional([
    'fatal',
    'error',
    'warn',
    'info',
    'debug',
    'trace',
    'silent',
  ] as const),

  /*
  | Database: SQLite is the embedded default, PostgreSQL for production.
  */
  DB_CONNECTION: Env.schema.enum.optional(['sqlite', 'pg'] as const),
  SQLITE_PATH: Env.schema.string.optional(),
  SQLITE_SYNCHRONOUS: Env.schema.enum.optional(['NORMAL', 'FULL'] as const),
  PG_HOST: Env.schema.string.optional({ format: 'host' }),
  PG_PORT: Env.schema.number.optional(),
  PG_USER: Env.schema.string.optional(),
  PG_PASSWORD: Env.schema.string.optional(),
  PG_DATABASE: Env.schema.string.optional(),

  SESSION_DRIVER: Env.schema.enum.optional(['cookie', 'memory'] as const),
  /*
  | Rate limits (config/limiter.ts): counters in Redis when REDIS_URL is
  | set (shared by every app node), else in this process's memory
  */
  LIMITER_STORE: Env.schema.enum.optional(['memory', 'redis'] as const),
  /*
  | Requests allowed per window (0 turns a limit off): shoppers created per
  | IP per minute and per hour, buys/pays per shopper per minute, top-ups
  | per shopper per minute, device connects per machine code and IP per minute
  */
  LIMIT_SHOPPERS_PER_MINUTE: Env.schema.number.optional(),
  LIMIT_SHOPPERS_PER_HOUR: Env.schema.number.optional(),
  LIMIT_BUYS_PER_MINUTE: Env.schema.number.optional(),
  LIMIT_TOP_UPS_PER_MINUTE: Env.schema.number.optional(),
  LIMIT_DEVICE_CONNECTS_PER_MINUTE: Env.schema.number.optional(),
  /*
  | Failed admin logins allowed per email and IP before a lockout
  */
  LOGIN_MAX_ATTEMPTS: Env.schema.number.optional(),

  /*
  | Vending rules (see config/vending.ts)
  */
  VEND_TIMEOUT_MS: Env.schema.number.optional(),
  VEND_RESULT_GRACE_MS: Env.schema.number.optional(),
  VEND_SWEEP_INTERVAL_MS: Env.schema.number.optional(),
  VEND_RESEND_MS: Env.schema.number.optional(),
  REFUND_WINDOW_MINUTES: Env.schema.number.optional(),
  MAX_TOPUP_PAISE: Env.schema.number.optional(),
  DEVICE_PING_INTERVAL_MS: Env.schema.number.optional(),
  DEVICE_PING_TIMEOUT_MS: Env.schema.number.optional(),
  LAST_SEEN_WRITE_MS: Env.schema.number.optional(),
  DISPLAY_CODE_TTL_MS: Env.schema.number.optional(),
  DISPLAY_CODE_GRACE_MS: Env.schema.number.optional(),
  DISPLAY_CODE_MAX_FAILURES: Env.schema.number.optional(),
  MACHINE_SESSION_TTL_MS: Env.schema.number.optional(),

  /*
  | Restock planning (config/restock.ts): days until the next planned visit
  */
  RESTOCK_HORIZON_DAYS: Env.schema.number.optional(),

  /*
  | Payments (config/payments.ts): Razorpay when its keys are set, else the
  | demo driver (refused in production)
  */
  PAYMENT_DRIVER: Env.schema.enum.optional(['demo', 'razorpay'] as const),
  RAZORPAY_KEY_ID: Env.schema.string.optional(),
  RAZORPAY_KEY_SECRET: Env.schema.string.optional(),
  RAZORPAY_WEBHOOK_SECRET: Env.schema.string.optional(),
  RAZORPAY_API_URL: Env.schema.string.optional({ format: 'url', tld: false }),
  PAYMENT_HOLD_MS: Env.schema.number.optional(),
  /*
  | Units held at once by open pay-per-vend payments from one client IP (0: no cap)
  */
  LIMIT_HOLDS_PER_IP: Env.schema.number.optional(),
  MERCHANT_NAME: Env.schema.string.optional(),

  /*
  | LAN discovery of the server by machines (see config/discovery.ts)
  */
  DISCOVERY_ENABLED: Env.schema.boolean.optional(),
  DISCOVERY_PORT: Env.schema.number.optional(),
  DISCOVERY_URL: Env.schema.string.optional({ format: 'url', tld: false }),

  /*
  | Uploaded product images (config/uploads.ts)
  */
  PRODUCT_UPLOADS_DIR: Env.schema.string.optional(),

  /*
  | Firmware releases (config/firmware.ts): the operator's ECDSA P-256
  | private key (PEM, or one line with `\n` escapes; `node ace
  | firmware:keygen` makes one), where images are kept, the largest image
  | accepted (bytes) and how long a device's download URL lasts (ms)
  */
  FIRMWARE_SIGNING_KEY: Env.schema.string.optional(),
  FIRMWARE_DIR: Env.schema.string.optional(),
  FIRMWARE_MAX_BYTES: Env.schema.number.optional(),
  FIRMWARE_URL_TTL_MS: Env.schema.number.optional(),
  ROLLOUT_TICK_MS: Env.schema.number.optional(),
  ROLLOUT_OFFER_TIMEOUT_MS: Env.schema.number.optional(),

  /*
  | Demo (`npm run demo`)
  */
  DEMO_DEVICE_KEY: Env.schema.string.optional(),
  DEMO_ADMIN_EMAIL: Env.schema.string.optional(),
  DEMO_ADMIN_PASSWORD: Env.schema.string.optional(),

  /*
  | The operator's time zone for sales insights (config/analytics.ts), an
  | IANA name such as Asia/Kolkata; default the process's TZ, else UTC
  */
  APP_TZ: Env.schema.string.optional(),

  /*
  | Redis (config/redis.ts): set to run several app nodes (socket.io adapter,
  | shared rate limits, cluster-wide locks), e.g. redis://127.0.0.1:6379/0
  */
  // Not `format: 'url'`: its check allows only http(s) and ftp, and refuses
  // redis:// and rediss://. config/redis.ts parses it with `new URL`.
  REDIS_URL: Env.schema.string.optional(),

  /*
  | Operations (config/metrics.ts): when set, GET /metrics requires
  | `Authorization: Bearer <METRICS_TOKEN>`
  */
  METRICS_TOKEN: Env.schema.string.optional(),
  // Resolution of the event-loop delay metric, ms (config/metrics.ts)
  METRICS_EVENT_LOOP_PRECISION_MS: Env.schema.number.optional(),
  /*
  | Proxies trusted for X-Forwarded-For and X-Request-Id (config/app.ts),
  | e.g. loopback,10.0.0.0/8
  */
  TRUSTED_PROXIES: Env.schema.string.optional(),
  /*
  | Several app nodes (README "Running several nodes"): the prefix of every
  | Redis key and pub/sub channel of this deployment, this process's node id
  | (default <hostname>:<pid>) and how long SIGTERM waits for in-flight
  | requests before closing what is left (ms)
  */
  REDIS_KEY_PREFIX: Env.schema.string.optional(),
  NODE_ID: Env.schema.string.optional(),
  SHUTDOWN_TIMEOUT_MS: Env.schema.number.optional(),

  /*
  | Email alerts (config/mail.ts, app/actions/alerts/check_alerts.ts): none
  | are sent while ALERT_EMAILS (comma-separated) is unset
  */
  ALERT_EMAILS: Env.schema.string.optional(),
  ALERT_OFFLINE_AFTER_MS: Env.schema.number.optional(),
  ALERT_JAMS_PER_SLOT: Env.schema.number.optional(),
  ALERT_JAM_WINDOW_MS: Env.schema.number.optional(),
  ALERT_CHECK_INTERVAL_MS: Env.schema.number.optional(),
  MAIL_FROM: Env.schema.string.optional(),
  SMTP_HOST: Env.schema.string.optional({ format: 'host' }),
  SMTP_PORT: Env.schema.number.optional(),
  SMTP_USER: Env.schema.string.optional(),
  SMTP_PASSWORD: Env.schema.string.optional(),
  SMTP_SECURE: Env.schema.boolean.optional(),
})
