import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import { DateTime } from 'luxon'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { OrderStatus } from '#enums/order_status'
import AuditLog from '#models/audit_log'
import type Machine from '#models/machine'
import type Product from '#models/product'
import Restock from '#models/restock'
import RestockRoute from '#models/restock_route'
import Slot from '#models/slot'
import type User from '#models/user'
import RecordRestockVisit from '#actions/restock/record_restock_visit'
import { UserFactory } from '#database/factories/user_factory'
import { MachineFactory } from '#database/factories/machine_factory'
import { ProductFactory } from '#database/factories/product_factory'
import { SlotFactory } from '#database/factories/slot_factory'
import { OrderFactory } from '#database/factories/order_factory'
import { truncateAll } from '#tests/helpers/database'

const HEADER = 'machine,slot,product,on_hand,par,to_load'

function admin() {
  return UserFactory.apply('admin').merge({ email: 'ops@example.com' }).create()
}

/**
 * A slot of `machine` holding `quantity` of `product` (capacity 10 unless
 * told), par level `parLevel` (null: the capacity).
 */
async function slotOf(
  machine: Machine,
  number: number,
  product: Product | null,
  quantity: number,
  options: { capacity?: number; parLevel?: number | null } = {}
) {
  const slot = await SlotFactory.merge({
    machineId: machine.id,
    productId: product?.id ?? null,
    number,
    quantity,
    capacity: options.capacity ?? 10,
  }).create()
  if (options.parLevel !== undefined) {
    await Slot.query().where('id', slot.id).update({ parLevel: options.parLevel })
    await slot.refresh()
  }
  return slot
}

/**
 * `count` orders from `slot` placed `daysAgo` days ago (status completed,
 * not test, the slot's product unless told).
 */
async function sales(
  shopper: User,
  slot: Slot,
  count: number,
  options: { daysAgo?: number; productId?: number; isTest?: boolean; status?: OrderStatus } = {}
) {
  for (let index = 0; index < count; index++) {
    await OrderFactory.merge({
      userId: shopper.id,
      machineId: slot.machineId,
      slotId: slot.id,
      slotNumber: slot.number,
      productId: options.productId ?? slot.productId!,
      isTest: options.isTest ?? false,
      status: options.status ?? OrderStatus.Completed,
      pricePaise: options.isTest ? 0 : 2500,
      createdAt: DateTime.now().minus({ days: options.daysAgo ?? 2, minutes: index }),
    }).create()
  }
}

function get(client: ApiClient, user: User, url: string) {
  return client.get(url).withGuard('web').loginAs(user)
}

function post(client: ApiClient, user: User, url: string, form: Record<string, string>) {
  return client
    .post(url)
    .withGuard('web')
    .loginAs(user)
    .header('referer', url)
    .form(form)
    .withCsrfToken()
    .redirects(0)
}

async function stocks(...slots: Slot[]) {
  const rows = await Slot.query().whereIn(
    'id',
    slots.map((slot) => slot.id)
  )
  return slots.map((slot) => rows.find((row) => row.id === slot.id)!.quantity)
}

