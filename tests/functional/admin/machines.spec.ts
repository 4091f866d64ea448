import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import hash from '@adonisjs/core/services/hash'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import { MachineStatus } from '#enums/machine_status'
import { OrderStatus } from '#enums/order_status'
import AuditLog from '#models/audit_log'
import DeviceEvent from '#models/device_event'
import Machine from '#models/machine'
import Order from '#models/order'
import Slot from '#models/slot'
import User from '#models/user'
import DeviceMonitor from '#services/device_monitor'
import VendSweeper from '#jobs/vend_sweeper'
import FailTimedOutVends from '#actions/vends/fail_timed_out_vends'
import { UserFactory } from '#database/factories/user_factory'
import { MachineFactory, TEST_DEVICE_KEY } from '#database/factories/machine_factory'
import { truncateAll } from '#tests/helpers/database'
import { createShopper } from '#tests/helpers/shopper'
import {
  connectDevice,
  createMachine,
  createOnlineMachine,
  disconnectDevice,
  eventually,
  waitUntilOnline,
} from '#tests/helpers/device'

function createAdmin() {
  return UserFactory.apply('admin').merge({ email: 'ops@example.com' }).create()
}

/**
 * The one-time device key on a key page.
 */
function keyOn(html: string): string {
  const key = /id="device-key" class="secret">([^<]+)</.exec(html)?.[1]
  if (!key) throw new Error('no device key on the page')
  return key
}

async function ledgerRows() {
  const row = await db.from('transactions').count('* as total').first()
  return Number(row.total)
}

async function monitorEvents(machineId: number) {
  return (await DeviceEvent.query().where('machine_id', machineId).orderBy('id')).map(
    (event) => event.event
  )
}

test.group('Admin machines: access', (group) => {
  group.each.setup(truncateAll)

  test('sends an anonymous visitor to the login page', async ({ client }) => {
    const machine = await MachineFactory.create()
    for (const path of [
      '/admin/machines',
      '/admin/machines/create',
      `/admin/machines/${machine.id}`,
    ]) {
      const response = await client.get(path).header('accept', 'text/html').redirects(0)
      response.assertStatus(302)
      response.assertHeader('location', '/admin/login')
    }
  })

  test('refuses a shopper bearer token with 403, on pages and forms', async ({
    client,
    assert,
  }) => {
    const machine = await MachineFactory.create()
    const { token } = await createShopper()
    const list = await client
      .get('/admin/machines')
      .bearerToken(token)
      .header('accept', 'text/html')
    list.assertStatus(403)
    const rotate = await client
      .post(`/admin/machines/${machine.id}/key`)
      .bearerToken(token)
      .header('accept', 'text/html')
      .withCsrfToken()
      .redirects(0)
    rotate.assertStatus(403)
    const create = await client
      .post('/admin/machines')
      .bearerToken(token)
      .form({ code: 'x-1', name: 'X' })
      .withCsrfToken()
      .redirects(0)
    create.assertStatus(403)
    assert.isTrue(
      await hash.verify((await Machine.findOrFail(machine.id)).deviceKeyHash, TEST_DEVICE_KEY)
    )
    assert.isNull(await Machine.findBy('code', 'x-1'))
  })

  test('refuses a form post without a CSRF token', async ({ client, assert }) => {
    const admin = await createAdmin()
    const response = await client
      .post('/admin/machines')
      .withGuard('web')
      .loginAs(admin)
      .form({ code: 'lobby-01', name: 'Lobby' })
      .redirects(0)
    response.assertStatus(302)
    response.assertFlashMessage('errorsBag', { E_BAD_CSRF_TOKEN: 'Invalid or expired CSRF token' })
    assert.isNull(await Machine.findBy('code', 'lobby-01'))
  })
})

