import app from '@adonisjs/core/services/app'
import { io, type Socket } from 'socket.io-client'
import PublishFirmwareRelease from '#actions/firmware/publish_firmware_release'
import type FirmwareRelease from '#models/firmware_release'
import FirmwareRolloutTarget from '#models/firmware_rollout_target'
import FirmwareRollout from '#models/firmware_rollout'
import User from '#models/user'
import { Role } from '#enums/role'
import type { RolloutTargetState } from '#enums/rollout_target_state'
import type { RolloutStatus } from '#enums/rollout_status'
import {
  AdminEvent,
  DeviceToServerEvent,
  Namespaces,
  ServerToDeviceEvent,
  type OtaCommand,
  type OtaProgressMessage,
} from '#services/device_protocol'
import { issueLiveTicket } from '#services/live_tickets'
import { TestDevice, eventually } from '#tests/helpers/device'
import { TEST_DEVICE_KEY } from '#database/factories/machine_factory'
import { firmwareImage, imageFile, useSigningKey } from '#tests/helpers/firmware'
import { baseUrl } from '#tests/helpers/server'

/**
 * Publishes release `version` (a random image of `bytes`) with a fresh
 * signing key, as an operator would.
 */
export async function publishRelease(version: string, bytes = 4096): Promise<FirmwareRelease> {
  const key = useSigningKey()
  const file = await imageFile(firmwareImage(bytes))
  try {
    const publish = await app.container.make(PublishFirmwareRelease)
    return await publish.handle(null, { version, imagePath: file.path })
  } finally {
    key.restore()
    await file.remove()
  }
}

/**
 * Records the `ota` commands a test device receives, and sends its
 * `ota_progress` frames.
 */
export class OtaListener {
  readonly offers: OtaCommand[] = []

  constructor(readonly device: TestDevice) {
    device.socket.on(ServerToDeviceEvent.Ota, (command: OtaCommand) => this.offers.push(command))
  }

  /** Resolves with the `count`-th offer (1-based) once it arrived. */
  offer(count = 1, timeoutMs = 5000): Promise<OtaCommand> {
    return eventually(async () => this.offers[count - 1], timeoutMs)
  }

  /**
   * From now on, answers every `ota` as the firmware would (PROTOCOL.md
   * §13.1): with `confirmed`, the whole way (downloading, verifying,
   * rebooting, then `status` with the new firmware and `confirmed`); with
   * a reason, `downloading` then `failed` with it.
   */
  answerWith(outcome: 'confirmed' | { failed: string }): void {
    this.device.socket.on(ServerToDeviceEvent.Ota, (command: OtaCommand) => {
      const version = command.version
      this.progress({ version, state: 'downloading', percent: 0 })
      if (outcome !== 'confirmed') {
        this.progress({ version, state: 'failed', reason: outcome.failed })
        return
      }
      this.progress({ version, state: 'downloading', percent: 100 })
      this.progress({ version, state: 'verifying' })
      this.progress({ version, state: 'rebooting' })
      this.status(version)
      this.progress({ version, state: 'confirmed' })
    })
  }

  progress(frame: OtaProgressMessage): void {
    this.device.socket.emit(DeviceToServerEvent.OtaProgress, frame)
  }

  status(firmware: string): void {
    this.device.socket.emit(DeviceToServerEvent.Status, { firmware })
  }
}

/**
 * Connects a test device for machine `code` (the factory key) that
 * records `ota` from the start: an offer made as it connects may reach it
 * in the same read as its `hello`.
 */
export function connectListening(code: string): Promise<{ device: TestDevice; ota: OtaListener }> {
  return new Promise((resolve, reject) => {
    const socket = io(`${baseUrl()}${Namespaces.Devices}`, {
      auth: { machine: code, key: TEST_DEVICE_KEY },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    })
    const device = new TestDevice(socket)
    const ota = new OtaListener(device)
    socket.once(ServerToDeviceEvent.Hello, () => resolve({ device, ota }))
    socket.once('connect_error', (error) => reject(error))
  })
}

/**
 * Waits until machine `machineId`'s target in rollout `rolloutId` is in
 * `state`, and returns it.
 */
export function targetInState(
  rolloutId: number,
  machineId: number,
  state: RolloutTargetState,
  timeoutMs = 5000
): Promise<FirmwareRolloutTarget> {
  return eventually(async () => {
    const target = await FirmwareRolloutTarget.query()
      .where('rollout_id', rolloutId)
      .where('machine_id', machineId)
      .first()
    return target?.state === state ? target : null
  }, timeoutMs)
}

/**
 * Waits until rollout `rolloutId` is in `status`, and returns it. The
 * rollout settles after its target's answer is committed, so a test that
 * saw the target change must still wait for the rollout.
 */
export function rolloutInStatus(
  rolloutId: number,
  status: RolloutStatus,
  timeoutMs = 10_000
): Promise<FirmwareRollout> {
  return eventually(async () => {
    const rollout = await FirmwareRollout.find(rolloutId)
    return rollout?.status === status ? rollout : null
  }, timeoutMs)
}

/** Resolves after `ms` milliseconds. */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/**
 * A dashboard socket on `/admin` of a fresh admin, recording the
 * `rollout_changed` it hears.
 */
export async function connectDashboard(): Promise<{ socket: Socket; changes: number[] }> {
  const admin = await User.create({
    username: `admin-${Math.random().toString(36).slice(2, 8)}`,
    role: Role.Admin,
    email: `ops-${Math.random().toString(36).slice(2, 8)}@example.com`,
    password: 'secret-password-123',
    balancePaise: 0,
  })
  const socket = io(`${baseUrl()}/admin`, {
    auth: { ticket: issueLiveTicket(admin.id, 'admin-live') },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  })
  const changes: number[] = []
  socket.on(AdminEvent.RolloutChanged, (message: { rollout_id: number }) =>
    changes.push(message.rollout_id)
  )
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve())
    socket.once('connect_error', reject)
  })
  return { socket, changes }
}
