import type { Server as HttpServer } from 'node:http'
import { Server, type Namespace, type Socket } from 'socket.io'
import { createAdapter } from '@socket.io/redis-adapter'
import { Redis } from 'ioredis'
import { DateTime } from 'luxon'
import { inject } from '@adonisjs/core'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { Secret } from '@adonisjs/core/helpers'
import hash from '@adonisjs/core/services/hash'
import { readLiveTicket } from '#services/live_tickets'
import logger from '@adonisjs/core/services/logger'
import limiter from '@adonisjs/limiter/services/main'
import { errors as limiterErrors } from '@adonisjs/limiter'
import db from '@adonisjs/lucid/services/db'
import vendingConfig from '#config/vending'
import { rateLimits } from '#config/limiter'
import { MachineStatus } from '#enums/machine_status'
import { AWAITING_RESULT, OrderStatus } from '#enums/order_status'
import Machine from '#models/machine'
import DeviceEvent, { type DeviceEventDirection } from '#models/device_event'
import Order from '#models/order'
import User from '#models/user'
import RecordVendResult from '#actions/vends/record_vend_result'
import { deviceAuthValidator, deviceStatusValidator, vendResultValidator } from '#validators/device'
import { dbTimestamp } from '#services/db_helpers'
import { announceOrderUpdate, type OrderUpdate } from '#services/order_events'
import ClusterLock from '#services/cluster_lock'
import { cluster as clusterConfig } from '#config/redis'

/**
 * Per-socket data of a connected device.
 */
interface DeviceData {
  machineId: number
  code: string
}

/**
 * The socket.io side of the server: the `/devices` namespace that vending
 * machines connect to (protocol in firmware/PROTOCOL.md) and the `/orders`
 * namespace where shoppers watch their orders live.
 *
 * One instance per process (a container singleton), attached to the HTTP
 * server once it listens. Vend commands go to the room `machine:<id>`, so
 * they reach the device wherever it is connected: with `REDIS_URL` set,
 * socket.io's Redis adapter carries every room emit (`machine:<id>`,
 * `display:<id>`, `user:<id>`, admin broadcasts) to every node (issue #7,
 * README "Running several nodes"), and presence is kept per node
 * (`machines.connected_node`).
 */
@inject()
export default class DeviceGateway {
  #io?: Server
  #devices?: Namespace
  #shoppers?: Namespace
  #admins?: Namespace
  /** The live socket of each machine connected to this process. */
  #connected = new Map<number, Socket>()
  /**
   * Each machine's last queued write (presence, monitor event), which the
   * next one waits for.
   */
  #writes = new Map<number, Promise<void>>()
  /** The Redis adapter's publisher and subscriber, closed with the gateway. */
  #adapterClients: Redis[] = []
  /** Set by drain(): no new socket.io session starts on a node going away. */
  #draining = false
  /**
   * When this process last wrote each connected machine's `last_seen_at`
   * (epoch ms), so device traffic writes it at most once per
   * `vendingConfig.lastSeenWriteMs` (see `touchLastSeen`).
   */
  #lastSeenWritten = new Map<number, number>()
  /** The current `fleet_changed` interval, and whether it saw a change. */
  #fleetTimer?: NodeJS.Timeout
  #fleetChangedSince = false

  /** Shortest gap between two `fleet_changed` from one process (ms). */
  static readonly FLEET_NOTIFY_INTERVAL_MS = 1000