test.group('Admin machines: list and registration', (group) => {
  group.each.setup(truncateAll)

  test('lists machines with status, last seen, firmware and location', async ({ client }) => {
    const admin = await createAdmin()
    await MachineFactory.merge({
      code: 'lobby-01',
      name: 'Lobby snacks',
      location: 'Ground floor',
      firmwareVersion: 'vendora-esp32-0.1.0',
      lastSeenAt: DateTime.now().minus({ minutes: 3 }),
    }).create()
    await MachineFactory.apply('maintenance').merge({ code: 'gym-02' }).create()

    const page = await client.get('/admin/machines').withGuard('web').loginAs(admin)
    page.assertStatus(200)
    page.assertTextIncludes('Lobby snacks')
    page.assertTextIncludes('Ground floor')
    page.assertTextIncludes('vendora-esp32-0.1.0')
    page.assertTextIncludes('3 minutes ago')
    page.assertTextIncludes('<span class="badge maintenance" data-status>maintenance</span>')
    page.assertTextIncludes("io('/admin'")

    const fragment = await client.get('/admin/machines/live').withGuard('web').loginAs(admin)
    fragment.assertStatus(200)
    fragment.assertTextIncludes('gym-02')
  })

  test("the machine page shows the device's health telemetry and per-slot counters", async ({
    client,
    assert,
  }) => {
    const admin = await createAdmin()
    const machine = await MachineFactory.merge({
      code: 'lobby-02',
      telemetry: {
        firmware: 'vendora-esp32-1.5.0',
        free_heap: 180_224,
        uptime_ms: 7_260_000,
        sensor_ok: false,
        reset_reason: 'brownout',
        min_free_heap: 122_880,
        reconnects: 4,
        pending_results: 2,
        slots: [{ slot: 3, cycles: 57, jams: 6 }],
        ip: '10.0.4.17',
        mac: '24:6F:28:AB:CD:EF',
      },
    }).create()

    const page = await client.get(`/admin/machines/${machine.id}`).withGuard('web').loginAs(admin)
    page.assertStatus(200)
    const text = page.text().replace(/\s+/g, ' ')
    for (const shown of [
      'Last restart</th><td>brownout',
      'Up for</th><td>121 min',
      '176 KiB (120 KiB)',
      'Reconnects since restart</th><td>4',
      'Results awaiting the server</th><td>2',
      'Drop sensor</th><td>fault',
      '10.0.4.17 / 24:6F:28:AB:CD:EF',
      '<tr data-slot-counter="3"><td>3</td><td>57</td><td>6</td></tr>',
    ]) {
      assert.include(text, shown)
    }
  })

  test('the list fragment shows a machine coming online', async ({ client, cleanup }) => {
    const admin = await createAdmin()
    const { machine, device } = await createOnlineMachine({ code: 'live-01' })
    cleanup(() => disconnectDevice(device, machine.id))

    const fragment = await client.get('/admin/machines/live').withGuard('web').loginAs(admin)
    fragment.assertTextIncludes('<span class="badge online" data-status>online</span>')
  })

  test('creates a machine and shows its device key once, with the sketch settings', async ({
    client,
    assert,
  }) => {
    const admin = await createAdmin()
    const response = await client
      .post('/admin/machines')
      .withGuard('web')
      .loginAs(admin)
      .form({ code: 'lobby-01', name: 'Lobby snacks', location: 'Ground floor' })
      .withCsrfToken()
    response.assertStatus(200)
    response.assertHeader('cache-control', 'no-store')
    const key = keyOn(response.text())
    assert.isAtLeast(key.length, 32)
    response.assertTextIncludes('constexpr char kMachineCode[] = "lobby-01";')
    response.assertTextIncludes(`constexpr char kDeviceKey[] = "${key}";`)
    response.assertTextIncludes(`constexpr unsigned kServerPort = ${process.env.PORT};`)
    response.assertTextIncludes(`constexpr char kServerHost[] = "${process.env.HOST}";`)

    const machine = await Machine.findByOrFail('code', 'lobby-01')
    assert.equal(machine.status, MachineStatus.Offline)
    assert.equal(machine.location, 'Ground floor')
    assert.notInclude(machine.deviceKeyHash, key)
    assert.isTrue(await hash.verify(machine.deviceKeyHash, key))

    const audit = await AuditLog.query().where('action', 'machine.create').firstOrFail()
    assert.equal(audit.subjectId, machine.id)
    assert.equal(audit.userId, admin.id)
    assert.notInclude(JSON.stringify(audit.serialize()), key)

    // Never again retrievable: the machine's pages do not show it.
    for (const path of [
      `/admin/machines/${machine.id}`,
      '/admin/machines',
      `/admin/machines/${machine.id}/planogram`,
    ]) {
      const page = await client.get(path).withGuard('web').loginAs(admin)
      page.assertStatus(200)
      assert.notInclude(page.text(), key)
    }

    // The key works for a real device.
    const device = await connectDevice('lobby-01', key)
    await waitUntilOnline(machine.id)
    await disconnectDevice(device, machine.id)
  })

  test('refuses a bad code, a duplicate code and a missing name', async ({ client, assert }) => {
    const admin = await createAdmin()
    await MachineFactory.merge({ code: 'lobby-01' }).create()

    const bad = await client
      .post('/admin/machines')
      .withGuard('web')
      .loginAs(admin)
      .form({ code: 'Lobby 01!', name: '' })
      .withCsrfToken()
      .redirects(0)
    bad.assertStatus(302)
    bad.assertFlashMessage('inputErrorsBag', {
      code: ['Use lowercase letters, digits and single dashes only, e.g. lobby-01.'],
      name: ['The name field must be defined'],
    })

    const duplicate = await client
      .post('/admin/machines')
      .withGuard('web')
      .loginAs(admin)
      .form({ code: 'lobby-01', name: 'Another lobby' })
      .withCsrfToken()
      .redirects(0)
    duplicate.assertStatus(302)
    duplicate.assertFlashMessage('inputErrorsBag', {
      code: ['Another machine already has this code.'],
    })
    assert.equal(
      await Machine.query()
        .count('* as total')
        .first()
        .then((row) => Number(row!.$extras.total)),
      1
    )
    assert.equal(
      await AuditLog.query()
        .count('* as total')
        .first()
        .then((row) => Number(row!.$extras.total)),
      0
    )
  })
})

