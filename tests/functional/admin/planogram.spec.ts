import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { errors } from '@vinejs/vine'
import AuditLog from '#models/audit_log'
import Restock from '#models/restock'
import Slot from '#models/slot'
import RestockSlot from '#actions/planogram/restock_slot'
import { UserFactory } from '#database/factories/user_factory'
import { MachineFactory } from '#database/factories/machine_factory'
import { ProductFactory } from '#database/factories/product_factory'
import { SlotFactory } from '#database/factories/slot_factory'
import { truncateAll } from '#tests/helpers/database'
import { createShopper } from '#tests/helpers/shopper'

function createAdmin() {
  return UserFactory.apply('admin').merge({ email: 'ops@example.com' }).create()
}

/**
 * A machine with slot 1 holding a product: `quantity` of `capacity` units.
 */
async function stockedMachine(quantity = 3, capacity = 10) {
  const machine = await MachineFactory.create()
  const product = await ProductFactory.merge({ name: 'Masala chips' }).create()
  const slot = await SlotFactory.merge({
    machineId: machine.id,
    productId: product.id,
    number: 1,
    quantity,
    capacity,
  }).create()
  return { machine, product, slot }
}

async function count(query: { count: (column: string, alias: string) => any }) {
  const row = await query.count('*', 'total').first()
  return Number(row.$extras?.total ?? row.total)
}

test.group('Admin planogram: access', (group) => {
  group.each.setup(truncateAll)

  test('sends an anonymous visitor to the login page and refuses a shopper with 403', async ({
    client,
    assert,
  }) => {
    const { machine } = await stockedMachine()
    const anonymous = await client
      .get(`/admin/machines/${machine.id}/planogram`)
      .header('accept', 'text/html')
      .redirects(0)
    anonymous.assertStatus(302)
    anonymous.assertHeader('location', '/admin/login')

    const { token } = await createShopper()
    const page = await client
      .get(`/admin/machines/${machine.id}/slots/1`)
      .bearerToken(token)
      .header('accept', 'text/html')
    page.assertStatus(403)
    const restock = await client
      .post(`/admin/machines/${machine.id}/slots/1/restock`)
      .bearerToken(token)
      .header('accept', 'text/html')
      .form({ mode: 'set', quantity: '10' })
      .withCsrfToken()
      .redirects(0)
    restock.assertStatus(403)
    assert.equal((await Slot.findByOrFail('machine_id', machine.id)).quantity, 3)
  })

  test('refuses a restock without a CSRF token', async ({ client, assert }) => {
    const admin = await createAdmin()
    const { machine, slot } = await stockedMachine()
    const response = await client
      .post(`/admin/machines/${machine.id}/slots/1/restock`)
      .withGuard('web')
      .loginAs(admin)
      .form({ mode: 'set', quantity: '10' })
      .redirects(0)
    response.assertFlashMessage('errorsBag', { E_BAD_CSRF_TOKEN: 'Invalid or expired CSRF token' })
    assert.equal((await Slot.findOrFail(slot.id)).quantity, 3)
    assert.equal(await count(Restock.query()), 0)
  })
})