  constructor(
    protected recordVendResult: RecordVendResult,
    protected cluster: ClusterLock = new ClusterLock()
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
   * `<REDIS_KEY_PREFIX>socket.io#...`.
   */
  attach(httpServer: HttpServer): Server {
    if (this.#io) return this.#io

    let adapter: ReturnType<typeof createAdapter> | undefined
    if (this.cluster.enabled) {
      const pub = new Redis(clusterConfig.connectionOptions())
      const sub = pub.duplicate()
      for (const client of [pub, sub]) {
        client.on('error', (error) => logger.warn({ err: error }, 'socket.io Redis adapter connection failed'))
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

    this.#devices = this.#io.of('/devices')
    this.#devices.use((socket, next) => {
      this.authenticateDevice(socket)
        .then(() => next())
        .catch((error: Error) => next(error))
    })
    this.#devices.on('connection', (socket) => {
      this.onDeviceConnected(socket).catch((error) => logger.error({ err: error, machine: socket.data?.code }, 'device connect failed'))
    })

    this.#shoppers = this.#io.of('/orders')
    this.#shoppers.use((socket, next) => {
      this.authenticateShopper(socket)
        .then(() => next())
        .catch((error: Error) => next(error))
    })
    this.#shoppers.on('connection', (socket) => {
      socket.join(`user:${socket.data.userId}`)
      const machineCode = socket.handshake.auth?.machine
      if (typeof machineCode === 'string') {
        this.watchMachine(socket, machineCode).catch((error) => logger.warn({ err: error, machine: machineCode }, 'watching a machine failed'))
      }
    })

    this.#admins = this.#io.of('/admin')
    this.#admins.use((socket, next) => {
      this.authenticateAdmin(socket)
        .then(() => next())
        .catch((error: Error) => next(error))
    })

    return this.#io
  }

  /**
   * Called when the server starts: marks offline the `online` machines no
   * live device connection stands behind, since machines left `online` by
   * a crash would otherwise take buys nobody can vend. Devices reconnect
   * within seconds and come back online.
   *
   * One node (no `REDIS_URL`): every machine, as no device is connected to
   * a process that just began. Several nodes: this node joins the registry
   * first, then only machines held by this node id, by no node, or by a
   * node whose heartbeat lapsed are reset; a live neighbour's machines
   * stay online.
   */
  async resetPresence(): Promise<void> {
    if (!this.cluster.enabled) {
      await this.releaseMachines((query) => query)
      return
    }
    await this.cluster.join()
    const neighbours = (await this.cluster.liveNodes()).filter((node) => node !== this.cluster.nodeId)
    await this.releaseMachines((query) => query.where((held) => held.whereNull('connected_node').orWhereNotIn('connected_node', neighbours)))
  }

  /**
   * Sets offline the machines held by nodes whose heartbeat lapsed (a node
   * that crashed or lost its network), when their devices did not
   * reconnect to a live node meanwhile. A sweep job, so one node runs it.
   *
   * @returns how many machines it set offline
   */
  async releaseDepartedNodes(): Promise<number> {
    if (!this.cluster.enabled) return 0
    const live = await this.cluster.liveNodes()
    if (!live.includes(this.cluster.nodeId)) await this.cluster.join()
    const released = await this.releaseMachines((query) =>
      query.whereNotNull('connected_node').whereNotIn('connected_node', [...new Set([...live, this.cluster.nodeId])])
    )
    if (released > 0) this.notifyFleet()
    return released
  }

  /**
   * Sets offline the `online` machines that `scope` selects and forgets
   * their node (an operator's `maintenance` stays, its node is forgotten).
   *
   * @returns how many machines went offline
   */
  protected async releaseMachines(scope: (query: ReturnType<typeof db.from>) => ReturnType<typeof db.from>): Promise<number> {
    const now = dbTimestamp(db.connection())
    const candidates: { id: number }[] = await scope(db.from('machines').where('status', MachineStatus.Online)).select('id')
    const offline = await scope(db.from('machines').where('status', MachineStatus.Online)).update({
      status: MachineStatus.Offline,
      connected_node: null,
      updated_at: now,
    })
    await scope(db.from('machines').whereNot('status', MachineStatus.Online).whereNotNull('connected_node')).update({ connected_node: null })
    const released = Array.isArray(offline) ? offline.length : Number(offline)
    // Read back rather than assumed: a device may have reconnected meanwhile.
    if (released > 0) await this.announceStatuses(candidates.map((row) => row.id))
    return released
  }

  /**
   * Closes every socket and the socket.io server (not the HTTP server).
   */
  async close(): Promise<void> {
    const io = this.#io
    this.#io = undefined
    this.#devices = undefined
    this.#shoppers = undefined
    this.#admins = undefined
    this.#connected.clear()
    this.#writes.clear()
    this.#lastSeenWritten.clear()
    clearTimeout(this.#fleetTimer)
    this.#fleetTimer = undefined
    this.#fleetChangedSince = false
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

  /**
   * Graceful shutdown (SIGTERM, issue #7), before the HTTP server's
   * in-flight requests are waited for: refuses new socket.io sessions,
   * sends every device connected here `reconnect { reason: "shutdown" }`
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
    this.#devices?.local.emit('reconnect', { reason: 'shutdown' })
    io.engine.close()
    await this.settleWrites()
    const released = await this.releaseMachines((query) => query.where('connected_node', this.cluster.nodeId))
    if (released > 0) this.notifyFleet()
    logger.info({ node: this.cluster.nodeId }, 'devices told to reconnect elsewhere')
  }

  /**
   * Resolves once every machine's queued writes (presence, monitor) ran.
   */
  protected async settleWrites() {
    while (this.#writes.size > 0) await Promise.allSettled([...this.#writes.values()])
  }

  /**
   * How many machines have a device connected to this process
   * (`vendora_devices_connected`).
   */
  get connectedCount(): number {
    return this.#connected.size
  }

  /**
   * Whether a machine's device is connected to any node: this process, or
   * (with `REDIS_URL`) a neighbour, asked through the adapter (each node
   * answers within socket.io's `requestsTimeout`, 5 s). When a neighbour
   * does not answer, the presence column decides (`connected_node` set).
   */
  async isConnected(machineId: number): Promise<boolean> {
    if (this.#connected.has(machineId)) return true
    if (!this.cluster.enabled || !this.#devices) return false
    try {
      return (await this.#devices.in(`machine:${machineId}`).fetchSockets()).length > 0
    } catch (error) {
      logger.warn({ err: error, machineId }, 'asking the other nodes for a device failed; using the presence column')
      const machine = await db.from('machines').where('id', machineId).select('connected_node').first()
      return Boolean(machine?.connected_node)
    }
  }

  /**
   * Whether a machine's device is connected to this process (tests, and
   * the choice of which node writes its presence).
   */
  isConnectedHere(machineId: number): boolean {
    return this.#connected.has(machineId)
  }

  /**
   * Disconnects the machine's device wherever it is connected, on any node
   * (its key changed): it must connect again, with the new key. Recorded in
   * the communication monitor as `kicked { reason }`.
   */
  async disconnectMachine(machineId: number, reason: string): Promise<void> {
    await this.recordEvent(machineId, 'link', 'kicked', { reason })
    this.#devices?.in(`machine:${machineId}`).disconnectSockets(true)
  }

  /**
   * Appends an event to the machine's communication monitor, after the
   * machine's earlier writes (so the monitor shows events in the order they
   * happened), and tells admin pages (`machine_event { machine_id, event }`
   * on `/admin`). The vend sweeper prunes old events (`DeviceEvent.prune`).
   * Never rejects: the monitor is a diagnostic and must not break the
   * protocol.
   */
  recordEvent(machineId: number, direction: DeviceEventDirection, event: string, payload: Record<string, unknown> | null = null) {
    return this.enqueue(machineId, async () => {
      await DeviceEvent.create({ machineId, direction, event, payload })
      this.#admins?.emit('machine_event', { machine_id: machineId, event })
    }).catch((error) => logger.warn({ err: error, machineId, event }, 'device event not recorded'))
  }

  /**
   * Sends the vend command of a `pending` order to its machine:
   * `vend { command_id, order_id, slot }`, after moving the order to
   * `dispensing`. When the machine is not online the order stays pending; it
   * is sent when the device connects, or refunded by the sweeper. An
   * operator's test vend also goes to a machine in maintenance (where
   * testing a slot is most useful).
   *
   * @returns the order, reloaded
   */
  async dispatch(order: Order): Promise<Order> {
    const machine = await Machine.find(order.machineId)
    if (!machine || !this.canSend(machine, order)) return order

    if (order.status === OrderStatus.Pending) {
      await db.transaction((trx) => Order.transition(trx, order.id, OrderStatus.Pending, OrderStatus.Dispensing, 'dispatchedAt'))
      await order.refresh()
      // Announced before the command leaves, so the shopper never sees
      // `dispensing` arrive after the device's result.
      if ((order.status as OrderStatus) === OrderStatus.Dispensing) announceOrderUpdate(order)
    }
    if (order.status === OrderStatus.Dispensing) this.sendVend(order)
    return order
  }

  /**
   * `dispatch` for an order created in the caller's transaction (a wallet
   * buy), split in two so the buy commits once: here, inside the
   * transaction, the new `pending` order moves to `dispensing` when it can
   * be sent now (`machine`, read in the same transaction, is online and
   * this process runs the device namespace); after commit the caller calls
   * `send(order)`. A device that went away in between gets the command
   * again when it reconnects (every `dispensing` order is re-sent), or the
   * sweeper refunds it after the vend timeout, as for `dispatch`.
   *
   * @returns whether the order is now `dispensing` (this instance updated)
   */
  async claimDispatchWithin(trx: TransactionClientContract, order: Order, machine: Machine): Promise<boolean> {
    if (!this.canSend(machine, order) || order.status !== OrderStatus.Pending) return false
    return order.advance(trx, OrderStatus.Dispensing, 'dispatchedAt')
  }

  /**
   * Sends a `dispensing` order's command to its machine, wherever its
   * device is connected (and records it in the monitor): after
   * `claimDispatchWithin` committed, and again for a command with no
   * result yet (`ResendUnansweredVends`).
   */
  send(order: Order, now: DateTime = DateTime.now()): void {
    if (order.status === OrderStatus.Dispensing) this.sendVend(order, now)
  }

  /**
   * Whether `order` may be sent to `machine` now: the device namespace runs
   * here and the machine is online (or in maintenance, for a test vend).
   */
  protected canSend(machine: Machine, order: Order): boolean {
    const sendable = machine.status === MachineStatus.Online || (order.isTest === true && machine.status === MachineStatus.Maintenance)
    return sendable && this.#devices !== undefined
  }

  /**
   * Pushes an order's new state to its shopper's live sockets
   * (`order_updated` on `/orders`).
   */
  notifyOrder(update: OrderUpdate): void {
    this.#shoppers?.to(`user:${update.userId}`).emit('order_updated', update.order)
  }

  /**
   * Tells the pages watching a machine (the shopper's page at it, or any
   * `/orders` socket that named it: `auth: { machine: "<code>" }`) its
   * status: `machine_status { code, status }` (`online`, `offline`,
   * `maintenance`), so they stop or resume offering buys without a reload.
   * Sent on every presence write and maintenance change, and once when the
   * socket joins.
   */
  notifyMachineStatus(machine: { id: number; code: string; status: string }): void {
    this.#shoppers?.to(`presence:${machine.id}`).emit('machine_status', { code: machine.code, status: machine.status })
  }

  /**
   * Joins `socket` to the machine's presence room, then sends it the
   * machine's status as read after joining, so no change between the two
   * goes unseen. An unknown code is ignored (the page shows a 404 anyway).
   */
  protected async watchMachine(socket: Socket, code: string) {
    const machine = await db.from('machines').where('code', code).select('id').first()
    if (!machine) return
    await socket.join(`presence:${machine.id}`)
    const current = await db.from('machines').where('id', machine.id).select('id', 'code', 'status').first()
    if (current && socket.connected) socket.emit('machine_status', { code: current.code, status: current.status })
  }

  /**
   * `notifyMachineStatus` for each of `machineIds`, with the status the
   * database holds now.
   */
  protected async announceStatuses(machineIds: number[]) {
    if (!this.#shoppers || machineIds.length === 0) return
    const machines: { id: number; code: string; status: string }[] = await db
      .from('machines')
      .whereIn('id', machineIds)
      .select('id', 'code', 'status')
    for (const machine of machines) this.notifyMachineStatus(machine)
  }

  /**
   * Tells every admin dashboard that the fleet changed (an order moved, a
   * machine came or went); pages re-fetch their figures (about seven
   * queries each). At most one `fleet_changed` per
   * `DeviceGateway.FLEET_NOTIFY_INTERVAL_MS` leaves this process: the
   * first change is sent at once, later ones in the interval are folded
   * into one sent when it ends, so a busy fleet (hundreds of orders a
   * second) costs each open dashboard one refresh a second, not one per
   * order.
   */
  notifyFleet(): void {
    if (this.#fleetTimer) {
      this.#fleetChangedSince = true
      return
    }
    this.#admins?.emit('fleet_changed', { at: new Date().toISOString() })
    this.#fleetTimer = setTimeout(() => {
      this.#fleetTimer = undefined
      if (!this.#fleetChangedSince) return
      this.#fleetChangedSince = false
      this.notifyFleet()
    }, DeviceGateway.FLEET_NOTIFY_INTERVAL_MS)
    this.#fleetTimer.unref()
  }

  /**
   * Sends a machine its presence code (issue #5): `display_code { code,
   * ttl_ms }` on `/devices`, `ttl_ms` being how long the display shows it,
   * to the machine's devices that have had their `hello` (room
   * `display:<id>`). The monitor records only `{ ttl_ms }`: the code is for
   * people standing at the machine, not for anyone reading the panel's log.
   */
  async sendDisplayCode(machineId: number, code: string, ttlMs: number): Promise<void> {
    // Recorded first, as `hello` is: once the device has it, the monitor shows it.
    await this.recordEvent(machineId, 'out', 'display_code', { ttl_ms: ttlMs })
    this.#devices?.to(`display:${machineId}`).emit('display_code', { code, ttl_ms: ttlMs })
  }

  /**
   * On connect: the machine's current display code, or a new one
   * (`RotateDisplayCodes.showOnConnect`). Imported lazily: the action
   * takes this gateway, so a static import would be a cycle. A failure is
   * logged and leaves the code to the next sweep.
   */
  protected async showDisplayCode(machineId: number) {
    try {
      const { default: RotateDisplayCodes } = await import('#actions/machines/rotate_display_codes')
      await new RotateDisplayCodes(this).showOnConnect(machineId)
    } catch (error) {
      logger.error({ err: error, machineId }, 'sending the display code failed')
    }
  }

  /**
   * Emits `vend { command_id, order_id, slot, expires_at }` to the order's
   * machine, unless the command's deadline has passed: then the device
   * would only answer `expired`, and the sweeper refunds the order.
   */
  protected sendVend(order: Order, now: DateTime = DateTime.now()) {
    const expiresAt = order.vendExpiresAt
    if (!expiresAt || expiresAt <= now) return
    const command = {
      command_id: order.commandId,
      order_id: order.id,
      slot: order.slotNumber,
      expires_at: expiresAt.toUTC().toISO(),
    }
    this.#devices?.to(`machine:${order.machineId}`).emit('vend', command)
    void this.recordEvent(order.machineId, 'out', 'vend', order.isTest ? { ...command, test: true } : command)
  }

  /**
   * Checks `{ machine, key }` from the namespace connect against the
   * machine's hashed device key.
   *
   * Attempts count against `rateLimits.deviceConnect` per machine code and
   * address before the key is checked (a scrypt verify per attempt is what
   * a flood would cost us).
   *
   * @throws Error `invalid_credentials` (socket.io sends it as the connect
   *   error, `44/devices,{"message":"invalid_credentials"}`), or
   *   `rate_limited` past the connect limit
   */
  protected async authenticateDevice(socket: Socket) {
    const refused = new Error('invalid_credentials')
    let auth: { machine: string; key: string }
    try {
      auth = await deviceAuthValidator.validate(socket.handshake.auth ?? {})
    } catch {
      throw refused
    }
    await this.throttleDeviceConnect(auth.machine, socket.handshake.address)

    let machine: Machine | null
    try {
      machine = await Machine.findBy('code', auth.machine)
      if (machine && !(await hash.verify(machine.deviceKeyHash, auth.key))) {
        // Only a known machine has a monitor to show the refusal in.
        await this.recordEvent(machine.id, 'link', 'auth_refused', { reason: 'invalid_key', address: socket.handshake.address })
        machine = null
      }
    } catch (error) {
      // The device learns only that it should retry, never our internals.
      logger.error({ err: error, machine: auth.machine }, 'device authentication failed')
      throw new Error('server_error')
    }
    if (!machine) throw refused

    socket.data = { machineId: machine.id, code: machine.code } satisfies DeviceData
  }

  /**
   * Counts one connect attempt of `machineCode` from `address` (issue #7).
   * A fixed window with no block period: the Arduino client retries every
   * 500 ms with no backoff, and a refused attempt must not push the window
   * further, so a device is back within `rateLimits.deviceConnect.duration`
   * of its first attempt whatever it does meanwhile. Fails open when the
   * store (Redis) errors: a limiter outage must not keep machines offline.
   *
   * @throws Error `rate_limited` past the limit
   */
  protected async throttleDeviceConnect(machineCode: string, address: string) {
    const { requests, duration } = rateLimits.deviceConnect
    if (requests <= 0) return
    const counter = limiter.use({ requests, duration })
    const key = `device_connect_${machineCode}_${address}`
    try {
      const seen = await counter.get(key)
      // Already over: refuse without consuming, as the HTTP throttles do.
      if (seen && seen.consumed >= seen.limit) throw new limiterErrors.E_TOO_MANY_REQUESTS(seen)
      await counter.consume(key)
    } catch (error) {
      if (error instanceof limiterErrors.E_TOO_MANY_REQUESTS) throw new Error('rate_limited')
      logger.error({ err: error, machine: machineCode }, 'device connect limit unavailable')
    }
  }

  /**
   * Checks a shopper's bearer token from `auth: { token }` (programs), or
   * the encrypted ticket `auth: { ticket }` the shopper's order page was
   * rendered with (`{ userId, purpose: 'shopper-live' }`, short-lived; see
   * the shopper OrdersController), so the page's socket proves its session
   * without scripts ever seeing the session cookie.
   */
  protected async authenticateShopper(socket: Socket) {
    const { token, ticket } = socket.handshake.auth ?? {}
    if (typeof ticket === 'string') {
      const userId = readLiveTicket(ticket, 'shopper-live')
      const user = userId === null ? null : await User.find(userId)
      if (!user) throw new Error('invalid_token')
      socket.data = { userId: user.id }
      return
    }
    const accessToken = typeof token === 'string' ? await User.accessTokens.verify(new Secret(token)) : null
    if (!accessToken) throw new Error('invalid_token')
    socket.data = { userId: Number(accessToken.tokenableId) }
  }

  /**
   * Checks the encrypted ticket the dashboard page was rendered with
   * (`DashboardController.show`): it names a user who must still be an
   * admin.
   */
  protected async authenticateAdmin(socket: Socket) {
    const userId = readLiveTicket(socket.handshake.auth?.ticket, 'admin-live')
    if (userId === null) throw new Error('unauthorized')
    const user = await User.find(userId)
    if (!user?.isAdmin) throw new Error('unauthorized')
  }

  /**
   * A device joined: replace its older connection, greet it with `hello`,
   * mark the machine online and re-send every command still awaiting a
   * result, oldest first.
   */
  protected async onDeviceConnected(socket: Socket) {
    const { machineId, code } = socket.data as DeviceData

    const previous = this.#connected.get(machineId)
    this.#connected.set(machineId, socket)
    // setConnection() below writes `last_seen_at`.
    this.#lastSeenWritten.set(machineId, Date.now())
    if (previous && previous !== socket) previous.disconnect(true)
    // One connection per machine across nodes: an older one on a
    // neighbour is closed there (through the adapter), before this one
    // joins the room, so no command reaches both.
    if (this.cluster.enabled) this.#devices?.in(`machine:${machineId}`).except(socket.id).disconnectSockets(true)

    // Any packet from the device (an event, an ack, the heartbeat's pong)
    // shows it is there: keeps `last_seen_at` current while it is online.
    const seen = () => {
      if (this.#connected.get(machineId) === socket) this.touchLastSeen(machineId)
    }
    socket.conn.on('packet', seen)

    socket.on('disconnect', (reason) => {
      socket.conn.off('packet', seen)
      void this.recordEvent(machineId, 'link', 'disconnect', { reason })
      if (this.#connected.get(machineId) !== socket) return
      this.#connected.delete(machineId)
      this.#lastSeenWritten.delete(machineId)
      this.setConnection(machineId, false).catch((error) => logger.error({ err: error, machine: code }, 'marking machine offline failed'))
      logger.info({ machine: code, reason }, 'device disconnected')
    })

    socket.on('vend_result', (payload: unknown, ack?: (reply: object) => void) => {
      this.onVendResult(machineId, payload)
        .then((reply) => (typeof ack === 'function' ? ack(reply) : undefined))
        .catch((error) => {
          logger.error({ err: error, machine: code }, 'vend_result failed')
          if (typeof ack === 'function') ack({ ok: false, error: 'server_error' })
        })
    })

    socket.on('status', (payload: unknown) => {
      this.onStatus(machineId, payload).catch((error) => logger.error({ err: error, machine: code }, 'status failed'))
    })

    socket.join(`machine:${machineId}`)
    void this.recordEvent(machineId, 'link', 'connect', { transport: socket.conn.transport.name, address: socket.handshake.address })
    // Online first: once the device has its `hello`, buys for it succeed.
    await this.setConnection(machineId, true)
    const hello = { machine: code, server_time: new Date().toISOString() }
    // Recorded first: once the device has its `hello`, the monitor shows it.
    await this.recordEvent(machineId, 'out', 'hello', hello)
    socket.emit('hello', hello)
    // Display codes go to this room, joined only now: a rotation racing
    // this connect must not reach the device before its `hello`.
    socket.join(`display:${machineId}`)
    logger.info({ machine: code }, 'device connected')
    // Not awaited: re-sending commands must not wait on the code's writes
    // (a buy landing meanwhile would be found below and sent twice).
    void this.showDisplayCode(machineId)

    const awaiting = await Order.query().where('machine_id', machineId).whereIn('status', [...AWAITING_RESULT]).orderBy('id')
    for (const order of awaiting) {
      if (this.#connected.get(machineId) !== socket) return
      if (order.status === OrderStatus.Pending) {
        await this.dispatch(order)
      } else {
        this.sendVend(order)
      }
    }
  }

  /**
   * `vend_result { command_id, result }` → ack `{ ok: true }`. A repeated or
   * unknown command id changes nothing and is still acked, so the device
   * stops resending it.
   */
  protected async onVendResult(machineId: number, payload: unknown) {
    let parsed: Awaited<ReturnType<typeof vendResultValidator.validate>>
    try {
      parsed = await vendResultValidator.validate(payload)
    } catch {
      void this.recordEvent(machineId, 'in', 'vend_result', { error: 'invalid_payload' })
      return { ok: false, error: 'invalid_payload' }
    }
    const outcome = await this.recordVendResult.handle(machineId, parsed.command_id, parsed.result)
    if (outcome === 'unknown_command' || outcome === 'ignored') {
      logger.info({ machineId, commandId: parsed.command_id, outcome }, 'vend result changed nothing')
    }
    // The ack does not wait for the monitor: a busy machine's write queue
    // (one `vend` event per order) held acks for tens of seconds in
    // bench/vend_latency.ts, and a device resends unacked results. The
    // queue still records it in order, just after the ack.
    void this.recordEvent(machineId, 'in', 'vend_result', { command_id: parsed.command_id, result: parsed.result, outcome })
    return { ok: true }
  }

  protected async onStatus(machineId: number, payload: unknown) {
    let telemetry: Awaited<ReturnType<typeof deviceStatusValidator.validate>>
    try {
      telemetry = await deviceStatusValidator.validate(payload ?? {})
    } catch {
      void this.recordEvent(machineId, 'in', 'status', { error: 'invalid_payload' })
      return
    }
    const changes: Record<string, unknown> = {
      telemetry: JSON.stringify(telemetry),
      last_seen_at: dbTimestamp(db.connection()),
    }
    if (telemetry.firmware) changes.firmware_version = telemetry.firmware
    await db.from('machines').where('id', machineId).update(changes)
    this.#lastSeenWritten.set(machineId, Date.now())
    void this.recordEvent(machineId, 'in', 'status', telemetry)
  }

  /**
   * Device traffic from `machineId` arrived: writes its `last_seen_at` now,
   * unless this process wrote it less than `vendingConfig.lastSeenWriteMs`
   * ago (the connect, a `status`, or an earlier call). The check is one
   * map lookup, so it costs nothing on the vend path; the write is queued
   * behind the machine's other writes and never rejects. The UPDATE is
   * conditional too (only a `last_seen_at` older than the interval moves),
   * so two nodes briefly holding one machine's device (a handover) do not
   * double the writes.
   */
  protected touchLastSeen(machineId: number): void {
    const now = Date.now()
    const intervalMs = vendingConfig.lastSeenWriteMs
    if (now - (this.#lastSeenWritten.get(machineId) ?? 0) < intervalMs) return
    this.#lastSeenWritten.set(machineId, now)
    this.enqueue(machineId, async () => {
      const client = db.connection()
      const at = DateTime.fromMillis(now)
      const cutoff = dbTimestamp(client, at.minus({ milliseconds: intervalMs }))
      await client
        .from('machines')
        .where('id', machineId)
        .where((query) => query.whereNull('last_seen_at').orWhere('last_seen_at', '<=', cutoff))
        .update({ last_seen_at: dbTimestamp(client, at) })
    }).catch((error) => logger.warn({ err: error, machineId }, 'last_seen_at not written'))
  }

  /**
   * Online on connect and offline on disconnect, except that an operator's
   * `maintenance` stays until the operator lifts it.
   *
   * One machine's writes run one after another, in event order: on
   * PostgreSQL two pooled connections could otherwise apply a quick
   * connect/disconnect pair (flapping Wi-Fi) in the wrong order and leave
   * the machine `online` with no device.
   */
  protected setConnection(machineId: number, online: boolean): Promise<void> {
    return this.enqueue(machineId, () => this.writeConnection(machineId, online))
  }

  /**
   * Runs `work` after the machine's earlier queued writes, whatever they did.
   */
  protected enqueue(machineId: number, work: () => Promise<void>): Promise<void> {
    const write = (this.#writes.get(machineId) ?? Promise.resolve()).catch(() => {}).then(work)
    this.#writes.set(machineId, write)
    write
      .finally(() => this.#writes.get(machineId) === write && this.#writes.delete(machineId))
      .catch(() => {})
    return write
  }

  /**
   * A connect claims the machine for this node (`connected_node`); a
   * disconnect releases it only while this node still holds it, so a
   * device that already reconnected to a neighbour stays online there.
   */
  protected async writeConnection(machineId: number, online: boolean) {
    const now = dbTimestamp(db.connection())
    const node = this.cluster.nodeId
    const ours = (query: ReturnType<typeof db.from>) => (online ? query : query.where('connected_node', node))
    const written = await ours(db.from('machines').where('id', machineId).whereNot('status', MachineStatus.Maintenance)).update({
      status: online ? MachineStatus.Online : MachineStatus.Offline,
      connected_node: online ? node : null,
      last_seen_at: now,
      updated_at: now,
    })
    await ours(db.from('machines').where('id', machineId).where('status', MachineStatus.Maintenance)).update({
      connected_node: online ? node : null,
      last_seen_at: now,
    })
    this.notifyFleet()
    // Nothing written (a disconnect from a node that no longer holds the
    // machine, or maintenance): the status did not change.
    if ((Array.isArray(written) ? written.length : Number(written)) > 0) await this.announceStatuses([machineId])
  }
}