test.group('Admin machines: device key rotation', (group) => {
  group.each.setup(truncateAll)

  test('shows a new key once; the old key is refused and the live device is disconnected', async ({
    client,
    assert,
  }) => {
    const admin = await createAdmin()
    const { machine, device } = await createOnlineMachine({ code: 'lobby-01' })
    const dropped = new Promise<string>((resolve) => device.socket.once('disconnect', resolve))

    const response = await client
      .post(`/admin/machines/${machine.id}/key`)
      .withGuard('web')
      .loginAs(admin)
      .withCsrfToken()
    response.assertStatus(200)
    response.assertHeader('cache-control', 'no-store')
    response.assertTextIncludes('The old key no longer works')
    const newKey = keyOn(response.text())
    assert.notEqual(newKey, TEST_DEVICE_KEY)

    assert.equal(await dropped, 'io server disconnect')
    await eventually(
      async () => (await Machine.findOrFail(machine.id)).status === MachineStatus.Offline
    )

    const refused = await connectDevice('lobby-01', TEST_DEVICE_KEY).then(
      () => 'accepted',
      (error: Error) => error.message
    )
    assert.equal(refused, 'invalid_credentials')

    const again = await connectDevice('lobby-01', newKey)
    await waitUntilOnline(machine.id)

    const audit = await AuditLog.query().where('action', 'machine.rotate_key').firstOrFail()
    assert.equal(audit.subjectId, machine.id)
    assert.notInclude(JSON.stringify(audit.serialize()), newKey)
    const events = await monitorEvents(machine.id)
    assert.includeMembers(events, ['kicked', 'disconnect', 'auth_refused'])
    assert.isBelow(events.indexOf('kicked'), events.indexOf('auth_refused'))

    const page = await client.get(`/admin/machines/${machine.id}`).withGuard('web').loginAs(admin)
    assert.notInclude(page.text(), newKey)
    await disconnectDevice(again, machine.id)
  })
})