test.group('Admin planogram: slots', (group) => {
  group.each.setup(truncateAll)

  test('shows the slots with product and stock', async ({ client }) => {
    const admin = await createAdmin()
    const { machine } = await stockedMachine(3, 12)
    const page = await client
      .get(`/admin/machines/${machine.id}/planogram`)
      .withGuard('web')
      .loginAs(admin)
    page.assertStatus(200)
    page.assertTextIncludes('Masala chips')
    page.assertTextIncludes('3 / 12')
    page.assertTextIncludes('Add slot 2')
  })

  test('adds a slot with the next number, empty or with a product', async ({ client, assert }) => {
    const admin = await createAdmin()
    const { machine, product } = await stockedMachine()
    const add = (form: Record<string, string>) =>
      client
        .post(`/admin/machines/${machine.id}/slots`)
        .withGuard('web')
        .loginAs(admin)
        .form(form)
        .withCsrfToken()
        .redirects(0)

    const first = await add({ product_id: '', capacity: '8' })
    first.assertFlashMessage('notice', 'Slot 2 added.')
    await add({ product_id: String(product.id), capacity: '6' })

    const slots = await Slot.query().where('machine_id', machine.id).orderBy('number')
    assert.deepEqual(
      slots.map((slot) => [slot.number, slot.productId, slot.quantity, slot.capacity]),
      [
        [1, product.id, 3, 10],
        [2, null, 0, 8],
        [3, product.id, 0, 6],
      ]
    )
    const audit = await AuditLog.query().where('action', 'slot.create').orderBy('id')
    assert.deepEqual(
      audit.map((row) => row.subjectId),
      [slots[1].id, slots[2].id]
    )
  })

  test('refuses an unknown or inactive product and a bad capacity', async ({ client, assert }) => {
    const admin = await createAdmin()
    const { machine } = await stockedMachine()
    const inactive = await ProductFactory.apply('inactive').create()
    const add = (form: Record<string, string>) =>
      client
        .post(`/admin/machines/${machine.id}/slots`)
        .withGuard('web')
        .loginAs(admin)
        .form(form)
        .withCsrfToken()
        .redirects(0)

    const unknown = await add({ product_id: '999999', capacity: '0' })
    unknown.assertFlashMessage('inputErrorsBag', {
      product_id: ['Choose an active product, or leave the slot empty.'],
      capacity: ['The capacity must be at least 1.'],
    })
    const off = await add({ product_id: String(inactive.id), capacity: '5' })
    off.assertFlashMessage('inputErrorsBag', {
      product_id: ['Choose an active product, or leave the slot empty.'],
    })
    assert.equal(await count(Slot.query().where('machine_id', machine.id)), 1)
  })

  test('assigns a product and capacity to a slot, with an audit row', async ({
    client,
    assert,
  }) => {
    const admin = await createAdmin()
    const machine = await MachineFactory.create()
    const product = await ProductFactory.create()
    const slot = await SlotFactory.merge({
      machineId: machine.id,
      number: 1,
      quantity: 0,
      capacity: 10,
    }).create()

    const response = await client
      .post(`/admin/machines/${machine.id}/slots/1`)
      .withGuard('web')
      .loginAs(admin)
      .form({ product_id: String(product.id), capacity: '14' })
      .withCsrfToken()
      .redirects(0)
    response.assertFlashMessage('notice', 'Slot 1 saved.')
    await slot.refresh()
    assert.equal(slot.productId, product.id)
    assert.equal(slot.capacity, 14)
    const audit = await AuditLog.query().where('action', 'slot.update').firstOrFail()
    assert.deepEqual(audit.before, { product_id: null, capacity: 10 })
    assert.deepEqual(audit.after, { product_id: product.id, capacity: 14 })
  })

  test('refuses a capacity below the units in the slot, and a new product while units remain', async ({
    client,
    assert,
  }) => {
    const admin = await createAdmin()
    const { machine, product, slot } = await stockedMachine(6, 10)
    const other = await ProductFactory.create()
    const save = (form: Record<string, string>) =>
      client
        .post(`/admin/machines/${machine.id}/slots/1`)
        .withGuard('web')
        .loginAs(admin)
        .form(form)
        .withCsrfToken()
        .redirects(0)

    const small = await save({ product_id: String(product.id), capacity: '5' })
    small.assertFlashMessage('inputErrorsBag', {
      capacity: ['The slot holds 6 units now; the capacity cannot be below that.'],
    })

    const swap = await save({ product_id: String(other.id), capacity: '10' })
    swap.assertFlashMessage('inputErrorsBag', {
      product_id: [
        'Slot 1 still holds 6 units of its product. Set its stock to 0 before changing the product.',
      ],
    })
    await slot.refresh()
    assert.equal(slot.productId, product.id)
    assert.equal(slot.capacity, 10)
    assert.equal(await count(AuditLog.query()), 0)
  })
})