test.group('Restock planning: pick list', (group) => {
  group.each.setup(truncateAll)

  test('lists units to load up to par (par defaults to capacity) and totals per product', async ({
    client,
    assert,
  }) => {
    const user = await admin()
    const lobby = await MachineFactory.merge({ code: 'lobby-1' }).create()
    const gym = await MachineFactory.merge({ code: 'gym-1' }).create()
    const chips = await ProductFactory.merge({ name: 'Chips' }).create()
    const water = await ProductFactory.merge({ name: 'Water' }).create()
    await slotOf(lobby, 1, chips, 2) // par 10 (capacity): load 8
    await slotOf(lobby, 2, water, 3, { parLevel: 6 }) // load 3
    await slotOf(lobby, 3, water, 10) // full: not listed
    await slotOf(lobby, 4, null, 0) // no product: not listed
    await slotOf(lobby, 5, chips, 7, { parLevel: 5 }) // above par: not listed
    await slotOf(gym, 1, chips, 0, { capacity: 12, parLevel: 0 }) // par 0: not listed
    await slotOf(gym, 2, chips, 1, { capacity: 4 }) // load 3

    const response = await get(
      client,
      user,
      `/admin/restock/pick-list?machines=${lobby.id},${gym.id}&format=csv`
    )

    response.assertStatus(200)
    assert.match(response.header('content-type') ?? '', /^text\/csv/)
    // No sales anywhere: no forecast, so the visit order (machines as
    // given), then slot number.
    assert.equal(
      response.text(),
      [HEADER, 'lobby-1,1,Chips,2,10,8', 'lobby-1,2,Water,3,6,3', 'gym-1,2,Chips,1,4,3', ''].join(
        '\n'
      )
    )

    const page = await get(
      client,
      user,
      `/admin/restock/pick-list?machines[]=${lobby.id}&machines[]=${gym.id}`
    )
    page.assertStatus(200)
    const totals = /<table[^>]*id="pick-totals"[\s\S]*?<\/table>/.exec(page.text())![0]
    assert.match(totals, /data-total="Chips"><td>Chips<\/td><td class="num"><strong>11</)
    assert.match(totals, /data-total="Water"><td>Water<\/td><td class="num"><strong>3</)
    assert.include(page.text(), 'data-pick="lobby-1-1"')
    assert.notInclude(page.text(), 'data-pick="lobby-1-3"')
  })

  test('a par above the capacity or below 0 is a form error; empty means the capacity', async ({
    client,
    assert,
  }) => {
    const user = await admin()
    const machine = await MachineFactory.create()
    const chips = await ProductFactory.create()
    const slot = await slotOf(machine, 1, chips, 2, { parLevel: 6 })
    const url = `/admin/machines/${machine.id}/slots/1`

    const over = await post(client, user, url, {
      product_id: String(chips.id),
      capacity: '10',
      par_level: '11',
    })
    over.assertStatus(302)
    over.assertFlashMessage('inputErrorsBag', {
      par_level: [
        'The par level can be at most the capacity (10 units); leave it empty to fill to capacity.',
      ],
    })
    const negative = await post(client, user, url, {
      product_id: String(chips.id),
      capacity: '10',
      par_level: '-1',
    })
    negative.assertFlashMessage('inputErrorsBag', {
      par_level: ['The par level cannot be below 0.'],
    })
    await slot.refresh()
    assert.equal(slot.parLevel, 6)

    const saved = await post(client, user, url, {
      product_id: String(chips.id),
      capacity: '8',
      par_level: '8',
    })
    saved.assertFlashMessage('notice', 'Slot 1 saved.')
    await slot.refresh()
    assert.equal(slot.parLevel, 8)
    const audit = await AuditLog.query().where('action', 'slot.update').firstOrFail()
    assert.deepEqual(audit.after, { product_id: chips.id, capacity: 8, par_level: 8 })

    await post(client, user, url, { product_id: String(chips.id), capacity: '8', par_level: '' })
    await slot.refresh()
    assert.isNull(slot.parLevel)
    assert.equal(slot.effectiveParLevel, 8)

    // The database refuses a negative par from any other writer too.
    await assert.rejects(() => Slot.query().where('id', slot.id).update({ parLevel: -1 }))
    await slot.refresh()
    assert.isNull(slot.parLevel)
  })

  test('the planogram suggests a higher par when par would sell out before the next visit', async ({
    client,
    assert,
  }) => {
    const user = await admin()
    const shopper = await UserFactory.create()
    const machine = await MachineFactory.create()
    const chips = await ProductFactory.create()
    const lowPar = await slotOf(machine, 1, chips, 2, { parLevel: 2 }) // 1 a day: 2 < 3 days
    const small = await slotOf(machine, 2, chips, 2, { capacity: 4 }) // 2 a day: 4 < 3 × 2
    const enough = await slotOf(machine, 3, chips, 3, { parLevel: 3 }) // 1 a day: 3 days last
    await sales(shopper, lowPar, 14)
    await sales(shopper, small, 28)
    await sales(shopper, enough, 14)

    const page = await get(client, user, `/admin/machines/${machine.id}/planogram`)

    const row = (number: number) =>
      new RegExp(`<tr data-slot="${number}">[\\s\\S]*?</tr>`).exec(page.text())![0]
    assert.match(
      row(1),
      /data-raise-par="3">\s*Par 2 sells out before the next visit \(3 days\): raise it to at least 3\./
    )
    assert.match(row(2), /data-raise-par="6">\s*Even full \(4\) it sells out before the next visit/)
    assert.match(row(2), /data-days-until-empty>\s*<span class="debit">1\.0<\/span>/)
    assert.notInclude(row(3), 'data-raise-par')
  })

  test('days until empty come from 14 days of completed shopper sales of the slot product', async ({
    client,
    assert,
  }) => {
    const user = await admin()
    const shopper = await UserFactory.create()
    const machine = await MachineFactory.merge({ code: 'lobby-1' }).create()
    const other = await MachineFactory.merge({ code: 'gym-1' }).create()
    const chips = await ProductFactory.merge({ name: 'Chips' }).create()
    const water = await ProductFactory.merge({ name: 'Water' }).create()
    const slot = await slotOf(machine, 1, chips, 7)
    const quiet = await slotOf(machine, 2, water, 5)
    const elsewhere = await slotOf(other, 1, chips, 1)

    await sales(shopper, slot, 14) // 1 a day: 7 units last 7.0 days
    await sales(shopper, slot, 5, { isTest: true }) // operators' test vends
    await sales(shopper, slot, 5, { productId: water.id }) // the slot's old product
    await sales(shopper, slot, 3, { status: OrderStatus.Refunded })
    await sales(shopper, slot, 2, { status: OrderStatus.Failed })
    await sales(shopper, slot, 9, { daysAgo: 20 }) // before the window
    await sales(shopper, elsewhere, 4) // another machine's slot

    const page = await get(client, user, `/admin/machines/${machine.id}/planogram`)
    page.assertStatus(200)
    const row = (number: number) =>
      new RegExp(`<tr data-slot="${number}">[\\s\\S]*?</tr>`).exec(page.text())![0]
    assert.match(row(1), /data-days-until-empty>\s*<span class="">7\.0<\/span>/)
    assert.match(row(2), /data-days-until-empty>\s*<span class="muted"[^>]*>—<\/span>/)

    const csv = await get(
      client,
      user,
      `/admin/restock/pick-list?machines=${other.id},${machine.id}&format=csv`
    )
    // gym-1 slot 1 sold 4 in 14 days: 1 unit lasts 3.5 days, before
    // lobby-1 slot 1 (7.0); lobby-1 slot 2 never sold: last.
    assert.equal(
      csv.text(),
      [HEADER, 'gym-1,1,Chips,1,10,9', 'lobby-1,1,Chips,7,10,3', 'lobby-1,2,Water,5,10,5', ''].join(
        '\n'
      )
    )
    void quiet
  })

  test('sorts by days until empty, then route visit order, then slot number', async ({
    client,
    assert,
  }) => {
    const user = await admin()
    const shopper = await UserFactory.create()
    const first = await MachineFactory.merge({ code: 'b-first' }).create()
    const second = await MachineFactory.merge({ code: 'a-second' }).create()
    const chips = await ProductFactory.merge({ name: 'Chips, salted' }).create()
    await slotOf(second, 1, chips, 0) // no sales
    const secondBusy = await slotOf(second, 2, chips, 4) // 14 sold: 4.0 days
    await slotOf(first, 3, chips, 5) // no sales
    await slotOf(first, 2, chips, 5) // no sales
    const firstBusy = await slotOf(first, 4, chips, 4) // 14 sold: 4.0 days
    const urgent = await slotOf(second, 3, chips, 1) // 14 sold: 1.0 day
    await sales(shopper, secondBusy, 14)
    await sales(shopper, firstBusy, 14)
    await sales(shopper, urgent, 14)
    const route = await RestockRoute.create({ name: 'North' })
    await route.related('machines').attach({
      [second.id]: { position: 1 },
      [first.id]: { position: 0 },
    })

    const csv = await get(client, user, `/admin/restock/pick-list?route=${route.id}&format=csv`)

    csv.assertStatus(200)
    assert.equal(
      csv.text(),
      [
        HEADER,
        'a-second,3,"Chips, salted",1,10,9',
        'b-first,4,"Chips, salted",4,10,6',
        'a-second,2,"Chips, salted",4,10,6',
        'b-first,2,"Chips, salted",5,10,5',
        'b-first,3,"Chips, salted",5,10,5',
        'a-second,1,"Chips, salted",0,10,10',
        '',
      ].join('\n')
    )
    const page = await get(client, user, `/admin/restock/pick-list?route=${route.id}`)
    assert.include(page.text(), 'b-first → a-second')
    assert.include(page.text(), `route=${route.id}&amp;format=csv`)

    const unknown = await get(client, user, '/admin/restock/pick-list?route=999999')
    unknown.assertStatus(404)
  })
})