test.group('Admin machines: maintenance', (group) => {
  group.each.setup(truncateAll)

  test('maintenance refuses buys; lifting it brings a connected machine back online', async ({
    client,
    assert,
  }) => {
    const admin = await createAdmin()
    const { machine, product, device } = await createOnlineMachine()
    const { token } = await createShopper({ balancePaise: 10_000 })

    const on = await client
      .post(`/admin/machines/${machine.id}/maintenance`)
      .withGuard('web')
      .loginAs(admin)
      .form({ maintenance: '1' })
      .withCsrfToken()
      .redirects(0)
    on.assertStatus(302)
    on.assertFlashMessage('notice', `${machine.code} is in maintenance: buys are refused.`)
    assert.equal((await Machine.findOrFail(machine.id)).status, MachineStatus.Maintenance)

    const buy = await client
      .post(`/api/v1/products/${product.id}/buy`)
      .bearerToken(token)
      .json({ machine: machine.code })
    buy.assertStatus(409)
    assert.equal(buy.body().errors[0].code, 'machine_offline')

    const off = await client
      .post(`/admin/machines/${machine.id}/maintenance`)
      .withGuard('web')
      .loginAs(admin)
      .form({ maintenance: '0' })
      .withCsrfToken()
      .redirects(0)
    off.assertFlashMessage('notice', `Maintenance lifted: ${machine.code} is online.`)
    assert.equal((await Machine.findOrFail(machine.id)).status, MachineStatus.Online)
    const again = await client
      .post(`/api/v1/products/${product.id}/buy`)
      .bearerToken(token)
      .json({ machine: machine.code })
    again.assertStatus(201)

    const audit = await AuditLog.query().where('subject_id', machine.id).orderBy('id')
    assert.deepEqual(
      audit.map((row) => [row.action, row.before?.status, row.after?.status]),
      [
        ['machine.maintenance_on', 'online', 'maintenance'],
        ['machine.maintenance_off', 'maintenance', 'online'],
      ]
    )
    const command = await device.nextVend()
    await device.report(command.command_id, 'dropped')
    await disconnectDevice(device, machine.id)
  })

  test('lifting maintenance leaves a machine without a device offline', async ({
    client,
    assert,
  }) => {
    const admin = await createAdmin()
    const machine = await MachineFactory.apply('maintenance').create()
    const response = await client
      .post(`/admin/machines/${machine.id}/maintenance`)
      .withGuard('web')
      .loginAs(admin)
      .form({ maintenance: '0' })
      .withCsrfToken()
      .redirects(0)
    response.assertFlashMessage('notice', `Maintenance lifted: ${machine.code} is offline.`)
    assert.equal((await Machine.findOrFail(machine.id)).status, MachineStatus.Offline)
  })
})

