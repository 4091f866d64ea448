import { test } from '@japa/runner'
import { io, type Socket } from 'socket.io-client'
import { DateTime } from 'luxon'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import vendingConfig from '#config/vending'
import { MachineStatus } from '#enums/machine_status'
import DeviceEvent from '#models/device_event'
import Machine from '#models/machine'
import RotateDisplayCodes from '#actions/machines/rotate_display_codes'
import VendSweeper from '#jobs/vend_sweeper'
import { dbTimestamp } from '#services/db_helpers'
import { truncateAll } from '#tests/helpers/database'
import { baseUrl } from '#tests/helpers/server'
import { createMachine, eventually, waitUntilOnline } from '#tests/helpers/device'
import { closeAfter, waitForMachineStatus } from '#tests/helpers/device_session'
import { MachineFactory } from '#database/factories/machine_factory'

/**
 * `display_code` as the device receives it.
 */
interface DisplayCode {
  code: string
  ttl_ms: number
}

/**
 * A device on `/devices` that records, in order, the events it receives
 * (listeners attached before the connect, so nothing right after `hello`
 * can be missed) and every `display_code`.
 */
class CodeWatcher {
  readonly events: string[] = []
  readonly codes: DisplayCode[] = []

  constructor(readonly socket: Socket) {
    socket.onAny((event: string, payload: unknown) => {
      this.events.push(event)
      if (event === 'display_code') this.codes.push(payload as DisplayCode)
    })
  }

  /**
   * Resolves with the `count`-th `display_code` (1-based) once it arrived.
   */
  nthCode(count: number): Promise<DisplayCode> {
    return eventually(async () => this.codes[count - 1])
  }

  close() {
    this.socket.disconnect()
  }
}

function watch(machine: string, key: string): Promise<CodeWatcher> {
  return new Promise((resolve, reject) => {
    const socket = io(`${baseUrl()}/devices`, {
      auth: { machine, key },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    })
    const watcher = new CodeWatcher(socket)
    socket.once('hello', () => resolve(watcher))
    socket.once('connect_error', reject)
  })
}

/**
 * A clock just past the machine's current code's expiry.
 */
async function afterExpiry(machineId: number) {
  const machine = await Machine.findOrFail(machineId)
  return machine.displayCodeExpiresAt!.plus({ seconds: 1 })
}

