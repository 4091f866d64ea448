import { test } from '@japa/runner'
import User from '#models/user'
import Restock from '#models/restock'
import Slot from '#models/slot'
import { Role } from '#enums/role'
import { MachineFactory } from '#database/factories/machine_factory'
import { ProductFactory } from '#database/factories/product_factory'
import { SlotFactory } from '#database/factories/slot_factory'
import { truncateAll } from '#tests/helpers/database'

const PASSWORD = 'correct horse battery'

test.group('Admin restock visit in a phone browser', (group) => {
  group.each.setup(truncateAll)

  test('walks the slots, corrects a count, saves and sees the stock updated', async ({
    visit,
    assert,
  }) => {
    await User.create({
      username: 'restocker',
      role: Role.Admin,
      email: 'ops@example.com',
      password: PASSWORD,
      balancePaise: 0,
    })
    const machine = await MachineFactory.merge({ code: 'lobby-01', name: 'Lobby snacks' }).create()
    const chips = await ProductFactory.merge({ name: 'Masala chips' }).create()
    const water = await ProductFactory.merge({ name: 'Water 500 ml' }).create()
    const one = await SlotFactory.merge({
      machineId: machine.id,
      productId: chips.id,
      number: 1,
      quantity: 2,
      capacity: 10,
    }).create()
    const two = await SlotFactory.merge({
      machineId: machine.id,
      productId: water.id,
      number: 2,
      quantity: 5,
      capacity: 8,
    }).create()

    const page = await visit('/admin/login')
    await page.setViewportSize({ width: 390, height: 844 })
    await page.getByLabel('Email').fill('ops@example.com')
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Log in' }).click()

    // From the machine page to its visit.
    await page.goto(`/admin/machines/${machine.id}`)
    await page.locator('#restock-visit-link').click()
    await page.assertTextContains('h1', 'Restock visit')
    const first = page.locator('#loaded-1')
    const second = page.locator('#loaded-2')
    assert.equal(await first.inputValue(), '8')
    assert.equal(await second.inputValue(), '3')

    // One slot per row and a thumb-sized input, nothing sideways.
    const box = (await first.boundingBox())!
    assert.isAtLeast(box.height, 44)
    assert.isAtLeast(box.width, 300)
    const overflow = await page.evaluate(
      () => (globalThis as any).document.documentElement.scrollWidth
    )
    assert.isAtMost(overflow, 390)
    await page.screenshot({ path: 'tmp/screenshots/restock-visit-phone.png', fullPage: true })

    // Only 6 bags of chips were in the van.
    await first.fill('6')
    await page.getByRole('button', { name: 'Save visit' }).click()

    await page.assertTextContains('.notice', 'Visit saved: 9 units into 2 slots of lobby-01.')
    await page.assertTextContains('[data-visit-slot="1"] [data-on-hand]', '8')
    await page.assertTextContains('[data-visit-slot="2"] [data-on-hand]', '8')
    assert.equal(await page.locator('#loaded-1').inputValue(), '2')
    assert.equal(await page.locator('#loaded-2').inputValue(), '0')

    await one.refresh()
    await two.refresh()
    assert.deepEqual([one.quantity, two.quantity], [8, 8])
    const restocks = await Restock.query().orderBy('slot_id')
    assert.deepEqual(
      restocks.map((row) => [row.slotId, row.quantityBefore, row.quantityAfter]),
      [
        [one.id, 2, 8],
        [two.id, 5, 8],
      ]
    )
    assert.lengthOf(await Slot.query().where('machine_id', machine.id), 2)

    // The pick list prints without the panel around it.
    await Slot.query().where('id', one.id).update({ quantity: 3 })
    await page.setViewportSize({ width: 1280, height: 800 })
    await page.goto(`/admin/restock/pick-list?machines=${machine.id}`)
    await page.assertTextContains('#pick-rows [data-pick="lobby-01-1"]', 'Masala chips')
    await page.emulateMedia({ media: 'print' })
    assert.isFalse(await page.locator('header.topbar').isVisible())
    assert.isFalse(await page.locator('#pick-chooser').isVisible())
    assert.isFalse(await page.getByRole('button', { name: 'Print' }).isVisible())
    assert.isTrue(await page.locator('#pick-rows').isVisible())
    assert.isTrue(await page.locator('#pick-totals').isVisible())
    await page.screenshot({ path: 'tmp/screenshots/restock-pick-list-print.png', fullPage: true })
  })
})
