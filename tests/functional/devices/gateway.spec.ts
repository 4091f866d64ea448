import { randomUUID } from 'node:crypto'
import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import { io } from 'socket.io-client'
import db from '@adonisjs/lucid/services/db'
import { MachineStatus } from '#enums/machine_status'
import Machine from '#models/machine'
import DeviceEvent from '#models/device_event'
import vendingConfig from '#config/vending'
import { truncateAll } from '#tests/helpers/database'
import { baseUrl } from '#tests/helpers/server'
import { connectDevice, createMachine, eventually, waitUntilOnline } from '#tests/helpers/device'
import {
  closeAfter,
  disconnection,
  channel,
  waitForMachineStatus,
} from '#tests/helpers/device_session'
import { createShopper } from '#tests/helpers/shopper'
import { buyThroughApi } from '#tests/helpers/live_orders'

/**
 * Connects to `/devices` with `auth` and resolves with the connect error's
 * message; rejects when the connect is accepted.
 */
function refusal(auth: Record<string, unknown> | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = io(`${baseUrl()}/devices`, {
      auth,
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    })
    socket.once('connect_error', (error) => {
      socket.disconnect()
      resolve(error.message)
    })
    socket.once('connect', () => {
      socket.disconnect()
      reject(new Error('the connect was accepted'))
    })
  })
}

