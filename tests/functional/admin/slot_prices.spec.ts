import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import AuditLog from '#models/audit_log'
import Slot from '#models/slot'
import type User from '#models/user'
import { UserFactory } from '#database/factories/user_factory'
import { MachineFactory } from '#database/factories/machine_factory'
import { ProductFactory } from '#database/factories/product_factory'
import { SlotFactory } from '#database/factories/slot_factory'
import { truncateAll } from '#tests/helpers/database'

/**
 * An admin, and a machine whose slot 1 holds `quantity` units of a ₹25
 * product (capacity 10) at `override` paise (null: the product's price).
 */
async function setup(override: number | null = null, quantity = 3) {
  const admin = await UserFactory.apply('admin').merge({ email: 'ops@example.com' }).create()
  const machine = await MachineFactory.create()
  const product = await ProductFactory.merge({ name: 'Masala chips', pricePaise: 2500 }).create()
  const slot = await SlotFactory.merge({
    machineId: machine.id,
    productId: product.id,
    number: 1,
    quantity,
    capacity: 10,
  }).create()
  await Slot.query().where('id', slot.id).update({ pricePaise: override })
  return { admin, machine, product, slot }
}

/**
 * Posts the slot form of slot 1 as `admin`.
 */
function saveSlot(client: ApiClient, admin: User, machineId: number, form: Record<string, string>) {
  return client
    .post(`/admin/machines/${machineId}/slots/1`)
    .withGuard('web')
    .loginAs(admin)
    .header('referer', `/admin/machines/${machineId}/slots/1`)
    .form(form)
    .withCsrfToken()
    .redirects(0)
}

async function overrideOf(slotId: number) {
  return (await Slot.findOrFail(slotId)).pricePaise
}

test.group('Admin planogram: slot prices', (group) => {
  group.each.setup(truncateAll)

  test('sets a price override in rupees, audited, and shows both prices', async ({
    client,
    assert,
  }) => {
    const { admin, machine, product, slot } = await setup()

    const response = await saveSlot(client, admin, machine.id, {
      product_id: String(product.id),
      capacity: '10',
      price_override: '₹55.50',
    })

    response.assertFlashMessage('notice', 'Slot 1 saved.')
    assert.equal(await overrideOf(slot.id), 5550)
    const audit = await AuditLog.query().where('action', 'slot.update').firstOrFail()
    assert.equal(audit.subjectId, slot.id)
    assert.deepEqual(audit.before, { product_id: product.id, capacity: 10, price_paise: null })
    assert.deepEqual(audit.after, { product_id: product.id, capacity: 10, price_paise: 5550 })

    const planogram = await client
      .get(`/admin/machines/${machine.id}/planogram`)
      .withGuard('web')
      .loginAs(admin)
    planogram.assertStatus(200)
    const row = /<tr data-slot="1">[\s\S]*?<\/tr>/.exec(planogram.text())![0]
    assert.match(row, /data-product-price>₹25\.00</)
    assert.match(
      row,
      /data-slot-price>\s*<strong>₹55\.50<\/strong> <span class="badge price-override">/
    )

    const form = await client
      .get(`/admin/machines/${machine.id}/slots/1`)
      .withGuard('web')
      .loginAs(admin)
    assert.match(form.text(), /name="price_override" value="55\.50"/)
  })

  test('shows the product price alone for a slot without override', async ({ client, assert }) => {
    const { admin, machine } = await setup()

    const planogram = await client
      .get(`/admin/machines/${machine.id}/planogram`)
      .withGuard('web')
      .loginAs(admin)

    const row = /<tr data-slot="1">[\s\S]*?<\/tr>/.exec(planogram.text())![0]
    assert.match(row, /data-slot-price>\s*₹25\.00\s*<\/td>/)
    assert.notInclude(row, 'price-override')
  })

  test('clears the override with an empty field and keeps it when the field is left out', async ({
    client,
    assert,
  }) => {
    const { admin, machine, product, slot } = await setup(5550)

    await saveSlot(client, admin, machine.id, {
      product_id: String(product.id),
      capacity: '12',
    })
    assert.equal(await overrideOf(slot.id), 5550, 'a form without the field changes no price')
    const kept = await AuditLog.query().where('action', 'slot.update').firstOrFail()
    assert.deepEqual(kept.after, { product_id: product.id, capacity: 12 })

    const cleared = await saveSlot(client, admin, machine.id, {
      product_id: String(product.id),
      capacity: '12',
      price_override: '',
    })

    cleared.assertFlashMessage('notice', 'Slot 1 saved.')
    assert.isNull(await overrideOf(slot.id))
    const audit = await AuditLog.query()
      .where('action', 'slot.update')
      .orderBy('id', 'desc')
      .first()
    assert.deepEqual(audit!.before, { product_id: product.id, capacity: 12, price_paise: 5550 })
    assert.deepEqual(audit!.after, { product_id: product.id, capacity: 12, price_paise: null })
  })

  test('refuses a price the product form would refuse, with a field error, changing nothing', async ({
    client,
    assert,
  }) => {
    const { admin, machine, product, slot } = await setup(5550)
    const cases: [string, string][] = [
      ['abc', 'Enter the price in rupees, for example 45.50.'],
      ['0', 'The price must be more than ₹0.'],
      ['1.234', 'The price can have at most 2 decimals (paise), for example 45.50.'],
      ['100001', 'The price can be at most ₹1,00,000.'],
    ]

    for (const [typed, message] of cases) {
      const response = await saveSlot(client, admin, machine.id, {
        product_id: String(product.id),
        capacity: '7',
        price_override: typed,
      })
      response.assertStatus(302)
      response.assertFlashMessage('inputErrorsBag', { price_override: [message] })
    }

    await slot.refresh()
    assert.equal(slot.pricePaise, 5550)
    assert.equal(slot.capacity, 10)
    assert.equal(
      await AuditLog.query()
        .count('* as total')
        .first()
        .then((r) => Number(r!.$extras.total)),
      0
    )
  })

  test('a new product clears the override carried over by the form, but takes one typed for it', async ({
    client,
    assert,
  }) => {
    const { admin, machine, product, slot } = await setup(5550, 0)
    const water = await ProductFactory.merge({ name: 'Water', pricePaise: 2000 }).create()
    const juice = await ProductFactory.merge({ name: 'Juice', pricePaise: 3000 }).create()

    // The form posts the old override unchanged alongside the new product.
    await saveSlot(client, admin, machine.id, {
      product_id: String(water.id),
      capacity: '10',
      price_override: '55.50',
    })
    await slot.refresh()
    assert.equal(slot.productId, water.id)
    assert.isNull(slot.pricePaise)
    const audit = await AuditLog.query().where('action', 'slot.update').firstOrFail()
    assert.deepEqual(audit.before, { product_id: product.id, capacity: 10, price_paise: 5550 })
    assert.deepEqual(audit.after, { product_id: water.id, capacity: 10, price_paise: null })

    // Left out entirely, the same.
    await Slot.query().where('id', slot.id).update({ pricePaise: 2600 })
    await saveSlot(client, admin, machine.id, { product_id: String(product.id), capacity: '10' })
    assert.isNull(await overrideOf(slot.id))

    // A price typed in the same save is meant for the new product.
    await saveSlot(client, admin, machine.id, {
      product_id: String(juice.id),
      capacity: '10',
      price_override: '45',
    })
    assert.equal(await overrideOf(slot.id), 4500)

    // An emptied slot has no price.
    await saveSlot(client, admin, machine.id, {
      product_id: '',
      capacity: '10',
      price_override: '45',
    })
    assert.isNull(await overrideOf(slot.id))
  })
})