test.group('Admin machines: test vends', (group) => {
  group.each.setup(truncateAll)

  test('reaches the device, completes on dropped, and moves no money', async ({
    client,
    assert,
  }) => {
    const admin = await createAdmin()
    const { machine, slot, device } = await createOnlineMachine({ quantity: 5 })
    const rowsBefore = await ledgerRows()

    const response = await client
      .post(`/admin/machines/${machine.id}/test-vend`)
      .withGuard('web')
      .loginAs(admin)
      .form({ slot: '1' })
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)

    const command = await device.nextVend()
    assert.equal(command.slot, 1)
    const order = await Order.findOrFail(command.order_id)
    assert.isTrue(order.isTest)
    assert.equal(order.pricePaise, 0)
    assert.equal(order.userId, admin.id)
    assert.equal(order.commandId, command.command_id)
    assert.equal(order.status, OrderStatus.Dispensing)
    assert.equal((await Slot.findOrFail(slot.id)).quantity, 4)

    assert.deepEqual(await device.report(command.command_id, 'dropped'), { ok: true })
    await order.refresh()
    assert.equal(order.status, OrderStatus.Completed)
    // A repeated result is acked and changes nothing.
    assert.deepEqual(await device.report(command.command_id, 'dropped'), { ok: true })
    assert.equal((await Order.findOrFail(order.id)).status, OrderStatus.Completed)

    assert.equal(await ledgerRows(), rowsBefore)
    assert.equal((await User.findOrFail(admin.id)).balancePaise, 0)
    assert.equal((await Slot.findOrFail(slot.id)).quantity, 4)
    assert.equal(
      (await AuditLog.query().where('action', 'machine.test_vend').firstOrFail()).after?.order_id,
      order.id
    )

    // The monitor shows the command and the result, newest first (the
    // result is recorded just after its ack).
    const events = await eventually(async () => {
      const recorded = await monitorEvents(machine.id)
      return recorded.includes('vend_result') ? recorded : null
    })
    assert.includeMembers(events, ['connect', 'hello', 'vend', 'vend_result'])
    const page = await client
      .get(`/admin/machines/${machine.id}/live`)
      .withGuard('web')
      .loginAs(admin)
    const html = page.text()
    assert.include(html, command.command_id)
    assert.isBelow(html.indexOf('<code>vend_result</code>'), html.indexOf('<code>vend</code>'))
    assert.isBelow(html.indexOf('<code>vend</code>'), html.indexOf('<code>hello</code>'))
    assert.include(html, '<span class="kv"><span class="muted">result</span> dropped</span>')
    await disconnectDevice(device, machine.id)
  })

  test('a failed or timed-out test vend settles without a ledger row', async ({
    client,
    assert,
  }) => {
    const admin = await createAdmin()
    const { machine, slot, device } = await createOnlineMachine({ quantity: 5 })
    const send = () =>
      client
        .post(`/admin/machines/${machine.id}/test-vend`)
        .withGuard('web')
        .loginAs(admin)
        .form({ slot: '1' })
        .withCsrfToken()
        .redirects(0)

    await send()
    const jammed = await device.nextVend()
    await device.report(jammed.command_id, 'jam')
    const failed = await Order.findOrFail(jammed.order_id)
    assert.equal(failed.failureReason, 'jam')
    // Nothing was charged, so nothing is refunded: it stays a failed vend.
    assert.equal(failed.status, OrderStatus.Failed)

    await send()
    const silent = await device.nextVend()
    const sweeper = await app.container.make(FailTimedOutVends)
    await sweeper.handle(DateTime.now().plus({ hours: 1 }))
    const timedOut = await Order.findOrFail(silent.order_id)
    assert.equal(timedOut.failureReason, 'timeout')
    assert.equal(timedOut.status, OrderStatus.Failed)

    assert.equal(await ledgerRows(), 0)
    assert.equal((await User.findOrFail(admin.id)).balancePaise, 0)
    // Both commands left the server, so the motor may have turned: the
    // units stay taken and the slot is flagged for a check (the first
    // failure's), as for a shopper's vend.
    const checked = await Slot.findOrFail(slot.id)
    assert.equal(checked.quantity, 3)
    assert.equal(checked.needsCheckReason, 'jam')
    assert.equal(checked.needsCheckOrderId, jammed.order_id)
    await disconnectDevice(device, machine.id)
  })

  test('a test vend that did not drop gives its unit back', async ({ client, assert }) => {
    const admin = await createAdmin()
    const { machine, slot, device } = await createOnlineMachine({ quantity: 5 })

    await client
      .post(`/admin/machines/${machine.id}/test-vend`)
      .withGuard('web')
      .loginAs(admin)
      .form({ slot: '1' })
      .withCsrfToken()
      .redirects(0)
    const command = await device.nextVend()
    assert.equal((await Slot.findOrFail(slot.id)).quantity, 4)
    assert.deepEqual(await device.report(command.command_id, 'no_drop'), { ok: true })

    const order = await Order.findOrFail(command.order_id)
    assert.equal(order.status, OrderStatus.Failed)
    assert.equal(order.failureReason, 'no_drop')
    const after = await Slot.findOrFail(slot.id)
    assert.equal(after.quantity, 5)
    assert.isNull(after.needsCheckAt)
    await disconnectDevice(device, machine.id)
  })

  test('works in maintenance, where buys are refused', async ({ client, assert }) => {
    const admin = await createAdmin()
    const { machine, device } = await createOnlineMachine()
    await Machine.query().where('id', machine.id).update({ status: MachineStatus.Maintenance })

    await client
      .post(`/admin/machines/${machine.id}/test-vend`)
      .withGuard('web')
      .loginAs(admin)
      .form({ slot: '1' })
      .withCsrfToken()
    const command = await device.nextVend()
    await device.report(command.command_id, 'dropped')
    assert.equal((await Order.findOrFail(command.order_id)).status, OrderStatus.Completed)
    await disconnectDevice(device, machine.id)
  })

  test('refuses a test vend without a connected device, or from an empty slot', async ({
    client,
    assert,
  }) => {
    const admin = await createAdmin()
    const { machine } = await createMachine({ quantity: 5 })
    const offline = await client
      .post(`/admin/machines/${machine.id}/test-vend`)
      .withGuard('web')
      .loginAs(admin)
      .form({ slot: '1' })
      .withCsrfToken()
      .redirects(0)
    offline.assertFlashMessage(
      'error',
      'The machine’s device is not connected, so it cannot dispense now.'
    )

    const online = await createOnlineMachine({ quantity: 0 })
    const empty = await client
      .post(`/admin/machines/${online.machine.id}/test-vend`)
      .withGuard('web')
      .loginAs(admin)
      .form({ slot: '1' })
      .withCsrfToken()
      .redirects(0)
    empty.assertFlashMessage('error', 'Slot 1 is empty. Restock it first.')
    const missing = await client
      .post(`/admin/machines/${online.machine.id}/test-vend`)
      .withGuard('web')
      .loginAs(admin)
      .form({ slot: '9' })
      .withCsrfToken()
      .redirects(0)
    missing.assertFlashMessage('error', 'This machine has no slot 9.')
    assert.equal(
      await Order.query()
        .count('* as total')
        .first()
        .then((row) => Number(row!.$extras.total)),
      0
    )
    assert.equal(
      await AuditLog.query()
        .count('* as total')
        .first()
        .then((row) => Number(row!.$extras.total)),
      0
    )
    await disconnectDevice(online.device, online.machine.id)
  })
})