test.group('Device gateway: connect and presence', (group) => {
  group.each.setup(truncateAll)

  test('refuses a wrong device key with invalid_credentials', async ({ assert }) => {
    const { machine } = await createMachine({ key: 'the-right-key' })

    assert.equal(
      await refusal({ machine: machine.code, key: 'a-wrong-key' }),
      'invalid_credentials'
    )
    assert.equal((await Machine.findOrFail(machine.id)).status, MachineStatus.Offline)
  })

  test('refuses an unknown machine with invalid_credentials', async ({ assert }) => {
    const { key } = await createMachine()

    assert.equal(await refusal({ machine: 'no-such-machine', key }), 'invalid_credentials')
  })

  test('refuses a connect without auth, or with auth of the wrong shape', async ({ assert }) => {
    const { machine, key } = await createMachine()

    assert.equal(await refusal(undefined), 'invalid_credentials')
    assert.equal(await refusal({ machine: machine.code }), 'invalid_credentials')
    assert.equal(await refusal({ machine_id: machine.id, token: key }), 'invalid_credentials')
    assert.equal(await refusal({ machine: machine.code, key: 42 }), 'invalid_credentials')
  })

  test('greets an accepted device with hello { machine, server_time }', async ({
    assert,
    cleanup,
  }) => {
    const opened = closeAfter(cleanup)
    const { machine, key } = await createMachine()
    const before = Date.now()

    const hello = await new Promise<Record<string, unknown>>((resolve, reject) => {
      const socket = io(`${baseUrl()}/devices`, {
        auth: { machine: machine.code, key },
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
      })
      opened({ close: () => void socket.disconnect() })
      socket.once('hello', resolve)
      socket.once('connect_error', reject)
    })

    assert.deepEqual(Object.keys(hello).sort(), ['machine', 'server_time'])
    assert.equal(hello.machine, machine.code)
    assert.match(String(hello.server_time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    const serverTime = Date.parse(String(hello.server_time))
    assert.isAtLeast(serverTime, before - 1000)
    assert.isAtMost(serverTime, Date.now() + 1000)
  })

  test('marks the machine online on connect and offline on disconnect', async ({
    assert,
    cleanup,
  }) => {
    const opened = closeAfter(cleanup)
    const { machine, key } = await createMachine()
    assert.isNull((await Machine.findOrFail(machine.id)).lastSeenAt)
    const device = opened(await connectDevice(machine.code, key))

    const online = await waitForMachineStatus(machine.id, MachineStatus.Online)
    assert.isNotNull(online.lastSeenAt)
    assert.isTrue(await (await channel()).isConnected(machine.id))

    device.close()
    await waitForMachineStatus(machine.id, MachineStatus.Offline)
    assert.isFalse(await (await channel()).isConnected(machine.id))
  })

  test('keeps an operator maintenance status through connect and disconnect', async ({
    assert,
    cleanup,
  }) => {
    const opened = closeAfter(cleanup)
    const { machine, key } = await createMachine()
    await db.from('machines').where('id', machine.id).update({ status: MachineStatus.Maintenance })

    const device = opened(await connectDevice(machine.code, key))
    // The connect is handled once last_seen_at is written.
    const seen = await eventually(async () => {
      const current = await Machine.findOrFail(machine.id)
      return current.lastSeenAt ? current : null
    })
    assert.equal(seen.status, MachineStatus.Maintenance)

    await db
      .from('machines')
      .where('id', machine.id)
      .update({ last_seen_at: '2020-01-01 00:00:00' })
    device.close()
    // The disconnect is handled once last_seen_at moves again.
    const after = await eventually(async () => {
      const current = await Machine.findOrFail(machine.id)
      return current.lastSeenAt!.year > 2020 ? current : null
    })
    assert.equal(after.status, MachineStatus.Maintenance)
  })

  test('a second connection of the machine replaces the first, which is disconnected', async ({
    client,
    assert,
    cleanup,
  }) => {
    const opened = closeAfter(cleanup)
    const { machine, key, product } = await createMachine()
    const first = opened(await connectDevice(machine.code, key))
    await waitUntilOnline(machine.id)
    const dropped = disconnection(first)

    const second = opened(await connectDevice(machine.code, key))

    assert.equal(await dropped, 'io server disconnect')
    assert.isTrue(second.socket.connected)
    await waitUntilOnline(machine.id)

    // Still online after the old socket's disconnect, and commands reach the new one.
    const { token } = await createShopper({ balancePaise: 10_000 })
    const order = await buyThroughApi(client, token, product, machine)
    const command = await second.nextVend()
    assert.equal(command.order_id, order.id)
    assert.lengthOf(first.commands, 0)
    assert.equal((await Machine.findOrFail(machine.id)).status, MachineStatus.Online)
  })

  test('stores status telemetry on the machine, dropping unknown fields', async ({
    assert,
    cleanup,
  }) => {
    const opened = closeAfter(cleanup)
    const { machine, key } = await createMachine()
    const device = opened(await connectDevice(machine.code, key))

    device.socket.emit('status', {
      firmware: 'vendora-esp32-1.4.2',
      rssi: -67,
      free_heap: 171_204,
      uptime_ms: 98_000,
      sensor_ok: true,
      secret_debug_blob: 'x'.repeat(100),
    })

    const stored = await eventually(async () => {
      const current = await Machine.findOrFail(machine.id)
      return current.firmwareVersion ? current : null
    })
    assert.equal(stored.firmwareVersion, 'vendora-esp32-1.4.2')
    assert.deepEqual(stored.telemetry, {
      firmware: 'vendora-esp32-1.4.2',
      rssi: -67,
      free_heap: 171_204,
      uptime_ms: 98_000,
      sensor_ok: true,
    })
    assert.isNotNull(stored.lastSeenAt)
  })

  test('stores the device health telemetry: reset reason, heap low mark, reconnects, pending results, per-slot counters, addresses', async ({
    assert,
    cleanup,
  }) => {
    const opened = closeAfter(cleanup)
    const { machine, key } = await createMachine()
    const device = opened(await connectDevice(machine.code, key))
    const health = {
      firmware: 'vendora-esp32-1.5.0',
      reset_reason: 'brownout',
      min_free_heap: 120_448,
      reconnects: 3,
      pending_results: 1,
      slots: [
        { slot: 1, cycles: 42, jams: 0 },
        { slot: 2, cycles: 17, jams: 2 },
      ],
      ip: '192.168.1.57',
      mac: '24:6F:28:AB:CD:EF',
    }

    device.socket.emit('status', health)

    const stored = await eventually(async () => {
      const current = await Machine.findOrFail(machine.id)
      return current.firmwareVersion ? current : null
    })
    assert.deepEqual(stored.telemetry, health)
  })

  test('a status with any invalid health field is ignored as a whole', async ({
    assert,
    cleanup,
  }) => {
    const opened = closeAfter(cleanup)
    const { machine, key } = await createMachine()
    const device = opened(await connectDevice(machine.code, key))

    for (const invalid of [
      { firmware: 'bad-mac', mac: '24:6F:28:AB:CD' },
      { firmware: 'bad-ip', ip: 'not-an-address' },
      { firmware: 'bad-slot', slots: [{ slot: 0, cycles: 1, jams: 0 }] },
      {
        firmware: 'too-many-slots',
        slots: Array.from({ length: 65 }, (_, i) => ({ slot: i + 1, cycles: 0, jams: 0 })),
      },
      { firmware: 'fraction', reconnects: 1.5 },
    ]) {
      device.socket.emit('status', invalid)
    }
    // A valid one after them: once it is stored, the invalid ones were handled before it.
    device.socket.emit('status', { firmware: 'good', reconnects: 0 })

    const stored = await eventually(async () => {
      const current = await Machine.findOrFail(machine.id)
      return current.firmwareVersion === 'good' ? current : null
    })
    assert.deepEqual(stored.telemetry, { firmware: 'good', reconnects: 0 })
    // Each refusal is in the communication monitor.
    await eventually(async () => {
      const refused = await db
        .from('device_events')
        .where('machine_id', machine.id)
        .where('event', 'status')
        .whereLike('payload', '%invalid_payload%')
      return refused.length === 5
    })
  })

  test('keeps last_seen_at current from device traffic while online, written at most once per LAST_SEEN_WRITE_MS', async ({
    assert,
    cleanup,
  }) => {
    const intervalMs = 1500
    const configured = vendingConfig.lastSeenWriteMs
    vendingConfig.lastSeenWriteMs = intervalMs
    cleanup(() => {
      vendingConfig.lastSeenWriteMs = configured
    })
    const opened = closeAfter(cleanup)
    const { machine, key } = await createMachine()
    const device = opened(await connectDevice(machine.code, key))
    const connectedAt = Date.now()
    await waitUntilOnline(machine.id)

    const backdate = () =>
      db.from('machines').where('id', machine.id).update({ last_seen_at: '2020-01-01 00:00:00' })
    const lastSeen = async () => (await Machine.findOrFail(machine.id)).lastSeenAt!
    let sent = 0
    // Device traffic: results for commands the server does not know, acked
    // and recorded in the monitor. The monitor row is queued after any
    // last_seen_at write the packet caused, so once it exists that write ran.
    const traffic = async (times: number) => {
      for (let i = 0; i < times; i++)
        assert.deepEqual(await device.report(randomUUID(), 'dropped'), { ok: true })
      sent += times
      await eventually(async () => {
        const rows = await DeviceEvent.query()
          .where('machine_id', machine.id)
          .where('event', 'vend_result')
        return rows.length === sent
      })
    }

    // Within the interval of the connect's write: traffic writes nothing.
    await backdate()
    await traffic(3)
    assert.isBelow(
      Date.now() - connectedAt,
      intervalMs,
      'the first traffic came too late to test the throttle'
    )
    assert.equal((await lastSeen()).year, 2020)

    // Past the interval: the next packet moves it to now.
    await new Promise((resolve) => setTimeout(resolve, connectedAt + intervalMs + 50 - Date.now()))
    const before = DateTime.now().minus({ seconds: 2 })
    await traffic(1)
    const written = await lastSeen()
    assert.isAbove(written.year, 2020)
    assert.isTrue(written >= before, `last_seen_at ${written.toISO()} is not current`)

    // And not again within the interval of that write.
    await backdate()
    await traffic(3)
    assert.equal((await lastSeen()).year, 2020)
  })

  test('a later status replaces the telemetry and keeps the firmware when none is given', async ({
    assert,
    cleanup,
  }) => {
    const opened = closeAfter(cleanup)
    const { machine, key } = await createMachine()
    const device = opened(await connectDevice(machine.code, key))

    device.socket.emit('status', { firmware: 'fw-1', rssi: -50 })
    await eventually(async () => (await Machine.findOrFail(machine.id)).firmwareVersion === 'fw-1')
    device.socket.emit('status', { sensor_ok: false })

    const stored = await eventually(async () => {
      const current = await Machine.findOrFail(machine.id)
      return current.telemetry?.sensor_ok === false ? current : null
    })
    assert.deepEqual(stored.telemetry, { sensor_ok: false })
    assert.equal(stored.firmwareVersion, 'fw-1')
  })
})
