import type { Server as HttpServer } from 'node:http'
import { Server } from 'socket.io'
import { createAdapter } from '@socket.io/redis-adapter'
import { Redis } from 'ioredis'
import { inject } from '@adonisjs/core'
import logger from '@adonisjs/core/services/logger'
import vendingConfig from '#config/vending'
import { cluster as clusterConfig } from '#config/redis'
import ClusterLock from '#services/cluster_lock'
import DeviceChannel from '#services/device_channel'
import MachinePresence from '#services/machine_presence'
import MachineWriteQueue from '#services/machine_write_queue'
import { Namespaces, ServerToDeviceEvent, type ReconnectMessage } from '#services/device_protocol'
import DeviceSockets from '#sockets/devices'
import OrderSockets from '#sockets/orders'
import AdminSockets from '#sockets/admin'

/**
 * The socket.io server of this process: created on the HTTP server once it
 * listens, with the `/devices`, `/orders` and `/admin` namespaces
 * (app/sockets), bound to `DeviceChannel` for everything that sends. One per
 * process (a container singleton).
 *
 * With `REDIS_URL` set, socket.io's Redis adapter carries every room emit
 * (`machine:<id>`, `display:<id>`, `user:<id>`, admin broadcasts) to every
 * node (README "Running several nodes"), and presence is kept per node
 * (`machines.connected_node`, `MachinePresence`).
 */
@inject()
export default class SocketServer {
  #io?: Server
  /** The Redis adapter's publisher and subscriber, closed with the server. */
  #adapterClients: Redis[] = []
  /** Set by drain(): no new socket.io session starts on a node going away. */
  #draining = false

  constructor(
    protected channel: DeviceChannel,
    protected cluster: ClusterLock,
    protected presence: MachinePresence,
    protected writes: MachineWriteQueue,
    protected devices: DeviceSockets,
    protected orders: OrderSockets,
    protected admins: AdminSockets
  ) {}

  /**
   * The socket.io server, once attached.
   */
  get io(): Server | undefined {
    return this.#io
  }

  /**
   * Starts socket.io on `httpServer` (path `/socket.io/`). HTTP long-polling
   * stays enabled: the Arduino client starts with it before upgrading
   * (behind several nodes, the proxy keeps a client's polling requests on
   * one node: nginx/vendora.conf). With `REDIS_URL`, rooms span the nodes
   * through `@socket.io/redis-adapter` on two connections of our own
   * (a subscriber cannot run other commands), channels
   * `<REDIS_KEY_PREFIX>socket.io#...`. Attaching twice returns the first
   * server.
   */
  attach(httpServer: HttpServer): Server {
    if (this.#io) return this.#io

    let adapter: ReturnType<typeof createAdapter> | undefined
    if (this.cluster.enabled) {
      const pub = new Redis(clusterConfig.connectionOptions())
      const sub = pub.duplicate()
      for (const client of [pub, sub]) {
        client.on('error', (error) =>
          logger.warn({ err: error }, 'socket.io Redis adapter connection failed')
        )
      }
      this.#adapterClients = [pub, sub]
      adapter = createAdapter(pub, sub, { key: `${clusterConfig.keyPrefix}socket.io` })
    }

    this.#draining = false
    this.#io = new Server(httpServer, {
      adapter,
      // Handshakes only: a refused one is a transport error, which clients retry (elsewhere).
      allowRequest: (_request, callback) => callback(null, !this.#draining),
      path: '/socket.io/',
      transports: ['polling', 'websocket'],
      pingInterval: vendingConfig.devicePingIntervalMs,
      pingTimeout: vendingConfig.devicePingTimeoutMs,
      // The Arduino client's frames are small; keep ours under its ~15 KiB limit too.
      maxHttpBufferSize: 16 * 1024,
      serveClient: false,
      cors: { origin: true },
    })

    this.devices.register(this.#io.of(Namespaces.Devices))
    this.orders.register(this.#io.of(Namespaces.Orders))
    this.admins.register(this.#io.of(Namespaces.Admin))
    this.channel.bind(this.#io)
    return this.#io
  }

  /**
   * Graceful shutdown (SIGTERM), before the HTTP server's in-flight
   * requests are waited for: refuses new socket.io sessions, sends every
   * device connected here `reconnect { reason: "shutdown" }`
   * (firmware/PROTOCOL.md; optional for firmware), closes every socket of
   * this process at the transport level (clients see a transport close and
   * reconnect by themselves, through the proxy to another node; a
   * namespace disconnect would tell socket.io-client not to), waits for
   * the resulting presence writes, then sets offline whatever this node
   * still holds. Emits to rooms keep working through the adapter, so a buy
   * finishing here still reaches a device that reconnected elsewhere.
   */
  async drain(): Promise<void> {
    const io = this.#io
    if (!io || this.#draining) return
    this.#draining = true
    this.channel.sendToLocalDevices(ServerToDeviceEvent.Reconnect, {
      reason: 'shutdown',
    } satisfies ReconnectMessage)
    io.engine.close()
    await this.presence.releaseThisNode()
    logger.info({ node: this.cluster.nodeId }, 'devices told to reconnect elsewhere')
  }

  /**
   * Closes every socket and the socket.io server (not the HTTP server),
   * unbinds `DeviceChannel`, closes the adapter's Redis connections and
   * leaves the cluster registry.
   */
  async close(): Promise<void> {
    const io = this.#io
    this.#io = undefined
    this.channel.unbind()
    this.writes.clear()
    this.presence.clear()
    if (io) {
      // `local`: with the Redis adapter a plain io.disconnectSockets()
      // would close every node's sockets.
      io.local.disconnectSockets(true)
      // engine.close() ends every transport but, unlike io.close(), leaves
      // the HTTP server to its owner.
      io.engine.close()
    }
    for (const client of this.#adapterClients.splice(0)) client.disconnect()
    await this.cluster.leave()
  }
}
