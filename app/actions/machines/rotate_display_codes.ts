import { randomInt } from 'node:crypto'
import { inject } from '@adonisjs/core'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import vendingConfig from '#config/vending'
import { MachineStatus } from '#enums/machine_status'
import Machine from '#models/machine'
import DeviceChannel from '#services/device_channel'
import DeviceMonitor from '#services/device_monitor'
import { ServerToDeviceEvent, type DisplayCodeMessage } from '#services/device_protocol'
import { affectedRows, dbTimestamp } from '#services/db_helpers'

/**
 * The presence check's codes: every online machine shows a
 * short code on its display, valid for `DISPLAY_CODE_TTL_MS` (default
 * 120 s), which a machine can require shoppers to quote when buying
 * (`TakeUnit`), so nobody can buy from it without standing in front of it.
 *
 * A new code is 4 random digits (`crypto.randomInt`), never the code it
 * replaces. The replaced code stays accepted until `DISPLAY_CODE_GRACE_MS`
 * (default 15 s) after it expired. The device gets `display_code
 * { code, ttl_ms }` on `/devices` (firmware/PROTOCOL.md), on connect and on
 * each rotation. Run on every sweep by `VendSweeper`, and for one machine
 * by the `/devices` handlers when its device connects.
 */
@inject()
export default class RotateDisplayCodes {
  constructor(
    protected channel: DeviceChannel,
    protected monitor: DeviceMonitor
  ) {}

  /**
   * Gives every online machine whose code is missing or expired a new one
   * and sends it to the device.
   *
   * @param now the clock (tests pass a later time instead of waiting)
   * @returns how many machines got a new code
   */
  async handle(now: DateTime = DateTime.now()): Promise<number> {
    const due = await Machine.query()
      .where('status', MachineStatus.Online)
      .where((query) => {
        query
          .whereNull('display_code')
          .orWhereNull('display_code_expires_at')
          .orWhere('display_code_expires_at', '<=', dbTimestamp(db.connection(), now))
      })
      .orderBy('id')
      .limit(500)

    let rotated = 0
    for (const machine of due) {
      if (await this.rotate(machine, now)) rotated++
    }
    return rotated
  }

  /**
   * A device just connected (after its `hello`): sends the machine's code
   * when it is still valid, with the time it has left, else rotates it now.
   * Only an online machine shows a code, as in `handle`: one in
   * maintenance refuses buys anyway, and gets its code from the next sweep
   * once maintenance is lifted.
   *
   * @returns whether a code was sent
   */
  async showOnConnect(machineId: number, now: DateTime = DateTime.now()): Promise<boolean> {
    let machine = await Machine.find(machineId)
    if (machine?.status !== MachineStatus.Online) return false
    if (!this.isValid(machine, now)) {
      if (await this.rotate(machine, now)) return true
      // Another rotation won the race (a sweep, or the connection this one
      // replaced) and may have sent before this device could hear it.
      machine = await Machine.find(machineId)
    }
    if (!machine || !this.isValid(machine, now)) return false
    const remainingMs = Math.ceil(machine.displayCodeExpiresAt!.diff(now).as('milliseconds'))
    await this.sendDisplayCode(machine.id, machine.displayCode!, remainingMs)
    return true
  }

  /**
   * Whether `machine` has a code that has not expired at `now`.
   */
  protected isValid(machine: Machine, now: DateTime): boolean {
    return (
      machine.displayCode !== null &&
      machine.displayCodeExpiresAt !== null &&
      machine.displayCodeExpiresAt > now
    )
  }

  /**
   * Replaces `machine`'s code (as loaded) with a conditional UPDATE that
   * only matches while the row still holds the code that was read and it
   * is still expired: of two racing rotations (two processes' sweeps, a
   * sweep and a connect) exactly one wins, and only the winner sends.
   *
   * @returns whether this call rotated the code
   */
  protected async rotate(machine: Machine, now: DateTime): Promise<boolean> {
    const connection = db.connection()
    const old = machine.displayCode
    const oldExpiresAt = machine.displayCodeExpiresAt
    const code = this.newCode(old)
    const expiresAt = now.plus({ milliseconds: vendingConfig.displayCodeTtlMs })

    const query = connection.from('machines').where('id', machine.id)
    if (old === null) query.whereNull('display_code')
    else query.where('display_code', old)
    query.where((expiry) => {
      expiry
        .whereNull('display_code_expires_at')
        .orWhere('display_code_expires_at', '<=', dbTimestamp(connection, now))
    })
    const result = await query.update({
      display_code: code,
      display_code_expires_at: dbTimestamp(connection, expiresAt),
      display_code_failures: 0,
      // The grace counts from the old code's expiry, not from this
      // rotation: a machine that was offline for an hour must not revive
      // the code it showed then.
      previous_display_code: old,
      previous_display_code_until:
        old && oldExpiresAt
          ? dbTimestamp(
              connection,
              DateTime.min(oldExpiresAt, now).plus({
                milliseconds: vendingConfig.displayCodeGraceMs,
              })
            )
          : null,
    })
    if (affectedRows(result) !== 1) return false

    await this.sendDisplayCode(machine.id, code, vendingConfig.displayCodeTtlMs)
    return true
  }

  /**
   * Sends a machine its presence code: `display_code { code, ttl_ms }` on
   * `/devices`, `ttl_ms` being how long the display shows it (ms), to the
   * machine's devices that have had their `hello` (room `display:<id>`).
   * The monitor records only `{ ttl_ms }`: the code is for people standing
   * at the machine, not for anyone reading the panel's log.
   */
  protected async sendDisplayCode(machineId: number, code: string, ttlMs: number): Promise<void> {
    // Recorded first, as `hello` is: once the device has it, the monitor shows it.
    await this.monitor.record(machineId, 'out', ServerToDeviceEvent.DisplayCode, { ttl_ms: ttlMs })
    this.channel.sendToGreeted(machineId, ServerToDeviceEvent.DisplayCode, {
      code,
      ttl_ms: ttlMs,
    } satisfies DisplayCodeMessage)
  }

  /**
   * Four random digits, never `current`.
   */
  protected newCode(current: string | null): string {
    for (;;) {
      const code = randomInt(0, 10_000).toString().padStart(4, '0')
      if (code !== current) return code
    }
  }
}