test.group('Admin planogram: restocks', (group) => {
  group.each.setup(truncateAll)

  test('sets or adds units, recording the history and an audit row', async ({ client, assert }) => {
    const admin = await createAdmin()
    const { machine, slot } = await stockedMachine(3, 10)
    const restock = (form: Record<string, string>) =>
      client
        .post(`/admin/machines/${machine.id}/slots/1/restock`)
        .withGuard('web')
        .loginAs(admin)
        .form(form)
        .withCsrfToken()
        .redirects(0)

    const added = await restock({ mode: 'add', quantity: '4' })
    added.assertFlashMessage('notice', 'Slot 1 now holds 7 units (was 3).')
    await restock({ mode: 'set', quantity: '10' })
    await restock({ mode: 'set', quantity: '0' })

    assert.equal((await Slot.findOrFail(slot.id)).quantity, 0)
    const history = await Restock.query().where('slot_id', slot.id).orderBy('id')
    assert.deepEqual(
      history.map((row) => [row.quantityBefore, row.quantityAfter, row.userId]),
      [
        [3, 7, admin.id],
        [7, 10, admin.id],
        [10, 0, admin.id],
      ]
    )
    const audit = await AuditLog.query().where('action', 'slot.restock').orderBy('id')
    assert.deepEqual(
      audit.map((row) => [row.before?.quantity, row.after?.quantity, row.note]),
      [
        [3, 7, 'Added 4'],
        [7, 10, 'Set to 10'],
        [10, 0, 'Set to 0'],
      ]
    )

    const page = await client
      .get(`/admin/machines/${machine.id}/slots/1`)
      .withGuard('web')
      .loginAs(admin)
    page.assertTextIncludes('10 → <strong>0</strong>')
    page.assertTextIncludes('ops@example.com')
    const planogram = await client
      .get(`/admin/machines/${machine.id}/planogram`)
      .withGuard('web')
      .loginAs(admin)
    planogram.assertTextIncludes('3 → <strong>7</strong>')
  })

  test('refuses a restock beyond the capacity, a negative count and adding nothing', async ({
    client,
    assert,
  }) => {
    const admin = await createAdmin()
    const { machine, slot } = await stockedMachine(8, 10)
    const restock = (form: Record<string, string>) =>
      client
        .post(`/admin/machines/${machine.id}/slots/1/restock`)
        .withGuard('web')
        .loginAs(admin)
        .form(form)
        .withCsrfToken()
        .redirects(0)

    const over = await restock({ mode: 'add', quantity: '3' })
    over.assertFlashMessage('inputErrorsBag', {
      quantity: ['That would make 11 units; this slot holds at most 10.'],
    })
    const overSet = await restock({ mode: 'set', quantity: '11' })
    overSet.assertFlashMessage('inputErrorsBag', {
      quantity: ['That would make 11 units; this slot holds at most 10.'],
    })
    const negative = await restock({ mode: 'set', quantity: '-1' })
    negative.assertFlashMessage('inputErrorsBag', {
      quantity: ['The number of units cannot be below 0.'],
    })
    const nothing = await restock({ mode: 'add', quantity: '0' })
    nothing.assertFlashMessage('inputErrorsBag', { quantity: ['Add at least 1 unit.'] })
    const badMode = await restock({ mode: 'remove', quantity: '1' })
    badMode.assertStatus(302)

    assert.equal((await Slot.findOrFail(slot.id)).quantity, 8)
    assert.equal(await count(Restock.query()), 0)
    assert.equal(await count(AuditLog.query()), 0)
  })

  test('the conditional update holds when the slot filled up after the form was checked', async ({
    assert,
  }) => {
    const admin = await createAdmin()
    const { slot } = await stockedMachine(10, 10)
    const restockSlot = await app.container.make(RestockSlot)

    // The validator saw room; the row no longer has it.
    const error = await restockSlot
      .handle(admin, slot.id, { mode: 'add', quantity: 2 })
      .catch((e) => e)
    assert.instanceOf(error, errors.E_VALIDATION_ERROR)
    assert.deepEqual(
      error.messages.map((m: { field: string }) => m.field),
      ['quantity']
    )
    assert.equal((await Slot.findOrFail(slot.id)).quantity, 10)
    assert.equal(await count(Restock.query()), 0)
    assert.equal(await count(AuditLog.query()), 0)
  })

  test('refuses to stock a slot without a product', async ({ client, assert }) => {
    const admin = await createAdmin()
    const machine = await MachineFactory.create()
    await SlotFactory.merge({
      machineId: machine.id,
      number: 1,
      quantity: 0,
      capacity: 10,
    }).create()
    const response = await client
      .post(`/admin/machines/${machine.id}/slots/1/restock`)
      .withGuard('web')
      .loginAs(admin)
      .form({ mode: 'add', quantity: '5' })
      .withCsrfToken()
      .redirects(0)
    response.assertFlashMessage('inputErrorsBag', {
      quantity: ['Assign a product to this slot before stocking it.'],
    })
    assert.equal(await count(Restock.query()), 0)
  })
})

