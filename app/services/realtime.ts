import type { Server as HttpServer } from 'node:http'
import app from '@adonisjs/core/services/app'
import logger from '@adonisjs/core/services/logger'
import DeviceGateway from '#services/device_gateway'
import VendSweeper from '#services/vend_sweeper'
import LanDiscovery from '#services/lan_discovery'
import discoveryConfig from '#config/discovery'

/**
 * Attaches the socket.io gateway to a listening HTTP server, starts the
 * vend sweeper and, when `DISCOVERY_ENABLED=true`, the LAN discovery
 * responder. Used by the web server (VendingProvider), `node ace demo`
 * and the test bootstrap, so all three run the same real-time stack.
 *
 * A discovery port that cannot be bound (held by another process) is
 * logged and skipped: machines given the server's address still work.
 */
export async function startRealtime(httpServer: HttpServer) {
  const gateway = await app.container.make(DeviceGateway)
  await gateway.resetPresence()
  gateway.attach(httpServer)
  const sweeper = await app.container.make(VendSweeper)
  sweeper.start()
  const discovery = await app.container.make(LanDiscovery)
  if (discoveryConfig.enabled) {
    await discovery.start().catch((error: Error) => {
      logger.error({ err: error }, `LAN discovery could not listen on udp port ${discoveryConfig.port}`)
    })
  } else {
    logger.debug('LAN discovery off (DISCOVERY_ENABLED is not true)')
  }
  return { gateway, sweeper, discovery }
}

/**
 * Stops LAN discovery and the sweeper, and closes every socket.
 */
export async function stopRealtime() {
  const discovery = await app.container.make(LanDiscovery)
  await discovery.stop()
  const sweeper = await app.container.make(VendSweeper)
  await sweeper.stop()
  const gateway = await app.container.make(DeviceGateway)
  await gateway.close()
}
