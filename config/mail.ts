import env from '#start/env'
import { defineConfig, transports } from '@adonisjs/mail'

/**
 * The SMTP server alerts go through. Exported because the
 * transport reads it when the mailer is first used: a test points it at
 * its own SMTP server and closes the mailer (`mail.close('smtp')`) so the
 * next send connects anew.
 *
 * `SMTP_SECURE=true` is TLS from the first byte (port 465); otherwise
 * STARTTLS is used when the server offers it. `SMTP_USER` and
 * `SMTP_PASSWORD` log in (AUTH LOGIN/PLAIN) when both are set.
 */
export const smtpTransport = {
  host: env.get('SMTP_HOST', '127.0.0.1'),
  port: env.get('SMTP_PORT', env.get('SMTP_SECURE') ? 465 : 587),
  secure: env.get('SMTP_SECURE', false),
  auth:
    env.get('SMTP_USER') && env.get('SMTP_PASSWORD')
      ? { type: 'login' as const, user: env.get('SMTP_USER')!, pass: env.get('SMTP_PASSWORD')! }
      : undefined,
  // nodemailer's defaults wait up to 2 min to connect and 10 min on a
  // silent socket; alerts run inside the vend sweeper, which must not stall.
  connectionTimeout: 10_000,
  greetingTimeout: 10_000,
  socketTimeout: 30_000,
}

const mailConfig = defineConfig({
  default: 'smtp',
  from: env.get('MAIL_FROM', 'Vendora <alerts@vendora.local>'),
  mailers: {
    smtp: transports.smtp(smtpTransport),
  },
})

export default mailConfig

declare module '@adonisjs/mail/types' {
  export interface MailersList extends InferMailers<typeof mailConfig> {}
}