test.group('Restock planning: routes', (group) => {
  group.each.setup(truncateAll)

  test('creates, reorders and deletes a route; machines are ordered by stop', async ({
    client,
    assert,
  }) => {
    const user = await admin()
    const a = await MachineFactory.merge({ code: 'a-1' }).create()
    const b = await MachineFactory.merge({ code: 'b-1' }).create()
    const c = await MachineFactory.merge({ code: 'c-1' }).create()

    const created = await post(client, user, '/admin/restock/routes', {
      name: 'Campus',
      [`positions[m_${a.id}]`]: '2',
      [`positions[m_${b.id}]`]: '1',
      [`positions[m_${c.id}]`]: '',
    })
    created.assertStatus(302)
    created.assertFlashMessage('notice', 'Route Campus saved.')
    const route = await RestockRoute.findByOrFail('name', 'Campus')
    const order = async () => {
      const machines = await route
        .related('machines')
        .query()
        .orderBy('restock_route_machines.position')
      return machines.map((machine) => machine.code)
    }
    assert.deepEqual(await order(), ['b-1', 'a-1'])

    const index = await get(client, user, '/admin/restock/routes')
    assert.match(index.text(), /data-route="Campus">[\s\S]*?b-1 → a-1/)

    const updated = await post(client, user, `/admin/restock/routes/${route.id}`, {
      name: 'Campus east',
      [`positions[m_${a.id}]`]: '1',
      [`positions[m_${c.id}]`]: '5',
      [`positions[m_${b.id}]`]: '',
    })
    updated.assertFlashMessage('notice', 'Route Campus east saved.')
    await route.refresh()
    assert.equal(route.name, 'Campus east')
    assert.deepEqual(await order(), ['a-1', 'c-1'])
    const audit = await AuditLog.query().where('action', 'restock_route.update').firstOrFail()
    assert.deepEqual(audit.before, { name: 'Campus', machine_ids: [b.id, a.id] })
    assert.deepEqual(audit.after, { name: 'Campus east', machine_ids: [a.id, c.id] })

    const edit = await get(client, user, `/admin/restock/routes/${route.id}/edit`)
    assert.match(edit.text(), new RegExp(`name="positions\\[m_${c.id}\\]"[^>]*value="2"`))

    const deleted = await post(client, user, `/admin/restock/routes/${route.id}/delete`, {})
    deleted.assertFlashMessage('notice', 'Route Campus east deleted.')
    assert.isNull(await RestockRoute.find(route.id))
    // The machines stay; they are on no route now.
    const left = await db.from('machines').count('* as total').first()
    assert.equal(Number(left.total), 3)
    assert.lengthOf(await db.from('restock_route_machines'), 0)
  })

  test('refuses a missing or taken name and a machine on another route, saving nothing', async ({
    client,
    assert,
  }) => {
    const user = await admin()
    const a = await MachineFactory.merge({ code: 'a-1' }).create()
    const b = await MachineFactory.merge({ code: 'b-1' }).create()
    const north = await RestockRoute.create({ name: 'North' })
    await north.related('machines').attach({ [a.id]: { position: 0 } })

    const unnamed = await post(client, user, '/admin/restock/routes', { name: '' })
    unnamed.assertFlashMessage('inputErrorsBag', { name: ['Give the route a name.'] })

    const taken = await post(client, user, '/admin/restock/routes', { name: 'North' })
    taken.assertFlashMessage('inputErrorsBag', { name: ['Another route has this name.'] })

    const onOther = await post(client, user, '/admin/restock/routes', {
      name: 'South',
      [`positions[m_${a.id}]`]: '1',
      [`positions[m_${b.id}]`]: '2',
    })
    onOther.assertFlashMessage('inputErrorsBag', {
      machines: ['Already on another route: a-1 (North). Take them off that route first.'],
    })

    const badStop = await post(client, user, `/admin/restock/routes/${north.id}`, {
      name: 'North',
      [`positions[m_${b.id}]`]: '0',
    })
    badStop.assertFlashMessage('inputErrorsBag', {
      [`positions.m_${b.id}`]: ['Stops are numbered from 1.'],
    })

    const routes = await RestockRoute.query().orderBy('id')
    assert.deepEqual(
      routes.map((route) => route.name),
      ['North']
    )
    const machines = await north.related('machines').query()
    assert.deepEqual(
      machines.map((machine) => machine.id),
      [a.id]
    )

    // Keeping its own name while editing is no clash.
    const same = await post(client, user, `/admin/restock/routes/${north.id}`, {
      name: 'North',
      [`positions[m_${a.id}]`]: '1',
      [`positions[m_${b.id}]`]: '2',
    })
    same.assertFlashMessage('notice', 'Route North saved.')
  })
})