test.group('Display codes (presence check)', (group) => {
  group.each.setup(truncateAll)
  // Only the tests rotate codes: a sweep racing a connect would send a
  // second `display_code` and make the counts below vary.
  group.each.setup(async () => {
    const sweeper = await app.container.make(VendSweeper)
    await sweeper.stop()
    return () => sweeper.start()
  })

  test('a connected device gets display_code { code, ttl_ms } right after hello', async ({
    assert,
    cleanup,
  }) => {
    const opened = closeAfter(cleanup)
    const { machine, key } = await createMachine()
    const before = DateTime.now().startOf('second')

    const device = opened(await watch(machine.code, key))
    const shown = await device.nthCode(1)

    assert.deepEqual(device.events.slice(0, 2), ['hello', 'display_code'])
    assert.deepEqual(Object.keys(shown).sort(), ['code', 'ttl_ms'])
    assert.match(shown.code, /^\d{4}$/)
    assert.equal(shown.ttl_ms, vendingConfig.displayCodeTtlMs)

    const stored = await Machine.findOrFail(machine.id)
    assert.equal(stored.displayCode, shown.code)
    assert.isAtLeast(
      stored.displayCodeExpiresAt!.toMillis(),
      before.plus({ milliseconds: vendingConfig.displayCodeTtlMs }).toMillis()
    )
    assert.isAtMost(
      stored.displayCodeExpiresAt!.toMillis(),
      DateTime.now().plus({ milliseconds: vendingConfig.displayCodeTtlMs }).toMillis()
    )
    assert.isNull(stored.previousDisplayCode)
    assert.notProperty(stored.serialize(), 'displayCode')
  })

  test('a device that reconnects while its code is valid gets the same code with the time it has left', async ({
    assert,
    cleanup,
  }) => {
    const opened = closeAfter(cleanup)
    const { machine, key } = await createMachine()
    const first = opened(await watch(machine.code, key))
    const shown = await first.nthCode(1)
    first.close()
    await waitForMachineStatus(machine.id, MachineStatus.Offline)

    const again = opened(await watch(machine.code, key))
    const reshown = await again.nthCode(1)

    assert.equal(reshown.code, shown.code)
    assert.isAbove(reshown.ttl_ms, 0)
    assert.isAtMost(reshown.ttl_ms, vendingConfig.displayCodeTtlMs)
  })

  test('an expired code is rotated and the device gets the new one; the old one is kept for the grace period', async ({
    assert,
    cleanup,
  }) => {
    const opened = closeAfter(cleanup)
    const { machine, key } = await createMachine()
    const device = opened(await watch(machine.code, key))
    const first = await device.nthCode(1)
    const rotate = await app.container.make(RotateDisplayCodes)
    const oldExpiry = (await Machine.findOrFail(machine.id)).displayCodeExpiresAt!

    assert.equal(await rotate.handle(), 0, 'a valid code is left alone')
    const later = await afterExpiry(machine.id)
    assert.equal(await rotate.handle(later), 1)
    const second = await device.nthCode(2)

    assert.match(second.code, /^\d{4}$/)
    assert.notEqual(second.code, first.code)
    assert.equal(second.ttl_ms, vendingConfig.displayCodeTtlMs)
    const stored = await Machine.findOrFail(machine.id)
    assert.equal(stored.displayCode, second.code)
    assert.equal(stored.previousDisplayCode, first.code)
    // Whole seconds: SQLite stores no milliseconds.
    const seconds = (at: DateTime) => Math.floor(at.toSeconds())
    assert.equal(
      seconds(stored.displayCodeExpiresAt!),
      seconds(later.plus({ milliseconds: vendingConfig.displayCodeTtlMs }))
    )
    // The grace runs from the old code's expiry.
    assert.equal(
      seconds(stored.previousDisplayCodeUntil!),
      seconds(oldExpiry.plus({ milliseconds: vendingConfig.displayCodeGraceMs }))
    )

    assert.equal(await rotate.handle(later), 0, 'the new code is valid at that clock')
    await new Promise((resolve) => setTimeout(resolve, 100))
    assert.lengthOf(device.codes, 2)
  })

  test('two racing rotations of one expired code give exactly one new code', async ({
    assert,
    cleanup,
  }) => {
    const opened = closeAfter(cleanup)
    const { machine, key } = await createMachine()
    const device = opened(await watch(machine.code, key))
    await device.nthCode(1)
    const later = await afterExpiry(machine.id)
    const rotations = await Promise.all(
      Array.from({ length: 5 }, () => app.container.make(RotateDisplayCodes))
    )

    const rotated = await Promise.all(rotations.map((rotation) => rotation.handle(later)))

    assert.equal(
      rotated.reduce((sum, count) => sum + count, 0),
      1
    )
    await device.nthCode(2)
    await new Promise((resolve) => setTimeout(resolve, 100))
    assert.lengthOf(device.codes, 2)
    assert.equal((await Machine.findOrFail(machine.id)).displayCode, device.codes[1].code)
  })

  test('the sweeper rotates expired codes on its own', async ({ assert, cleanup }) => {
    const opened = closeAfter(cleanup)
    const { machine, key } = await createMachine()
    const device = opened(await watch(machine.code, key))
    const first = await device.nthCode(1)
    const past = DateTime.now().minus({ minutes: 5 })
    await db
      .from('machines')
      .where('id', machine.id)
      .update({ display_code_expires_at: dbTimestamp(db.connection(), past) })

    await (await app.container.make(VendSweeper)).sweep()

    const second = await device.nthCode(2)
    assert.notEqual(second.code, first.code)
    // Expired long before this rotation: no grace left for it.
    const stored = await Machine.findOrFail(machine.id)
    assert.isBelow(stored.previousDisplayCodeUntil!.toMillis(), Date.now())
  })

  test('offline machines and machines in maintenance are not rotated', async ({ assert }) => {
    const past = DateTime.now().minus({ minutes: 5 })
    const offline = await MachineFactory.merge({
      displayCode: '1234',
      displayCodeExpiresAt: past,
    }).create()
    const maintenance = await MachineFactory.apply('maintenance')
      .merge({ displayCode: '5678', displayCodeExpiresAt: past })
      .create()
    const fresh = await MachineFactory.create()
    const rotate = await app.container.make(RotateDisplayCodes)

    assert.equal(await rotate.handle(DateTime.now().plus({ hours: 1 })), 0)

    assert.equal((await Machine.findOrFail(offline.id)).displayCode, '1234')
    assert.equal((await Machine.findOrFail(maintenance.id)).displayCode, '5678')
    assert.isNull((await Machine.findOrFail(fresh.id)).displayCode)
  })

  test('the communication monitor records display_code with its ttl_ms, never the code', async ({
    assert,
    cleanup,
  }) => {
    const opened = closeAfter(cleanup)
    const { machine, key } = await createMachine()
    const device = opened(await watch(machine.code, key))
    await waitUntilOnline(machine.id)
    const first = await device.nthCode(1)
    await (await app.container.make(RotateDisplayCodes)).handle(await afterExpiry(machine.id))
    const second = await device.nthCode(2)

    const recorded = await eventually(async () => {
      const rows = await DeviceEvent.query()
        .where('machine_id', machine.id)
        .where('event', 'display_code')
        .orderBy('id')
      return rows.length === 2 ? rows : null
    })
    assert.deepEqual(
      recorded.map((row) => [row.direction, row.payload]),
      [
        ['out', { ttl_ms: vendingConfig.displayCodeTtlMs }],
        ['out', { ttl_ms: vendingConfig.displayCodeTtlMs }],
      ]
    )
    const everything = JSON.stringify(
      (await DeviceEvent.query().where('machine_id', machine.id)).map((row) => row.payload)
    )
    assert.notInclude(everything, `"${first.code}"`)
    assert.notInclude(everything, `"${second.code}"`)
  })
})
