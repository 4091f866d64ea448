import { test } from '@japa/runner'
import { createShopper } from '#tests/helpers/shopper'
import { truncateAll } from '#tests/helpers/database'
import { machineWithProduct, orderOf, ratingOf } from '#tests/helpers/feedback'
import { UserFactory } from '#database/factories/user_factory'
import { ProductFactory } from '#database/factories/product_factory'
import { SlotFactory } from '#database/factories/slot_factory'

/**
 * Ids of the ratings a list shows, top to bottom.
 */
function listedIds(html: string): number[] {
  return [...html.matchAll(/data-feedback-id="(\d+)"/g)].map((match) => Number(match[1]))
}

/**
 * The average and count a summary table shows for one machine or product:
 * `kind` is `machine` or `product`.
 */
function summaryOf(html: string, kind: 'machine' | 'product', id: number) {
  const row = html.split(`data-${kind}-id="${id}"`)[1]?.split('</tr>')[0]
  if (!row) return null
  return {
    average: /data-average>([\d.]+) ★/.exec(row)![1],
    count: Number(/data-count>(\d+)</.exec(row)![1]),
  }
}

/**
 * Two machines, chips sold at both and coffee at alpha, five rated orders:
 *
 * | rating | machine | product | vend      | given      |
 * | r1 5   | alpha   | chips   | dropped   | 50 min ago |
 * | r2 1   | alpha   | coffee  | failed    | 40 min ago |
 * | r3 2   | beta    | chips   | failed    | 30 min ago |
 * | r4 4   | alpha   | chips   | dropped   | 20 min ago |
 * | r5 2   | alpha   | chips   | dropped   | 10 min ago |
 */
async function seedRatings() {
  const alphaAt = await machineWithProduct({ code: 'm-alpha', productName: 'Masala Chips' })
  const betaAt = await machineWithProduct({ code: 'm-beta', productName: 'Cold Coffee' })
  // beta sells chips too; alpha sells coffee in slot 2
  const chips = alphaAt.product
  const coffee = betaAt.product
  const alphaCoffeeSlot = await SlotFactory.merge({
    machineId: alphaAt.machine.id,
    productId: coffee.id,
    number: 2,
  }).create()
  const betaChipsSlot = await SlotFactory.merge({
    machineId: betaAt.machine.id,
    productId: chips.id,
    number: 2,
  }).create()
  const { user } = await createShopper()

  const alphaChips = { machine: alphaAt.machine, product: chips, slotId: alphaAt.slotId }
  const alphaCoffee = { machine: alphaAt.machine, product: coffee, slotId: alphaCoffeeSlot.id }
  const betaChips = { machine: betaAt.machine, product: chips, slotId: betaChipsSlot.id }

  const r1 = await ratingOf(await orderOf(user, alphaChips, 'completed'), 5, { minutesAgo: 50 })
  const r2 = await ratingOf(await orderOf(user, alphaCoffee, 'failed_refunded'), 1, {
    vendFailed: true,
    comment: 'Took my money, nothing fell',
    minutesAgo: 40,
  })
  const r3 = await ratingOf(await orderOf(user, betaChips, 'failed_refunded'), 2, {
    vendFailed: true,
    comment: 'Stuck again',
    minutesAgo: 30,
  })
  const r4 = await ratingOf(await orderOf(user, alphaChips, 'completed'), 4, { minutesAgo: 20 })
  const r5 = await ratingOf(await orderOf(user, alphaChips, 'completed'), 2, {
    comment: 'Stale chips',
    minutesAgo: 10,
  })
  return { alpha: alphaAt.machine, beta: betaAt.machine, chips, coffee, r1, r2, r3, r4, r5 }
}

