import type { Server as HttpServer } from 'node:http'
import app from '@adonisjs/core/services/app'
import logger from '@adonisjs/core/services/logger'
import SocketServer from '#sockets/server'
import MachinePresence from '#services/machine_presence'
import VendSweeper from '#jobs/vend_sweeper'
import RolloutTicker from '#jobs/rollout_ticker'
import LanDiscovery from '#services/lan_discovery'
import discoveryConfig from '#config/discovery'

/**
 * Resets machine presence, attaches the socket.io server to a listening
 * HTTP server (`SocketServer`), starts the
 * vend sweeper, the firmware rollouts' ticker and, when `DISCOVERY_ENABLED=true`, the LAN discovery
 * responder. Used by the web server (VendingProvider), `node ace demo`
 * and the test bootstrap, so all three run the same real-time stack.
 *
 * A discovery port that cannot be bound (held by another process) is
 * logged and skipped: machines given the server's address still work.
 */
export async function startRealtime(httpServer: HttpServer) {
  const presence = await app.container.make(MachinePresence)
  await presence.resetPresence()
  const sockets = await app.container.make(SocketServer)
  sockets.attach(httpServer)
  const sweeper = await app.container.make(VendSweeper)
  sweeper.start()
  const rollouts = await app.container.make(RolloutTicker)
  rollouts.start()
  const discovery = await app.container.make(LanDiscovery)
  if (discoveryConfig.enabled) {
    await discovery.start().catch((error: Error) => {
      logger.error(
        { err: error },
        `LAN discovery could not listen on udp port ${discoveryConfig.port}`
      )
    })
  } else {
    logger.debug('LAN discovery off (DISCOVERY_ENABLED is not true)')
  }
  return { sockets, sweeper, discovery }
}

/**
 * Graceful shutdown of a web server node (SIGTERM; VendingProvider runs it
 * before the framework closes the HTTP server and the database):
 *
 * 1. stop accepting connections (`httpServer.close()`) and close idle
 *    keep-alive ones;
 * 2. tell this node's devices to reconnect elsewhere and close every
 *    socket.io connection here, then set offline what this node still
 *    holds (SocketServer.drain);
 * 3. let in-flight requests finish, for at most `timeoutMs`
 *    (`SHUTDOWN_TIMEOUT_MS`, default 10 000 ms), then close whatever is
 *    left;
 * 4. stop the sweeper and the rollout ticker (waiting for a run in progress) and discovery,
 *    leave the cluster registry, close the adapter's Redis connections.
 *
 * Never rejects: each failure is logged and the shutdown goes on.
 */
export async function gracefulShutdown(httpServer: HttpServer | undefined, timeoutMs: number) {
  const started = Date.now()
  const closed = httpServer?.listening
    ? new Promise<void>((resolve) => httpServer.close(() => resolve()))
    : Promise.resolve()
  httpServer?.closeIdleConnections()
  // Connections busy at close() (a proxy's kept-alive upstream connection,
  // a poll) are not closed by Node once they turn idle: look again until
  // the server is closed.
  const idleSweep = setInterval(() => httpServer?.closeIdleConnections(), 200)

  const sockets = await app.container.make(SocketServer)
  await sockets
    .drain()
    .catch((error) => logger.error({ err: error }, 'draining the socket server failed'))

  let timer: NodeJS.Timeout | undefined
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), Math.max(0, timeoutMs - (Date.now() - started)))
  })
  if (await Promise.race([closed.then(() => false), timedOut])) {
    logger.warn(
      { timeout_ms: timeoutMs },
      'requests still running at the shutdown timeout: closing their connections'
    )
    httpServer?.closeAllConnections()
    await closed
  }
  clearTimeout(timer)
  clearInterval(idleSweep)

  await stopRealtime().catch((error) =>
    logger.error({ err: error }, 'stopping the real-time services failed')
  )
  logger.info({ duration_ms: Date.now() - started }, 'graceful shutdown done')
}

/**
 * Stops LAN discovery, the sweeper and the rollout ticker, and closes every socket.
 */
export async function stopRealtime() {
  const discovery = await app.container.make(LanDiscovery)
  await discovery.stop()
  const sweeper = await app.container.make(VendSweeper)
  await sweeper.stop()
  const rollouts = await app.container.make(RolloutTicker)
  await rollouts.stop()
  const sockets = await app.container.make(SocketServer)
  await sockets.close()
}
