import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import Machine from '#models/machine'
import MachineSession from '#actions/machines/machine_session'
import { dbTimestamp } from '#services/db_helpers'
import { MachineStatus } from '#enums/machine_status'
import { OrderStatus } from '#enums/order_status'
import { MachineFactory } from '#database/factories/machine_factory'
import { ProductFactory } from '#database/factories/product_factory'
import { SlotFactory } from '#database/factories/slot_factory'
import { OrderFactory } from '#database/factories/order_factory'
import { truncateAll } from '#tests/helpers/database'
import { createShopper } from '#tests/helpers/shopper'
import { getPage, postForm } from '#tests/functional/shopper/page_helpers'

/**
 * A machine in `status` with three slots: two products on sale (one sold
 * out) and an inactive one.
 */
async function stockedMachine(status: MachineStatus = MachineStatus.Online) {
  const machine = await MachineFactory.merge({
    name: 'Lobby',
    location: 'Ground floor',
    status,
  }).create()
  const coffee = await ProductFactory.merge({
    name: 'Cold Coffee',
    pricePaise: 4500,
    isRefundable: true,
  }).create()
  const chips = await ProductFactory.merge({
    name: 'Masala Chips',
    pricePaise: 2000,
    isRefundable: false,
  }).create()
  const retired = await ProductFactory.merge({ name: 'Old Candy', pricePaise: 1000 })
    .apply('inactive')
    .create()
  const coffeeSlot = await SlotFactory.merge({
    machineId: machine.id,
    number: 1,
    productId: coffee.id,
    quantity: 7,
  }).create()
  await SlotFactory.merge({
    machineId: machine.id,
    number: 2,
    productId: chips.id,
    quantity: 0,
  }).create()
  await SlotFactory.merge({
    machineId: machine.id,
    number: 3,
    productId: retired.id,
    quantity: 4,
  }).create()
  return { machine, coffee, coffeeSlot, chips, retired }
}

/**
 * Moves the machine's session end to `seconds` from now (negative: lapsed).
 */
async function sessionEndsIn(machineId: number, seconds: number) {
  await db
    .from('machines')
    .where('id', machineId)
    .update({ session_expires_at: dbTimestamp(db.connection(), DateTime.now().plus({ seconds })) })
}

/**
 * The texts of the page's alerts that show (not `hidden`), whitespace folded.
 */
function shownAlerts(html: string): string[] {
  return [...html.matchAll(/<p class="alert"([^>]*)>([\s\S]*?)<\/p>/g)]
    .filter((match) => !/\shidden[\s>=]|\shidden$/.test(match[1]))
    .map((match) =>
      match[2]
        .replace(/<[^>]+>/g, '')
        .replace(/\s+/g, ' ')
        .trim()
    )
}

/**
 * The opening tags of the products' buy and pay buttons.
 */
function buyButtons(html: string): string[] {
  return [...html.matchAll(/<button type="submit" name="item"[^>]*>/g)].map((match) => match[0])
}

