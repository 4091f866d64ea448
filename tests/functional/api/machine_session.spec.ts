import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import vendingConfig from '#config/vending'
import Machine from '#models/machine'
import Slot from '#models/slot'
import BuyProduct from '#actions/orders/buy_product'
import MachineSession from '#actions/machines/machine_session'
import MachineBusyException from '#exceptions/machine_busy_exception'
import { dbTimestamp } from '#services/db_helpers'
import { truncateAll } from '#tests/helpers/database'
import { createShopper } from '#tests/helpers/shopper'
import { assertApiError, snapshot } from '#tests/helpers/api'
import { createOnlineMachine, disconnectDevice } from '#tests/helpers/device'

/**
 * An online machine with 10 units at ₹20 and `count` shoppers with ₹100
 * each.
 */
async function machineAndShoppers(cleanup: (handler: () => Promise<void>) => void, count = 2) {
  const online = await createOnlineMachine({ pricePaise: 2000, quantity: 10 })
  cleanup(() => disconnectDevice(online.device, online.machine.id))
  const shoppers = await Promise.all(
    Array.from({ length: count }, () => createShopper({ balancePaise: 10_000 }))
  )
  return { ...online, shoppers }
}

/**
 * Ends whatever session holds the machine, as if its time had run out.
 */
async function expireSession(machineId: number) {
  await db
    .from('machines')
    .where('id', machineId)
    .update({
      session_expires_at: dbTimestamp(db.connection(), DateTime.now().minus({ seconds: 1 })),
    })
}

/*
 * Tables are truncated between tests, not wrapped in a global transaction:
 * the concurrent claims need several connections on PostgreSQL.
 */
