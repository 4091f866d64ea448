import type { Namespace, Socket } from 'socket.io'
import { inject } from '@adonisjs/core'
import hash from '@adonisjs/core/services/hash'
import logger from '@adonisjs/core/services/logger'
import limiter from '@adonisjs/limiter/services/main'
import { errors as limiterErrors } from '@adonisjs/limiter'
import { rateLimits } from '#config/limiter'
import { AWAITING_RESULT, OrderStatus } from '#enums/order_status'
import Machine from '#models/machine'
import Order from '#models/order'
import DispatchVend from '#actions/vends/dispatch_vend'
import RecordVendResult from '#actions/vends/record_vend_result'
import RecordDeviceStatus from '#actions/machines/record_device_status'
import RotateDisplayCodes from '#actions/machines/rotate_display_codes'
import RecordOtaProgress from '#actions/firmware/record_ota_progress'
import {
  deviceAuthValidator,
  deviceStatusValidator,
  otaProgressValidator,
  vendResultValidator,
} from '#validators/device'
import ClusterLock from '#services/cluster_lock'
import DeviceChannel from '#services/device_channel'
import DeviceMonitor from '#services/device_monitor'
import MachinePresence from '#services/machine_presence'
import RolloutDispatcher from '#services/rollout_dispatcher'
import {
  DeviceToServerEvent,
  ProtocolError,
  Rooms,
  ServerToDeviceEvent,
  type HelloMessage,
  type OtaProgressMessage,
  type VendResultAck,
  type VendResultMessage,
} from '#services/device_protocol'
import { INVALID_PAYLOAD, failureAck, namespaceAuth, refusal, toSocketError } from '#sockets/errors'
import DeviceOperationSockets from '#sockets/device_operations'

/**
 * Per-socket data of a connected device.
 */
interface DeviceData {
  machineId: number
  code: string
}

/**
 * The `/devices` namespace that vending machines connect to
 * (firmware/PROTOCOL.md): authentication as namespace middleware, then per
 * connection the greeting, presence, re-sent commands and the handlers of
 * `vend_result` and `status`, which validate and call actions (the
 * answers to remote operations have theirs in `DeviceOperationSockets`).
 */
@inject()
export default class DeviceSockets {
  constructor(
    protected channel: DeviceChannel,
    protected presence: MachinePresence,
    protected monitor: DeviceMonitor,
    protected cluster: ClusterLock,
    protected dispatchVend: DispatchVend,
    protected recordVendResult: RecordVendResult,
    protected recordDeviceStatus: RecordDeviceStatus,
    protected rotateDisplayCodes: RotateDisplayCodes,
    protected recordOtaProgress: RecordOtaProgress,
    protected rolloutDispatcher: RolloutDispatcher,
    protected deviceOperations: DeviceOperationSockets
  ) {}

  /**
   * Installs the authentication and the connection handler on `nsp`.
   */
  register(nsp: Namespace): void {
    nsp.use(namespaceAuth((socket: Socket) => this.authenticate(socket)))
    nsp.on('connection', (socket) => {
      this.onConnected(socket).catch((error) =>
        logger.error({ err: error, machine: socket.data?.code }, 'device connect failed')
      )
    })
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
   *   error, `44/devices,{"message":"invalid_credentials"}`),
   *   `rate_limited` past the connect limit, or `server_error`
   */
  protected async authenticate(socket: Socket) {
    const refused = refusal(ProtocolError.InvalidCredentials)
    let auth: { machine: string; key: string }
    try {
      auth = await deviceAuthValidator.validate(socket.handshake.auth ?? {})
    } catch {
      throw refused
    }
    await this.throttleConnect(auth.machine, socket.handshake.address)

    let machine: Machine | null
    try {
      machine = await Machine.findBy('code', auth.machine)
      if (machine && !(await hash.verify(machine.deviceKeyHash, auth.key))) {
        // Only a known machine has a monitor to show the refusal in.
        await this.monitor.record(machine.id, 'link', 'auth_refused', {
          reason: 'invalid_key',
          address: socket.handshake.address,
        })
        machine = null
      }
    } catch (error) {
      // The device learns only that it should retry, never our internals.
      logger.error({ err: error, machine: auth.machine }, 'device authentication failed')
      throw refusal(ProtocolError.ServerError)
    }
    if (!machine) throw refused

    socket.data = { machineId: machine.id, code: machine.code } satisfies DeviceData
  }

