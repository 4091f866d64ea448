import { createServer, type Server } from 'node:http'
import testUtils from '@adonisjs/core/services/test_utils'
import { startRealtime, stopRealtime } from '#services/realtime'

let nodeServer: Server | undefined
let closeHttp: (() => Promise<void>) | undefined

/**
 * Starts the app's HTTP server and attaches the real socket.io gateway
 * and sweeper to it, as `bin/server.ts` does in production.
 */
export async function startTestServer() {
  closeHttp = await testUtils.httpServer().start((handler) => {
    nodeServer = createServer(handler)
    return nodeServer
  })
  await startRealtime(nodeServer!)
}

export async function stopTestServer() {
  await stopRealtime()
  await closeHttp?.()
}

/**
 * Base URL of the running test server.
 */
export function baseUrl() {
  return `http://${process.env.HOST}:${process.env.PORT}`
}