test.group('Admin feedback', (group) => {
  group.each.setup(truncateAll)

  test('is for admins: a visitor goes to the login page, a shopper token gets 403', async ({
    client,
  }) => {
    const anonymous = await client.get('/admin/feedback').header('accept', 'text/html').redirects(0)
    anonymous.assertStatus(302)
    anonymous.assertHeader('location', '/admin/login')

    const { token } = await createShopper()
    const shopper = await client
      .get('/admin/feedback')
      .bearerToken(token)
      .header('accept', 'text/html')
    shopper.assertStatus(403)
  })

  test('lists every rating newest first, with averages per machine and per product', async ({
    client,
    assert,
  }) => {
    const admin = await UserFactory.apply('admin').create()
    const { alpha, beta, chips, coffee, r1, r2, r3, r4, r5 } = await seedRatings()

    const response = await client.get('/admin/feedback').withGuard('web').loginAs(admin)

    response.assertStatus(200)
    const html = response.text()
    assert.deepEqual(listedIds(html), [r5.id, r4.id, r3.id, r2.id, r1.id])
    assert.include(html, 'Took my money, nothing fell')
    assert.include(html, '5 ratings')
    assert.include(html, 'href="/admin/feedback" aria-current="page"', 'the nav link is current')
    // alpha: 5, 1, 4, 2 → 3.0; beta: 2. Chips: 5, 2, 4, 2 → 3.25; coffee: 1.
    assert.deepEqual(summaryOf(html, 'machine', alpha.id), { average: '3.0', count: 4 })
    assert.deepEqual(summaryOf(html, 'machine', beta.id), { average: '2.0', count: 1 })
    assert.deepEqual(summaryOf(html, 'product', chips.id), { average: '3.3', count: 4 })
    assert.deepEqual(summaryOf(html, 'product', coffee.id), { average: '1.0', count: 1 })
    assert.notInclude(html, '@if(')
  })

  test('filters by machine and by product; the averages follow the filters', async ({
    client,
    assert,
  }) => {
    const admin = await UserFactory.apply('admin').create()
    const { alpha, beta, chips, coffee, r1, r2, r3, r4, r5 } = await seedRatings()
    const list = async (qs: Record<string, string | number>) => {
      const response = await client.get('/admin/feedback').qs(qs).withGuard('web').loginAs(admin)
      response.assertStatus(200)
      return response.text()
    }

    assert.deepEqual(listedIds(await list({ machine: beta.id })), [r3.id])
    assert.deepEqual(listedIds(await list({ product: coffee.id })), [r2.id])
    assert.deepEqual(listedIds(await list({ machine: alpha.id, product: chips.id })), [
      r5.id,
      r4.id,
      r1.id,
    ])
    assert.deepEqual(listedIds(await list({ machine: '', product: '' })), [
      r5.id,
      r4.id,
      r3.id,
      r2.id,
      r1.id,
    ])

    const alphaOnly = await list({ machine: alpha.id })
    assert.deepEqual(summaryOf(alphaOnly, 'machine', alpha.id), { average: '3.0', count: 4 })
    assert.isNull(summaryOf(alphaOnly, 'machine', beta.id))
    assert.deepEqual(summaryOf(alphaOnly, 'product', chips.id), { average: '3.7', count: 3 })

    const bogus = await list({ machine: 'lobby' })
    assert.include(bogus, 'Some filters were not understood')
    assert.lengthOf(listedIds(bogus), 5)
  })

  test('pages through ratings 25 at a time', async ({ client, assert }) => {
    const admin = await UserFactory.apply('admin').create()
    const at = await machineWithProduct()
    const { user } = await createShopper()
    for (let minutes = 30; minutes > 0; minutes--) {
      await ratingOf(await orderOf(user, at, 'completed'), 3, { minutesAgo: minutes })
    }

    const first = await client.get('/admin/feedback').withGuard('web').loginAs(admin)
    const second = await client
      .get('/admin/feedback')
      .qs({ page: 2 })
      .withGuard('web')
      .loginAs(admin)

    assert.lengthOf(listedIds(first.text()), 25)
    assert.lengthOf(listedIds(second.text()), 5)
    first.assertTextIncludes('Page 1 of 2')
  })

  test("the machine page lists only 1- and 2-star ratings of that machine's failed vends", async ({
    client,
    assert,
  }) => {
    const admin = await UserFactory.apply('admin').create()
    const { alpha, beta, r2, r3 } = await seedRatings()
    // A 3-star failed vend at alpha: not low enough.
    const { user } = await createShopper()
    const other = await ProductFactory.create()
    const slot = await SlotFactory.merge({
      machineId: alpha.id,
      productId: other.id,
      number: 3,
    }).create()
    await ratingOf(
      await orderOf(user, { machine: alpha, product: other, slotId: slot.id }, 'failed_refunded'),
      3,
      { vendFailed: true }
    )

    const alphaPage = await client
      .get(`/admin/machines/${alpha.id}`)
      .withGuard('web')
      .loginAs(admin)
    const betaPage = await client.get(`/admin/machines/${beta.id}`).withGuard('web').loginAs(admin)

    alphaPage.assertStatus(200)
    const card = (html: string) => html.split('id="low-ratings"')[1].split('</article>')[0]
    const alphaCard = card(alphaPage.text())
    assert.include(alphaCard, 'Low ratings on failed vends')
    // r5 is 2 stars at alpha but its vend dropped; r1, r4 are high; r3 is beta's.
    assert.deepEqual(listedIds(alphaCard), [r2.id])
    assert.include(alphaCard, 'Took my money, nothing fell')
    assert.include(alphaCard, 'jam')
    assert.deepEqual(listedIds(card(betaPage.text())), [r3.id])
  })

  test('the machine page card says so when there is no low rating', async ({ client, assert }) => {
    const admin = await UserFactory.apply('admin').create()
    const { machine } = await machineWithProduct()

    const response = await client
      .get(`/admin/machines/${machine.id}`)
      .withGuard('web')
      .loginAs(admin)

    response.assertStatus(200)
    assert.include(response.text(), 'No shopper gave a failed vend here 1 or 2 stars.')
  })
})
