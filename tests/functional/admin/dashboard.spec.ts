import { test } from '@japa/runner'
import { UserFactory } from '#database/factories/user_factory'
import { MachineFactory } from '#database/factories/machine_factory'
import { ProductFactory } from '#database/factories/product_factory'
import { SlotFactory } from '#database/factories/slot_factory'
import { truncateAll } from '#tests/helpers/database'

test.group('Admin dashboard: low stock', (group) => {
  group.each.setup(truncateAll)

  test("lists the slots at or below their own alert threshold, as the alerts do", async ({ client, assert }) => {
    const admin = await UserFactory.apply('admin').merge({ email: 'ops@example.com' }).create()
    const machine = await MachineFactory.merge({ code: 'lobby-1' }).create()
    const product = await ProductFactory.merge({ name: 'Masala chips' }).create()
    const slot = (number: number, quantity: number, lowStockThreshold: number) =>
      SlotFactory.merge({ machineId: machine.id, productId: product.id, number, quantity, capacity: 10, lowStockThreshold }).create()
    await slot(1, 4, 5) // low: 4 <= 5, above the old fixed 2 units
    await slot(2, 5, 5) // low: at the threshold
    await slot(3, 2, 1) // not low: its threshold is 1
    await slot(4, 0, 0) // empty, but its alert is off
    await SlotFactory.merge({ machineId: machine.id, productId: null, number: 5, quantity: 0, capacity: 10 }).create()

    const response = await client.get('/admin/dashboard/live').withGuard('web').loginAs(admin)

    response.assertStatus(200)
    const section = response.text().split('<h2>Low stock</h2>')[1] ?? ''
    const listed = [...section.matchAll(/<tr><td>lobby-1<\/td><td>(\d+)<\/td>/g)].map((match) => Number(match[1]))
    assert.sameMembers(listed, [1, 2])
  })
})
