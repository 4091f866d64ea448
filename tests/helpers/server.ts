import { createServer, type Server } from 'node:http'
import app from '@adonisjs/core/services/app'
import { startRealtime, stopRealtime } from '#start/realtime'

let nodeServer: Server | undefined

/**
 * Pending connections the test server's listen queue holds (Node's default
 * is 511). The fault tests open 1,000 connections at the same instant
 * (tests/functional/faults/rush.spec.ts): with 511, the kernel dropped 488
 * of their SYNs on every run (`ListenOverflows` in /proc/net/netstat), and
 * the burst only got through on TCP's retransmissions, which a busy
 * machine stretches into connect timeouts and resets. The kernel caps it
 * at `net.core.somaxconn` (4096 on our machines).
 */
export const TEST_SERVER_BACKLOG = 2048

/**
 * Starts the app's HTTP server on HOST:PORT (from .env.test, as
 * `testUtils.httpServer()` does, but with `TEST_SERVER_BACKLOG`) and
 * attaches the real socket.io gateway and sweeper to it, as `bin/server.ts`
 * does in production.
 */
export async function startTestServer() {
  const server = await app.container.make('server')
  await server.boot()
  nodeServer = createServer(server.handle.bind(server))
  server.setNodeServer(nodeServer)
  const listening = nodeServer
  await new Promise<void>((resolve, reject) => {
    listening.once('error', reject)
    listening.listen(
      {
        port: Number(process.env.PORT || 3333),
        host: process.env.HOST || '0.0.0.0',
        backlog: TEST_SERVER_BACKLOG,
      },
      () => {
        listening.off('error', reject)
        resolve()
      }
    )
  })
  await startRealtime(nodeServer)
}

export async function stopTestServer() {
  await stopRealtime()
  const closing = nodeServer
  nodeServer = undefined
  if (closing?.listening)
    await new Promise<void>((resolve, reject) =>
      closing.close((error) => (error ? reject(error) : resolve()))
    )
}

/**
 * Base URL of the running test server.
 */
export function baseUrl() {
  return `http://${process.env.HOST}:${process.env.PORT}`
}