test.group('Restock planning: visit', (group) => {
  group.each.setup(truncateAll)

  test('prefills the units to load and saves one restock record per slot loaded', async ({
    client,
    assert,
  }) => {
    const user = await admin()
    const machine = await MachineFactory.merge({ code: 'lobby-1' }).create()
    const chips = await ProductFactory.merge({ name: 'Chips' }).create()
    const one = await slotOf(machine, 1, chips, 2)
    const two = await slotOf(machine, 2, chips, 3, { parLevel: 6 })
    const three = await slotOf(machine, 3, chips, 9)

    const page = await get(client, user, `/admin/machines/${machine.id}/visit`)
    page.assertStatus(200)
    assert.match(page.text(), new RegExp(`name="loaded\\[slot_${one.id}\\]"[^>]*value="8"`))
    assert.match(page.text(), new RegExp(`name="loaded\\[slot_${two.id}\\]"[^>]*value="3"`))
    assert.match(page.text(), new RegExp(`name="loaded\\[slot_${three.id}\\]"[^>]*value="1"`))

    const saved = await post(client, user, `/admin/machines/${machine.id}/visit`, {
      [`loaded[slot_${one.id}]`]: '6', // corrected: 6 of the 8 suggested
      [`loaded[slot_${two.id}]`]: '3',
      [`loaded[slot_${three.id}]`]: '0',
    })

    saved.assertStatus(302)
    saved.assertFlashMessage('notice', 'Visit saved: 9 units into 2 slots of lobby-1.')
    assert.deepEqual(await stocks(one, two, three), [8, 6, 9])
    const restocks = await Restock.query().orderBy('slot_id')
    assert.deepEqual(
      restocks.map((row) => [row.slotId, row.quantityBefore, row.quantityAfter, row.userId]),
      [
        [one.id, 2, 8, user.id],
        [two.id, 3, 6, user.id],
      ]
    )
    const audits = await AuditLog.query().where('action', 'slot.restock').orderBy('subject_id')
    assert.deepEqual(
      audits.map((row) => row.note),
      ['Restock visit: loaded 6', 'Restock visit: loaded 3']
    )

    const nothing = await post(client, user, `/admin/machines/${machine.id}/visit`, {
      [`loaded[slot_${one.id}]`]: '0',
    })
    nothing.assertFlashMessage('notice', 'Nothing was loaded; no restock recorded.')
    assert.lengthOf(await Restock.all(), 2)
  })

  test('refuses counts that do not fit or are not numbers, changing nothing', async ({
    client,
    assert,
  }) => {
    const user = await admin()
    const machine = await MachineFactory.create()
    const other = await MachineFactory.create()
    const chips = await ProductFactory.create()
    const one = await slotOf(machine, 1, chips, 2)
    const two = await slotOf(machine, 2, chips, 8)
    const foreign = await slotOf(other, 1, chips, 0)
    const url = `/admin/machines/${machine.id}/visit`

    const over = await post(client, user, url, {
      [`loaded[slot_${one.id}]`]: '5',
      [`loaded[slot_${two.id}]`]: '3',
    })
    over.assertStatus(302)
    over.assertFlashMessage('inputErrorsBag', {
      [`loaded.slot_${two.id}`]: ['Slot 2 has room for 2 more units only.'],
    })

    const bad = await post(client, user, url, {
      [`loaded[slot_${one.id}]`]: 'lots',
      [`loaded[slot_${two.id}]`]: '-1',
      [`loaded[slot_${foreign.id}]`]: '1',
    })
    bad.assertFlashMessage('inputErrorsBag', {
      [`loaded.slot_${one.id}`]: ['Enter a whole number of units.'],
      [`loaded.slot_${two.id}`]: ['The units loaded cannot be below 0.'],
      [`loaded.slot_${foreign.id}`]: ['This is not a stocked slot of this machine.'],
    })

    assert.deepEqual(await stocks(one, two, foreign), [2, 8, 0])
    assert.lengthOf(await Restock.all(), 0)
    assert.lengthOf(await AuditLog.all(), 0)
  })

  test('a slot that filled meanwhile refuses the whole visit in its one transaction', async ({
    assert,
  }) => {
    const user = await admin()
    const machine = await MachineFactory.create()
    const chips = await ProductFactory.create()
    const one = await slotOf(machine, 1, chips, 2)
    const two = await slotOf(machine, 2, chips, 5)
    const visit = await app.container.make(RecordRestockVisit)

    // As if another operator topped slot 2 up after the page was built:
    // the form's check passed, the row under lock refuses.
    await Slot.query().where('id', two.id).update({ quantity: 9 })
    await assert.rejects(
      () =>
        visit.handle(
          user,
          machine,
          new Map([
            [one.id, 8],
            [two.id, 5],
          ])
        ),
      /validation/i
    )

    assert.deepEqual(await stocks(one, two), [2, 9])
    assert.lengthOf(await Restock.all(), 0)
    assert.lengthOf(await AuditLog.all(), 0)
  })
})

