import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { defineConfig, targets } from '@adonisjs/core/logger'

/**
 * Fields that hold secrets: credentials of shoppers, operators and
 * machines (bearer tokens, passwords, device keys, socket tickets), the
 * payment provider's keys and signatures, and cookies.
 */
const REDACTED_FIELDS = [
  'authorization',
  'cookie',
  'token',
  'accessToken',
  'access_token',
  'ticket',
  'key',
  'device_key',
  'deviceKey',
  'password',
  'secret',
  'keySecret',
  'key_secret',
  'webhookSecret',
  'webhook_secret',
  'signature',
  'razorpay_signature',
  'RAZORPAY_KEY_SECRET',
  'RAZORPAY_WEBHOOK_SECRET',
  'APP_KEY',
  'METRICS_TOKEN',
  'PG_PASSWORD',
  'SMTP_PASSWORD',
  'REDIS_URL',
]

/**
 * Deeper places secrets sit in objects that get logged: request and
 * response headers, and the request config an HTTP client error carries
 * (axios puts the Basic credentials of a Razorpay call there).
 */
const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-razorpay-signature"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'headers["x-razorpay-signature"]',
  'err.config.auth',
  'err.config.headers.Authorization',
  'err.config.headers.authorization',
  'err.config.data',
  'err.request',
  'err.response.config',
]

const loggerConfig = defineConfig({
  default: 'app',

  loggers: {
    app: {
      enabled: true,
      name: 'vendora',
      level: env.get('LOG_LEVEL', 'info'),
      /*
       * Secrets never reach the logs, whoever passes them to a log call:
       * each field is censored at the top level and one level down
       * (`{ auth: { key } }`), which is as deep as pino's paths reach.
       * The access log itself records no headers, bodies or query strings
       * (app/middleware/http_metrics_middleware.ts).
       */
      redact: {
        paths: REDACTED_FIELDS.flatMap((field) => [field, `*.${field}`]).concat(REDACTED_PATHS),
        censor: '[redacted]',
      },
      transport: {
        targets: targets()
          // One line per entry (an error's stack still spans lines): the
          // default's key-per-line layout made every request seven lines,
          // and `npm run demo` scrolled its credentials out of sight.
          .pushIf(
            !app.inProduction && !app.inTest,
            targets.pretty({ singleLine: true, ignore: 'pid,hostname' })
          )
          .pushIf(app.inProduction || app.inTest, targets.file({ destination: 1 }))
          .toArray(),
      },
    },
  },
})

export default loggerConfig

declare module '@adonisjs/core/types' {
  export interface LoggersList extends InferLoggers<typeof loggerConfig> {}
}