test.group('One shopper session at a time per machine', (group) => {
  group.each.setup(truncateAll)

  test('a claimed machine refuses another shopper’s API buy with 409 machine_busy and changes nothing', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, shoppers } = await machineAndShoppers(cleanup)
    const [a, b] = shoppers
    const session = new MachineSession()

    const claim = await session.claim(machine, a.user)
    assert.isTrue(claim.claimed)
    assert.isFalse(claim.heldByOther)
    const expected = DateTime.now().plus({ milliseconds: vendingConfig.machineSessionTtlMs })
    assert.approximately(claim.heldUntil!.toMillis(), expected.toMillis(), 2000)
    const before = await snapshot()

    const response = await client
      .post(`/api/v1/products/${product.id}/buy`)
      .bearerToken(b.token)
      .json({ machine: machine.code })

    const error = assertApiError(response, 409, 'machine_busy')
    assert.match(
      error.message,
      /^Someone else is using this machine right now\. Try again in about \d+ (seconds|minutes?)\.$/
    )
    assert.deepEqual(await snapshot(), before)
    assert.deepEqual(await session.status(machine, b.user), {
      claimed: false,
      heldByOther: true,
      heldUntil: (await Machine.findOrFail(machine.id)).sessionExpiresAt,
    })

    // The holder's own API buys go through.
    const own = await client
      .post(`/api/v1/products/${product.id}/buy`)
      .bearerToken(a.token)
      .json({ machine: machine.code })
    own.assertStatus(201)
  })

  test('once the session has expired another shopper can buy and claim', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, shoppers } = await machineAndShoppers(cleanup)
    const [a, b] = shoppers
    const session = new MachineSession()
    await session.claim(machine, a.user)

    await expireSession(machine.id)

    const response = await client
      .post(`/api/v1/products/${product.id}/buy`)
      .bearerToken(b.token)
      .json({ machine: machine.code })
    response.assertStatus(201)
    assert.deepEqual(await session.status(machine, a.user), {
      claimed: false,
      heldByOther: false,
      heldUntil: null,
    })
    const claim = await session.claim(machine, b.user)
    assert.isTrue(claim.claimed)
    assert.equal((await Machine.findOrFail(machine.id)).sessionUserId, b.user.id)
  })

  test('a buy with claimSession claims the machine; another shopper’s claiming buy is refused and changes nothing', async ({
    assert,
    cleanup,
  }) => {
    const { machine, product, slot, shoppers } = await machineAndShoppers(cleanup)
    const [a, b] = shoppers
    const buyProduct = await app.container.make(BuyProduct)

    await buyProduct.handle({
      user: a.user,
      productId: product.id,
      machineCode: machine.code,
      claimSession: true,
    })
    const held = await Machine.findOrFail(machine.id)
    assert.equal(held.sessionUserId, a.user.id)
    assert.isAbove(held.sessionExpiresAt!.toMillis(), Date.now())
    const before = await snapshot()

    const refused = await buyProduct
      .handle({
        user: b.user,
        productId: product.id,
        machineCode: machine.code,
        claimSession: true,
      })
      .then(
        () => null,
        (error: unknown) => error
      )

    assert.instanceOf(refused, MachineBusyException)
    assert.deepEqual(await snapshot(), before)
    assert.equal((await Slot.findOrFail(slot.id)).quantity, 9)
    assert.equal((await Machine.findOrFail(machine.id)).sessionUserId, a.user.id)
    const claim = await new MachineSession().claim(machine, b.user)
    assert.deepEqual([claim.claimed, claim.heldByOther], [false, true])
  })

  test('a claiming buy extends the holder’s own session', async ({ assert, cleanup }) => {
    const { machine, product, shoppers } = await machineAndShoppers(cleanup)
    const [a] = shoppers
    await db
      .from('machines')
      .where('id', machine.id)
      .update({
        session_user_id: a.user.id,
        session_expires_at: dbTimestamp(db.connection(), DateTime.now().plus({ seconds: 5 })),
      })

    await (
      await app.container.make(BuyProduct)
    ).handle({ user: a.user, productId: product.id, machineCode: machine.code, claimSession: true })

    const held = await Machine.findOrFail(machine.id)
    assert.equal(held.sessionUserId, a.user.id)
    assert.isAbove(
      held.sessionExpiresAt!.toMillis(),
      DateTime.now()
        .plus({ milliseconds: vendingConfig.machineSessionTtlMs - 5000 })
        .toMillis()
    )
  })

  test('release frees the machine only for its holder', async ({ assert, cleanup }) => {
    const { machine, shoppers } = await machineAndShoppers(cleanup)
    const [a, b] = shoppers
    const session = new MachineSession()
    await session.claim(machine, a.user)

    assert.isFalse(await session.release(machine, b.user))
    assert.equal((await Machine.findOrFail(machine.id)).sessionUserId, a.user.id)
    assert.isTrue(await session.release(machine, a.user))
    assert.isNull((await Machine.findOrFail(machine.id)).sessionUserId)
    assert.isTrue((await session.claim(machine, b.user)).claimed)
  })

  test('of 10 shoppers claiming at once exactly one wins', async ({ assert, cleanup }) => {
    const { machine, shoppers } = await machineAndShoppers(cleanup, 10)
    const session = new MachineSession()

    const claims = await Promise.all(
      shoppers.map((shopper) => session.claim(machine, shopper.user))
    )

    const winners = claims.filter((claim) => claim.claimed)
    assert.lengthOf(winners, 1)
    const holder = await Machine.findOrFail(machine.id)
    assert.equal(holder.sessionUserId, shoppers[claims.indexOf(winners[0])].user.id)
    for (const claim of claims.filter((c) => !c.claimed)) assert.isTrue(claim.heldByOther)
  })

  test('of 10 shoppers buying with claimSession at once exactly one is sold to', async ({
    assert,
    cleanup,
  }) => {
    const { machine, product, slot, shoppers } = await machineAndShoppers(cleanup, 10)
    const buyProduct = await app.container.make(BuyProduct)

    const outcomes = await Promise.allSettled(
      shoppers.map((shopper) =>
        buyProduct.handle({
          user: shopper.user,
          productId: product.id,
          machineCode: machine.code,
          claimSession: true,
        })
      )
    )

    const sold = outcomes.filter((outcome) => outcome.status === 'fulfilled')
    assert.lengthOf(sold, 1)
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') assert.instanceOf(outcome.reason, MachineBusyException)
    }
    assert.equal((await Slot.findOrFail(slot.id)).quantity, 9)
    const winner = shoppers[outcomes.indexOf(sold[0])]
    assert.equal((await Machine.findOrFail(machine.id)).sessionUserId, winner.user.id)
  })
})
