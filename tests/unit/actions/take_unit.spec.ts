import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import TakeUnit, { type UnitRequest } from '#actions/orders/take_unit'
import OutOfStockException from '#exceptions/out_of_stock_exception'
import VendingException from '#exceptions/vending_exception'
import Machine from '#models/machine'
import { snapshot } from '#tests/helpers/api'
import { shopperWith, stockedMachine, stockOf, useGlobalTransaction } from '#tests/helpers/actions'

/**
 * Runs `TakeUnit` as a buy does: `prepare` outside, `within` in a
 * transaction of its own (a savepoint of the test's global transaction).
 */
async function take(request: UnitRequest) {
  const takeUnit = await app.container.make(TakeUnit)
  const prepared = await takeUnit.prepare(request)
  return db.transaction((trx) => takeUnit.within(trx, prepared))
}

/**
 * What a refusal should leave as it was: every balance, stock, order and
 * ledger row (`snapshot`), and the machine's shopper session.
 */
async function state(machineId: number) {
  const machine = await Machine.findOrFail(machineId)
  return { ...(await snapshot()), sessionUserId: machine.sessionUserId }
}

/*
 * TakeUnit, the one rule for taking a unit out of a machine (wallet buys
 * and pay-per-vend alike), called directly with the stock as stored.
 */
test.group('TakeUnit', (group) => {
  useGlobalTransaction(group)

  test('takes one unit from the slot', async ({ assert }) => {
    const user = await shopperWith(0)
    const { machine, product, slot } = await stockedMachine({ quantities: [3] })

    const taken = await take({ user, productId: product.id, machineCode: machine.code })

    assert.equal(taken.slot.id, slot.id)
    assert.equal(await stockOf(slot.id), 2)
  })

  test('takes the last unit, then refuses with out_of_stock and leaves the slot at zero', async ({
    assert,
  }) => {
    const user = await shopperWith(0)
    const { machine, product, slot } = await stockedMachine({ quantities: [1] })
    await take({ user, productId: product.id, machineCode: machine.code })
    assert.equal(await stockOf(slot.id), 0)

    const refusal = await take({ user, productId: product.id, machineCode: machine.code }).catch(
      (error) => error
    )

    assert.instanceOf(refusal, OutOfStockException)
    assert.instanceOf(refusal, VendingException)
    assert.equal(refusal.code, 'out_of_stock')
    assert.equal(refusal.status, 409)
    assert.equal(await stockOf(slot.id), 0)
  })

  test('refuses on a slot emptied after the request was prepared: the conditional decrement decides, not the earlier read', async ({
    assert,
  }) => {
    const user = await shopperWith(0)
    const { machine, product, slot } = await stockedMachine({ quantities: [1] })
    const takeUnit = await app.container.make(TakeUnit)
    const prepared = await takeUnit.prepare({
      user,
      productId: product.id,
      machineCode: machine.code,
    })
    assert.equal(prepared.slots[0].quantity, 1, 'the prepared read saw a unit')
    // Someone else's buy takes it meanwhile.
    await db.from('slots').where('id', slot.id).update({ quantity: 0 })

    const refusal = await db
      .transaction((trx) => takeUnit.within(trx, prepared))
      .catch((error) => error)

    assert.instanceOf(refusal, OutOfStockException)
    assert.equal(refusal.code, 'out_of_stock')
    assert.equal(await stockOf(slot.id), 0)
  })

  test('passes over an empty slot to the next one holding the product', async ({ assert }) => {
    const user = await shopperWith(0)
    const { machine, product, slots } = await stockedMachine({ quantities: [0, 2] })

    const taken = await take({ user, productId: product.id, machineCode: machine.code })

    assert.equal(taken.slot.id, slots[1].id)
    assert.deepEqual([await stockOf(slots[0].id), await stockOf(slots[1].id)], [0, 1])
  })

  test('changes nothing when it refuses, not even the session the request claimed', async ({
    assert,
  }) => {
    const user = await shopperWith(5000)
    const { machine, product } = await stockedMachine({ quantities: [0, 0] })
    const before = await state(machine.id)

    const refusal = await take({
      user,
      productId: product.id,
      machineCode: machine.code,
      claimSession: true,
    }).catch((error) => error)

    assert.instanceOf(refusal, OutOfStockException)
    assert.equal(refusal.code, 'out_of_stock')
    assert.isNull(before.sessionUserId)
    assert.deepEqual(await state(machine.id), before)
  })

  test('claims the session with the unit when the request asks to', async ({ assert }) => {
    const user = await shopperWith(0)
    const { machine, product, slot } = await stockedMachine({ quantities: [2] })

    await take({ user, productId: product.id, machineCode: machine.code, claimSession: true })

    assert.equal((await Machine.findOrFail(machine.id)).sessionUserId, user.id)
    assert.equal(await stockOf(slot.id), 1)
  })
})
