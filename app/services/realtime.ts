import type { Server as HttpServer } from 'node:http'
import app from '@adonisjs/core/services/app'
import DeviceGateway from '#services/device_gateway'
import VendSweeper from '#services/vend_sweeper'

/**
 * Attaches the socket.io gateway to a listening HTTP server and starts the
 * vend sweeper. Used by the web server (VendingProvider), `node ace demo`
 * and the test bootstrap, so all three run the same real-time stack.
 */
export async function startRealtime(httpServer: HttpServer) {
  const gateway = await app.container.make(DeviceGateway)
  await gateway.resetPresence()
  gateway.attach(httpServer)
  const sweeper = await app.container.make(VendSweeper)
  sweeper.start()
  return { gateway, sweeper }
}

/**
 * Stops the sweeper and closes every socket.
 */
export async function stopRealtime() {
  const sweeper = await app.container.make(VendSweeper)
  await sweeper.stop()
  const gateway = await app.container.make(DeviceGateway)
  await gateway.close()
}