test.group('Admin planogram: slots flagged for a check', (group) => {
  group.each.setup(truncateAll)

  /**
   * Slot 1 of a machine, flagged as a jammed vend (order 42) would leave it.
   */
  async function flaggedSlot() {
    const stocked = await stockedMachine(3, 10)
    await Slot.query().where('id', stocked.slot.id).update({
      needs_check_at: '2026-03-01 10:15:00',
      needs_check_reason: 'jam',
      needs_check_order_id: 42,
    })
    return stocked
  }

  test('shows the mark on the planogram, the slot page and the dashboard', async ({
    client,
    assert,
  }) => {
    const admin = await createAdmin()
    const { machine, slot } = await flaggedSlot()
    await SlotFactory.merge({
      machineId: machine.id,
      productId: slot.productId,
      number: 2,
    }).create()

    const planogram = await client
      .get(`/admin/machines/${machine.id}/planogram`)
      .withGuard('web')
      .loginAs(admin)
    planogram.assertStatus(200)
    const rows = planogram.text().split('<tr data-slot="').slice(1)
    assert.include(rows[0], 'data-needs-check="jam"')
    assert.include(rows[0], 'order #42')
    assert.include(rows[0], `action="/admin/machines/${machine.id}/slots/1/clear-check"`)
    assert.notInclude(rows[1], 'needs-check')
    assert.notInclude(rows[1], 'clear-check')

    const slotPage = await client
      .get(`/admin/machines/${machine.id}/slots/1`)
      .withGuard('web')
      .loginAs(admin)
    slotPage.assertTextIncludes('id="slot-needs-check"')

    const dashboard = await client.get('/admin/dashboard/live').withGuard('web').loginAs(admin)
    const section =
      /<section id="slots-to-check">([\s\S]*?)<\/section>/.exec(dashboard.text())?.[1] ?? ''
    assert.deepEqual(
      [...section.matchAll(/data-check-slot="(\d+)"/g)].map((match) => Number(match[1])),
      [slot.id]
    )
    assert.include(section, 'jam')
    assert.include(section, `href="/admin/machines/${machine.id}/planogram"`)
  })

  test('an operator clears the mark once, with an audit row', async ({ client, assert }) => {
    const admin = await createAdmin()
    const { machine, slot } = await flaggedSlot()
    const clear = () =>
      client
        .post(`/admin/machines/${machine.id}/slots/1/clear-check`)
        .withGuard('web')
        .loginAs(admin)
        .withCsrfToken()
        .redirects(0)

    const response = await clear()
    response.assertStatus(302)
    response.assertHeader('location', `/admin/machines/${machine.id}/planogram`)
    response.assertFlashMessage('notice', 'Slot 1 marked as checked.')
    const cleared = await Slot.findOrFail(slot.id)
    assert.isNull(cleared.needsCheckAt)
    assert.isNull(cleared.needsCheckReason)
    assert.isNull(cleared.needsCheckOrderId)
    assert.equal(cleared.quantity, 3)
    const audit = await AuditLog.query().where('action', 'slot.check_cleared').firstOrFail()
    assert.equal(audit.userId, admin.id)
    assert.equal(audit.subjectId, slot.id)
    assert.equal(audit.before?.needs_check_reason, 'jam')
    assert.equal(audit.before?.needs_check_order_id, 42)

    const again = await clear()
    again.assertFlashMessage('notice', 'Slot 1 had nothing to check.')
    assert.equal(await count(AuditLog.query().where('action', 'slot.check_cleared')), 1)
    const dashboard = await client.get('/admin/dashboard/live').withGuard('web').loginAs(admin)
    assert.notInclude(dashboard.text(), 'slots-to-check')
  })

  test('a restock clears the mark', async ({ client, assert }) => {
    const admin = await createAdmin()
    const { machine, slot } = await flaggedSlot()

    await client
      .post(`/admin/machines/${machine.id}/slots/1/restock`)
      .withGuard('web')
      .loginAs(admin)
      .form({ mode: 'add', quantity: '2' })
      .withCsrfToken()
      .redirects(0)

    const restocked = await Slot.findOrFail(slot.id)
    assert.equal(restocked.quantity, 5)
    assert.isNull(restocked.needsCheckAt)
    assert.isNull(restocked.needsCheckReason)
    assert.equal(
      (await AuditLog.query().where('action', 'slot.restock').firstOrFail()).before
        ?.needs_check_reason,
      'jam'
    )
  })

  test('refuses a shopper and a post without a CSRF token', async ({ client, assert }) => {
    const admin = await createAdmin()
    const { machine, slot } = await flaggedSlot()
    const { token } = await createShopper()

    const shopper = await client
      .post(`/admin/machines/${machine.id}/slots/1/clear-check`)
      .bearerToken(token)
      .header('accept', 'text/html')
      .withCsrfToken()
      .redirects(0)
    shopper.assertStatus(403)
    const forged = await client
      .post(`/admin/machines/${machine.id}/slots/1/clear-check`)
      .withGuard('web')
      .loginAs(admin)
      .redirects(0)
    forged.assertFlashMessage('errorsBag', { E_BAD_CSRF_TOKEN: 'Invalid or expired CSRF token' })

    assert.equal((await Slot.findOrFail(slot.id)).needsCheckReason, 'jam')
  })
})