test.group('Restock planning: dashboard', (group) => {
  group.each.setup(truncateAll)

  test('flags machines that run out of something before the next visit', async ({
    client,
    assert,
  }) => {
    const user = await admin()
    const shopper = await UserFactory.create()
    const chips = await ProductFactory.merge({ name: 'Chips' }).create()
    const soon = await MachineFactory.merge({ code: 'soon-1' }).create()
    const later = await MachineFactory.merge({ code: 'later-1' }).create()
    const soonSlot = await slotOf(soon, 2, chips, 2) // 14 sold: 2.0 days < 3
    const laterSlot = await slotOf(later, 1, chips, 3) // 14 sold: 3.0 days, not below 3
    await sales(shopper, soonSlot, 14)
    await sales(shopper, laterSlot, 14)

    const response = await get(client, user, '/admin/dashboard/live')

    response.assertStatus(200)
    const section = /<section id="running-out">[\s\S]*?<\/section>/.exec(response.text())
    assert.isNotNull(section)
    assert.include(section![0], 'Will run out before the next visit')
    assert.match(section![0], /data-running-out="soon-1"[\s\S]*slot 2 \(Chips, 2 left, 2\.0 days\)/)
    assert.notInclude(section![0], 'later-1')

    const page = await get(client, user, '/admin')
    assert.include(page.text(), 'data-running-out="soon-1"')
  })

  test('shows no card when nothing runs out', async ({ client, assert }) => {
    const user = await admin()
    const response = await get(client, user, '/admin/dashboard/live')
    assert.notInclude(response.text(), 'running-out')
  })
})