test.group('Shopper page at a machine', (group) => {
  group.each.setup(truncateAll)

  test("shows the machine, the shopper's wallet and the products with price and stock", async ({
    client,
    assert,
  }) => {
    const { machine, coffee, chips } = await stockedMachine()
    const { user } = await createShopper({ balancePaise: 12_345 })

    const response = await getPage(client, user, `/m/${machine.code}`)

    response.assertStatus(200)
    const html = response.text()
    for (const text of [
      'Lobby',
      'Ground floor',
      'Online',
      user.username,
      '₹123.45',
      'Cold Coffee',
      '₹45.00',
      '7 left',
      'Masala Chips',
      '₹20.00',
      'Sold out',
    ]) {
      assert.include(html, text)
    }
    assert.notInclude(html, 'Old Candy', 'a product off sale is not offered')
    // Each product: a wallet buy and a card payment of the same item.
    assert.include(html, `name="item" value="${coffee.id}:1" formaction="/m/${machine.code}/buy"`)
    assert.include(html, `name="item" value="${coffee.id}:1" formaction="/m/${machine.code}/pay"`)
    assert.include(html, 'Pay ₹45 by card')
    assert.match(
      html,
      new RegExp(`value="${chips.id}:2" formaction="/m/${machine.code}/buy"\\s+disabled`)
    )
    // Top-ups: ₹50, ₹100, ₹200 and a custom amount, each form with its own key.
    for (const amount of ['50', '100', '200'])
      assert.include(html, `name="amount" value="${amount}"`)
    assert.include(html, 'id="custom-amount"')
    const keys = [...html.matchAll(/name="idempotency_key" value="([^"]+)"/g)].map(
      (match) => match[1]
    )
    assert.lengthOf(keys, 5)
    assert.lengthOf(new Set(keys), 5)
    // No external script on the demo driver.
    assert.notInclude(html, 'checkout.razorpay.com')
    assert.include(html, '<script src="/js/shopper.js" defer></script>')
  })

  test('renders fresh form keys on every visit', async ({ client, assert }) => {
    const { machine } = await stockedMachine()
    const { user } = await createShopper()
    const keysOf = (html: string) =>
      [...html.matchAll(/name="idempotency_key" value="([^"]+)"/g)].map((match) => match[1])

    const first = keysOf((await getPage(client, user, `/m/${machine.code}`)).text())
    const second = keysOf((await getPage(client, user, `/m/${machine.code}`)).text())

    assert.lengthOf(first, 5)
    assert.notIncludeMembers(second, first)
  })

  test('says when the machine is offline or being serviced', async ({ client }) => {
    const offline = await stockedMachine(MachineStatus.Offline)
    const { user } = await createShopper()

    const response = await getPage(client, user, `/m/${offline.machine.code}`)
    response.assertTextIncludes('This machine is offline right now')

    offline.machine.status = MachineStatus.Maintenance
    await offline.machine.save()
    const serviced = await getPage(client, user, `/m/${offline.machine.code}`)
    serviced.assertTextIncludes('This machine is being serviced')
  })

  test('offers no buy while the machine is offline or serviced, with one banner saying why, also after a refused buy', async ({
    client,
    assert,
  }) => {
    const { machine, coffee } = await stockedMachine(MachineStatus.Offline)
    const { user } = await createShopper()
    // What a buy refused as offline flashes (app/exceptions/handler.ts, see buying.spec.ts).
    const refused = { error: 'This machine is not online right now.', errorCode: 'machine_offline' }
    const banners = {
      [MachineStatus.Offline]:
        'This machine is offline right now. You can look around; buying works again once it is back.',
      [MachineStatus.Maintenance]:
        'This machine is being serviced. You can look around; buying is paused.',
    }

    for (const status of [MachineStatus.Offline, MachineStatus.Maintenance] as const) {
      await db.from('machines').where('id', machine.id).update({ status })
      for (const flash of [{}, refused]) {
        const html = (
          await getPage(client, user, `/m/${machine.code}`).withFlashMessages(flash)
        ).text()
        assert.deepEqual(shownAlerts(html), [banners[status]], `${status} ${JSON.stringify(flash)}`)
        assert.notInclude(html, refused.error)
        const buttons = buyButtons(html)
        assert.lengthOf(buttons, 4)
        for (const button of buttons) assert.match(button, /\sdisabled[\s>]/, button)
      }
    }

    await db.from('machines').where('id', machine.id).update({ status: MachineStatus.Online })
    const html = (await getPage(client, user, `/m/${machine.code}`)).text()
    assert.deepEqual(shownAlerts(html), [])
    const coffeeButtons = buyButtons(html).filter((button) =>
      button.includes(`value="${coffee.id}:1"`)
    )
    assert.lengthOf(coffeeButtons, 2)
    for (const button of coffeeButtons) assert.notMatch(button, /\sdisabled[\s>]/, button)
  })

  test("lists the shopper's recent orders here, with status words, and never another shopper's", async ({
    client,
    assert,
  }) => {
    const { machine, coffee, coffeeSlot } = await stockedMachine()
    const elsewhere = await MachineFactory.merge({ name: 'Cafeteria' }).create()
    const { user } = await createShopper()
    const { user: other } = await createShopper()
    const dropped = await OrderFactory.merge({
      userId: user.id,
      machineId: machine.id,
      slotId: coffeeSlot.id,
      productId: coffee.id,
      status: OrderStatus.Completed,
    }).create()
    const failed = await OrderFactory.merge({
      userId: user.id,
      machineId: machine.id,
      slotId: coffeeSlot.id,
      productId: coffee.id,
      status: OrderStatus.Refunded,
      failureReason: 'jam',
    }).create()
    const theirs = await OrderFactory.merge({
      userId: other.id,
      machineId: machine.id,
      slotId: coffeeSlot.id,
      productId: coffee.id,
    }).create()

    const response = await getPage(client, user, `/m/${machine.code}`)

    const html = response.text()
    assert.include(html, `href="/m/${machine.code}/orders/${dropped.id}"`)
    assert.include(html, `href="/m/${machine.code}/orders/${failed.id}"`)
    assert.notInclude(html, `/orders/${theirs.id}"`)
    assert.include(html, 'Dropped')
    assert.include(html, 'Did not drop · refunded')
    assert.notInclude(
      html,
      'All your recent orders',
      'no second list while every order is from here'
    )

    const away = await OrderFactory.merge({
      userId: user.id,
      machineId: elsewhere.id,
      slotId: coffeeSlot.id,
      productId: coffee.id,
      status: OrderStatus.Completed,
    }).create()
    const later = await getPage(client, user, `/m/${machine.code}`)
    later.assertTextIncludes('All your recent orders')
    later.assertTextIncludes(`href="/m/${elsewhere.code}/orders/${away.id}"`)
    later.assertTextIncludes('Cafeteria')
  })

  test('asks for the display code when the machine requires it', async ({ client, assert }) => {
    const { machine } = await stockedMachine()
    const { user } = await createShopper()

    const plain = await getPage(client, user, `/m/${machine.code}`)
    assert.notInclude(plain.text(), 'name="display_code"')

    machine.requiresDisplayCode = true
    await machine.save()
    const guarded = await getPage(client, user, `/m/${machine.code}`)
    guarded.assertTextIncludes('name="display_code"')
    guarded.assertTextIncludes("Code on the machine's screen")
  })

  test('says the machine is in use while another shopper holds its session', async ({
    client,
    assert,
  }) => {
    const { machine } = await stockedMachine()
    const { user } = await createShopper()
    const { user: other } = await createShopper()
    await new MachineSession().claim(machine, other)

    const busy = await getPage(client, user, `/m/${machine.code}`)
    busy.assertTextIncludes('In use by another shopper')
    assert.notInclude(busy.text(), "I'm done")

    const holder = await getPage(client, other, `/m/${machine.code}`)
    assert.notInclude(holder.text(), 'In use by another shopper')
    holder.assertTextIncludes("I'm done")

    // A lapsed session holds nothing.
    await sessionEndsIn(machine.id, -1)
    const free = await getPage(client, user, `/m/${machine.code}`)
    assert.notInclude(free.text(), 'In use by another shopper')
  })

  test('"I\'m done" releases the shopper\'s session on the machine, and only theirs', async ({
    client,
    assert,
  }) => {
    const { machine } = await stockedMachine()
    const { user } = await createShopper()
    const { user: other } = await createShopper()
    await new MachineSession().claim(machine, user)

    const notTheirs = await postForm(client, other, `/m/${machine.code}/done`, {})
    notTheirs.assertStatus(302)
    assert.equal((await Machine.findOrFail(machine.id)).sessionUserId, user.id)

    const done = await postForm(client, user, `/m/${machine.code}/done`, {})
    done.assertStatus(302)
    done.assertHeader('location', `/m/${machine.code}`)
    done.assertFlashMessage('notice', 'Thanks! The machine is free for the next shopper.')
    assert.isNull((await Machine.findOrFail(machine.id)).sessionUserId)
  })
})
