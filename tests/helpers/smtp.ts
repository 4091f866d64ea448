import { SMTPServer } from 'smtp-server'
import mail from '@adonisjs/mail/services/main'
import { smtpTransport } from '#config/mail'
import { freeTcpPort } from '#tests/helpers/processes'

/**
 * One message the test SMTP server accepted: the envelope, the raw
 * message, and its decoded `Subject` header.
 */
export interface ReceivedMail {
  from: string
  to: string[]
  subject: string
  raw: string
  /** The raw message with quoted-printable soft breaks and escapes undone: what a test searches. */
  text: string
}

/**
 * A real SMTP server (the `smtp-server` package) on a free port of
 * 127.0.0.1, collecting every message it accepts, with the app's `smtp`
 * mailer pointed at it. No TLS and no login needed (`authOptional`).
 * `stop()` closes it (the port stays known: `start()` again brings the
 * same server back, for "SMTP down, then back" tests).
 */
export class TestSmtpServer {
  readonly messages: ReceivedMail[] = []
  #server?: SMTPServer

  constructor(readonly port: number) {}

  /**
   * A server on a free port, not yet listening, with the app's mailer
   * pointed at that port (the mailer is reopened on its next send).
   */
  static async create(): Promise<TestSmtpServer> {
    const server = new TestSmtpServer(await freeTcpPort())
    await server.pointMailerHere()
    return server
  }

  async pointMailerHere() {
    Object.assign(smtpTransport, {
      host: '127.0.0.1',
      port: this.port,
      secure: false,
      auth: undefined,
    })
    await mail.close('smtp')
  }

  start(): Promise<void> {
    const server = new SMTPServer({
      authOptional: true,
      // Its self-signed certificate would fail the client's check.
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = []
        stream.on('data', (chunk: Buffer) => chunks.push(chunk))
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8')
          this.messages.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            subject: decodeSubject(raw),
            raw,
            text: decodeQuotedPrintable(raw),
          })
          callback()
        })
      },
    })
    this.#server = server
    return new Promise((resolve, reject) => {
      server.once('error', reject)
      server.listen(this.port, '127.0.0.1', () => resolve())
    })
  }

  stop(): Promise<void> {
    const server = this.#server
    this.#server = undefined
    if (!server) return Promise.resolve()
    return new Promise((resolve) => server.close(() => resolve()))
  }
}

/**
 * The `Subject:` header, unfolded, with RFC 2047 encoded words
 * (`=?UTF-8?Q?...?=` / `?B?`) decoded.
 */
function decodeSubject(raw: string): string {
  const headers = raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ')
  const line = /^subject: (.*)$/im.exec(headers)?.[1] ?? ''
  return line
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(
      /=\?([^?]+)\?([QB])\?([^?]*)\?=/gi,
      (_match, _charset, encoding: string, text: string) =>
        encoding.toUpperCase() === 'B'
          ? Buffer.from(text, 'base64').toString('utf8')
          : Buffer.from(
              text
                .replace(/_/g, ' ')
                .replace(/=([0-9A-F]{2})/gi, (_m, hex: string) =>
                  String.fromCharCode(Number.parseInt(hex, 16))
                ),
              'latin1'
            ).toString('utf8')
    )
}

function decodeQuotedPrintable(raw: string): string {
  const bytes = raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
  return Buffer.from(bytes, 'latin1').toString('utf8')
}
