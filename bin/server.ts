/*
|--------------------------------------------------------------------------
| HTTP server entry point
|--------------------------------------------------------------------------
|
| Starts the HTTP server; the devices provider attaches the socket.io
| gateway to the same Node server once it listens.
*/
import 'reflect-metadata'
import { Ignitor, prettyPrintError } from '@adonisjs/core'

const APP_ROOT = new URL('../', import.meta.url)

const IMPORTER = (filePath: string) => {
  if (filePath.startsWith('./') || filePath.startsWith('../')) {
    return import(new URL(filePath, APP_ROOT).href)
  }
  return import(filePath)
}

/**
 * SIGTERM: graceful shutdown (VendingProvider's terminating hook drains the
 * node, then the framework closes the HTTP server, the database and Redis),
 * then exit: 0 when it went through, 1 when it failed or overran
 * `SHUTDOWN_TIMEOUT_MS` (default 10 000) by more than 5 s. The exit is
 * forced once shutdown is done, because a handle below us can outlive it
 * (seen in `node ace demo` too).
 */
let terminating = false
function terminate(app: { terminate(): Promise<void> }) {
  if (terminating) return
  terminating = true
  const capMs = Number(process.env.SHUTDOWN_TIMEOUT_MS || 10_000) + 5000
  setTimeout(() => {
    console.error(`shutdown did not finish within ${capMs} ms; exiting`)
    process.exit(1)
  }, capMs).unref()
  app
    .terminate()
    .catch((error) => {
      process.exitCode = 1
      prettyPrintError(error)
    })
    .finally(() => setTimeout(() => process.exit(), 200).unref())
}

new Ignitor(APP_ROOT, { importer: IMPORTER })
  .tap((app) => {
    app.booting(async () => {
      await import('#start/env')
    })
    app.listen('SIGTERM', () => terminate(app))
    app.listenIf(app.managedByPm2, 'SIGINT', () => terminate(app))
  })
  .httpServer()
  .start()
  .catch((error) => {
    process.exitCode = 1
    prettyPrintError(error)
  })