  /**
   * Counts one connect attempt of `machineCode` from `address`. A fixed
   * window with no block period: the Arduino client retries every 500 ms
   * with no backoff, and a refused attempt must not push the window
   * further, so a device is back within `rateLimits.deviceConnect.duration`
   * of its first attempt whatever it does meanwhile. Fails open when the
   * store (Redis) errors: a limiter outage must not keep machines offline.
   *
   * @throws Error `rate_limited` past the limit
   */
  protected async throttleConnect(machineCode: string, address: string) {
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
      if (error instanceof limiterErrors.E_TOO_MANY_REQUESTS)
        throw refusal(ProtocolError.RateLimited)
      logger.error({ err: error, machine: machineCode }, 'device connect limit unavailable')
    }
  }

  /**
   * A device joined: replace its older connection, greet it with `hello`,
   * mark the machine online and re-send every command still awaiting a
   * result, oldest first (once: not one a buy already sent on this
   * connection meanwhile).
   */
  protected async onConnected(socket: Socket) {
    const { machineId, code } = socket.data as DeviceData

    const previous = this.channel.adopt(machineId, socket)
    // setConnection() below writes `last_seen_at`.
    this.presence.noteSeen(machineId)
    if (previous && previous !== socket) previous.disconnect(true)
    // One connection per machine across nodes: an older one on a
    // neighbour is closed there (through the adapter), before this one
    // joins the room, so no command reaches both.
    if (this.cluster.enabled) this.channel.disconnectMachineExcept(machineId, socket.id)

    // Any packet from the device (an event, an ack, the heartbeat's pong)
    // shows it is there: keeps `last_seen_at` current while it is online.
    const seen = () => {
      if (this.channel.isCurrent(machineId, socket)) this.presence.touchLastSeen(machineId)
    }
    socket.conn.on('packet', seen)

    socket.on('disconnect', (reason) => {
      socket.conn.off('packet', seen)
      void this.monitor.record(machineId, 'link', 'disconnect', { reason })
      if (!this.channel.release(machineId, socket)) return
      this.presence
        .setConnection(machineId, false)
        .catch((error) =>
          logger.error({ err: error, machine: code }, 'marking machine offline failed')
        )
      logger.info({ machine: code, reason }, 'device disconnected')
    })

    socket.on(
      DeviceToServerEvent.VendResult,
      (payload: unknown, ack?: (reply: VendResultAck) => void) => {
        this.onVendResult(machineId, payload)
          .then((reply) => (typeof ack === 'function' ? ack(reply) : undefined))
          .catch((error) => {
            const reply = failureAck(error, {
              machine: code,
              event: DeviceToServerEvent.VendResult,
            })
            if (typeof ack === 'function') ack(reply)
          })
      }
    )

    // `status` and `ota_progress` of one connection are handled one after
    // the other, in the order they came: progress frames are read against
    // the state the previous one left, and `confirmed` finds the new
    // firmware the device reported in the `status` just before it.
    let inOrder: Promise<unknown> = Promise.resolve()
    socket.on(DeviceToServerEvent.Status, (payload: unknown) => {
      // No ack in the protocol: a failure is only logged (by toSocketError).
      inOrder = inOrder.then(() =>
        this.onStatus(machineId, payload).catch((error) =>
          toSocketError(error, { machine: code, event: DeviceToServerEvent.Status })
        )
      )
    })

    // Firmware rollouts (PROTOCOL.md §13.1): progress of an offered update.
    socket.on(DeviceToServerEvent.OtaProgress, (payload: unknown) => {
      // No ack in the protocol: a failure is only logged.
      inOrder = inOrder.then(() =>
        this.onOtaProgress(machineId, payload).catch((error) =>
          toSocketError(error, { machine: code, event: DeviceToServerEvent.OtaProgress })
        )
      )
    })

    // Answers to remote operations: config_applied, reboot_ack, log_lines.
    this.deviceOperations.register(socket, machineId, code)

    // A buy landing between the join below and the query for awaiting
    // orders sends its own command to this socket: the commands it has
    // carried are not sent again by the re-send loop.
    const carried = new Set<string>()
    const noteCarried = (event: string, payload?: { command_id?: unknown }) => {
      if (event === ServerToDeviceEvent.Vend && typeof payload?.command_id === 'string') {
        carried.add(payload.command_id)
      }
    }
    socket.onAnyOutgoing(noteCarried)

    socket.join(Rooms.machine(machineId))
    void this.monitor.record(machineId, 'link', 'connect', {
      transport: socket.conn.transport.name,
      address: socket.handshake.address,
    })
    // Online first (this also counts as seen now): once the device has its
    // `hello`, buys for it succeed.
    await this.presence.setConnection(machineId, true)
    const hello: HelloMessage = { machine: code, server_time: new Date().toISOString() }
    // Recorded first: once the device has its `hello`, the monitor shows it.
    await this.monitor.record(machineId, 'out', ServerToDeviceEvent.Hello, { ...hello })
    socket.emit(ServerToDeviceEvent.Hello, hello)
    // Display codes go to this room, joined only now: a rotation racing
    // this connect must not reach the device before its `hello`.
    socket.join(Rooms.display(machineId))
    logger.info({ machine: code }, 'device connected')
    // Not awaited: re-sending commands must not wait on the code's writes
    // (a buy landing meanwhile would be found below and sent twice).
    void this.showDisplayCode(machineId)

    const awaiting = await Order.query()
      .where('machine_id', machineId)
      .whereIn('status', [...AWAITING_RESULT])
      .orderBy('id')
    try {
      for (const order of awaiting) {
        if (!this.channel.isCurrent(machineId, socket)) return
        if (order.status === OrderStatus.Pending) {
          await this.dispatchVend.handle(order)
        } else if (!carried.has(order.commandId)) {
          this.dispatchVend.send(order)
        }
      }
    } finally {
      socket.offAnyOutgoing(noteCarried)
    }
    // A pending firmware update is offered once the machine is back and idle.
    if (this.channel.isCurrent(machineId, socket)) {
      void this.rolloutDispatcher.dispatchMachine(machineId)
    }
  }

  /**
   * On connect: the machine's current display code, or a new one
   * (`RotateDisplayCodes.showOnConnect`). A failure is logged and leaves
   * the code to the next sweep.
   */
  protected async showDisplayCode(machineId: number) {
    try {
      await this.rotateDisplayCodes.showOnConnect(machineId)
    } catch (error) {
      logger.error({ err: error, machineId }, 'sending the display code failed')
    }
  }

  /**
   * `vend_result { command_id, result }` → ack `{ ok: true }`, or
   * `{ ok: false, error: "invalid_payload" }` for a malformed one. A
   * repeated or unknown command id changes nothing and is still acked, so
   * the device stops resending it.
   */
  protected async onVendResult(machineId: number, payload: unknown): Promise<VendResultAck> {
    // The validator's output is the protocol's message shape (checked here by the compiler).
    let parsed: VendResultMessage
    try {
      parsed = await vendResultValidator.validate(payload)
    } catch {
      void this.monitor.record(machineId, 'in', DeviceToServerEvent.VendResult, {
        error: INVALID_PAYLOAD,
      })
      return { ok: false, error: INVALID_PAYLOAD }
    }
    const outcome = await this.recordVendResult.handle(machineId, parsed.command_id, parsed.result)
    if (outcome === 'unknown_command' || outcome === 'ignored') {
      logger.info(
        { machineId, commandId: parsed.command_id, outcome },
        'vend result changed nothing'
      )
    }
    // The ack does not wait for the monitor: a busy machine's write queue
    // (one `vend` event per order) held acks for tens of seconds in
    // bench/vend_latency.ts, and a device resends unacked results. The
    // queue still records it in order, just after the ack.
    void this.monitor.record(machineId, 'in', DeviceToServerEvent.VendResult, {
      command_id: parsed.command_id,
      result: parsed.result,
      outcome,
    })
    // The vend settled: the machine may be free for a pending firmware update.
    if (outcome !== 'unknown_command') void this.rolloutDispatcher.dispatchMachine(machineId)
    return { ok: true }
  }

  /**
   * `status { ... }` telemetry: stored (`RecordDeviceStatus`); an invalid
   * payload is ignored as a whole and only noted in the monitor.
   */
  protected async onStatus(machineId: number, payload: unknown) {
    let telemetry: Awaited<ReturnType<typeof deviceStatusValidator.validate>>
    try {
      telemetry = await deviceStatusValidator.validate(payload ?? {})
    } catch {
      void this.monitor.record(machineId, 'in', DeviceToServerEvent.Status, {
        error: INVALID_PAYLOAD,
      })
      return
    }
    await this.recordDeviceStatus.handle(machineId, telemetry)
    // The new firmware reporting in confirms its update, even if the
    // `confirmed` frame was lost.
    await this.recordOtaProgress.noteFirmware(machineId, telemetry.firmware)
  }

  /**
   * `ota_progress { version?, state, percent?, reason? }` (firmware/PROTOCOL.md
   * §13.1): recorded on the machine's update (`RecordOtaProgress`); an
   * invalid frame is ignored and noted in the monitor.
   */
  protected async onOtaProgress(machineId: number, payload: unknown) {
    let frame: OtaProgressMessage
    try {
      frame = await otaProgressValidator.validate(payload ?? {})
    } catch {
      void this.monitor.record(machineId, 'in', DeviceToServerEvent.OtaProgress, {
        error: INVALID_PAYLOAD,
      })
      return
    }
    const outcome = await this.recordOtaProgress.handle(machineId, frame)
    void this.monitor.record(machineId, 'in', DeviceToServerEvent.OtaProgress, {
      ...frame,
      outcome,
    })
  }
}