test.group('Admin machines: communication monitor', (group) => {
  group.each.setup(truncateAll)

  test('records connect, hello, status, refused auth and disconnect with its reason', async ({
    client,
    assert,
  }) => {
    const admin = await createAdmin()
    const { machine, device } = await createOnlineMachine()
    device.socket.emit('status', { firmware: 'vendora-esp32-0.2.0', rssi: -61 })
    await eventually(async () => (await monitorEvents(machine.id)).includes('status'))
    await connectDevice(machine.code, 'not-the-key').catch(() => undefined)
    await disconnectDevice(device, machine.id)
    await eventually(async () => (await monitorEvents(machine.id)).includes('disconnect'))

    // `display_code` follows `hello` and races the device's
    // `status`; tests/functional/devices/display_code.spec.ts covers it.
    assert.deepEqual(
      (await monitorEvents(machine.id)).filter((event) => event !== 'display_code'),
      ['connect', 'hello', 'status', 'auth_refused', 'disconnect']
    )
    const disconnect = await DeviceEvent.query()
      .where('machine_id', machine.id)
      .where('event', 'disconnect')
      .firstOrFail()
    assert.deepEqual(disconnect.payload, { reason: 'client namespace disconnect' })

    const page = await client.get(`/admin/machines/${machine.id}`).withGuard('web').loginAs(admin)
    page.assertTextIncludes('Communication monitor')
    page.assertTextIncludes('vendora-esp32-0.2.0')
    page.assertTextIncludes('-61 dBm')
    page.assertTextIncludes('client namespace disconnect')
    const html = page.text()
    assert.isBelow(html.indexOf('data-event="disconnect"'), html.indexOf('data-event="connect"'))
  })

  test('the sweep keeps only the latest 200 events of a machine', async ({ assert }) => {
    const monitor = await app.container.make(DeviceMonitor)
    const sweeper = await app.container.make(VendSweeper)
    const machine = await MachineFactory.create()
    const other = await MachineFactory.create()
    await monitor.record(other.id, 'in', 'status', { n: 0 })
    for (let n = 1; n <= DeviceEvent.KEEP + 5; n++)
      await monitor.record(machine.id, 'in', 'status', { n })
    assert.lengthOf(await DeviceEvent.query().where('machine_id', machine.id), DeviceEvent.KEEP + 5)

    await sweeper.sweep()

    const kept = await DeviceEvent.query().where('machine_id', machine.id).orderBy('id')
    assert.lengthOf(kept, DeviceEvent.KEEP)
    assert.deepEqual(kept[0].payload, { n: 6 })
    assert.deepEqual(kept[kept.length - 1].payload, { n: DeviceEvent.KEEP + 5 })
    assert.lengthOf(await DeviceEvent.query().where('machine_id', other.id), 1)

    // The next sweep looks at the events since this one, and prunes again.
    for (let n = 1; n <= 3; n++)
      await monitor.record(machine.id, 'in', 'status', { n: DeviceEvent.KEEP + 5 + n })
    await sweeper.sweep()
    const later = await DeviceEvent.query().where('machine_id', machine.id).orderBy('id')
    assert.lengthOf(later, DeviceEvent.KEEP)
    assert.deepEqual(later[0].payload, { n: 9 })
  })
})
