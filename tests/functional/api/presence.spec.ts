import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import { DateTime } from 'luxon'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import vendingConfig from '#config/vending'
import Machine from '#models/machine'
import type Product from '#models/product'
import RotateDisplayCodes from '#actions/machines/rotate_display_codes'
import VendSweeper from '#jobs/vend_sweeper'
import { dbTimestamp } from '#services/db_helpers'
import { truncateAll } from '#tests/helpers/database'
import { createShopper } from '#tests/helpers/shopper'
import { assertApiError, snapshot } from '#tests/helpers/api'
import { createOnlineMachine, disconnectDevice, eventually } from '#tests/helpers/device'

/**
 * An online machine that requires its display code, once its device has
 * been given one, and a shopper with money for several buys. The sweeper
 * is paused for the test, so only the test rotates codes.
 */
async function presenceMachine(cleanup: (handler: () => Promise<void>) => void) {
  const sweeper = await app.container.make(VendSweeper)
  await sweeper.stop()
  cleanup(async () => sweeper.start())
  const online = await createOnlineMachine({ pricePaise: 2000, quantity: 10 })
  cleanup(() => disconnectDevice(online.device, online.machine.id))
  await db.from('machines').where('id', online.machine.id).update({ requires_display_code: true })
  const machine = await eventually(async () => {
    const current = await Machine.findOrFail(online.machine.id)
    return current.displayCode ? current : null
  })
  const shopper = await createShopper({ balancePaise: 20_000 })
  return { ...online, machine, shopper }
}

function buy(
  client: ApiClient,
  token: string,
  product: Product,
  machine: Machine,
  displayCode?: string
) {
  const body: Record<string, unknown> = { machine: machine.code }
  if (displayCode !== undefined) body.display_code = displayCode
  return client.post(`/api/v1/products/${product.id}/buy`).bearerToken(token).json(body)
}

/**
 * A 4-digit code that is neither of `codes`.
 */
function otherCode(...codes: (string | null)[]) {
  for (let n = 0; ; n++) {
    const code = String(n).padStart(4, '0')
    if (!codes.includes(code)) return code
  }
}

/**
 * Moves the machine's current code's expiry to `ms` ago, as if the clock
 * had run on.
 */
async function expireCodeAgo(machineId: number, ms: number) {
  await db
    .from('machines')
    .where('id', machineId)
    .update({
      display_code_expires_at: dbTimestamp(
        db.connection(),
        DateTime.now().minus({ milliseconds: ms })
      ),
    })
}

test.group('Presence check: buying with the display code', (group) => {
  group.each.setup(truncateAll)

  test('refuses a buy without the code with 422 invalid_display_code and changes nothing', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, shopper } = await presenceMachine(cleanup)
    const before = await snapshot()

    const response = await buy(client, shopper.token, product, machine)

    const error = assertApiError(response, 422, 'invalid_display_code', 'display_code')
    assert.equal(error.message, "Enter the code shown on the machine's display.")
    assert.deepEqual(await snapshot(), before)
  })

  test('refuses a wrong code with 422 and changes nothing', async ({ client, assert, cleanup }) => {
    const { machine, product, shopper } = await presenceMachine(cleanup)
    const before = await snapshot()

    const response = await buy(
      client,
      shopper.token,
      product,
      machine,
      otherCode(machine.displayCode)
    )

    const error = assertApiError(response, 422, 'invalid_display_code', 'display_code')
    assert.include(error.message, 'does not match')
    assert.deepEqual(await snapshot(), before)
  })

  test('sells with the code on the display (surrounding spaces trimmed)', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, shopper, slot, device } = await presenceMachine(cleanup)

    const response = await buy(client, shopper.token, product, machine, ` ${machine.displayCode} `)

    response.assertStatus(201)
    const after = await snapshot()
    assert.equal(after.stock[slot.id], 9)
    assert.equal(after.balances[shopper.user.id], 18_000)
    assert.equal((await device.nextVend()).order_id, response.body().order.id)
  })

  test('accepts the previous code within the grace period after a rotation', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, shopper } = await presenceMachine(cleanup)
    const old = machine.displayCode!
    const rotate = await app.container.make(RotateDisplayCodes)
    assert.equal(await rotate.handle(machine.displayCodeExpiresAt!.plus({ seconds: 1 })), 1)
    const rotated = await Machine.findOrFail(machine.id)
    assert.notEqual(rotated.displayCode, old)

    const withOld = await buy(client, shopper.token, product, machine, old)
    withOld.assertStatus(201)
    const withNew = await buy(client, shopper.token, product, machine, rotated.displayCode!)
    withNew.assertStatus(201)
  })

  test('refuses the previous code once its grace period is over', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, shopper } = await presenceMachine(cleanup)
    const old = machine.displayCode!
    // The code expired longer ago than the grace, then the sweep rotated it.
    await expireCodeAgo(machine.id, vendingConfig.displayCodeGraceMs + 10_000)
    assert.equal(await (await app.container.make(RotateDisplayCodes)).handle(), 1)
    const rotated = await Machine.findOrFail(machine.id)
    const before = await snapshot()

    const response = await buy(client, shopper.token, product, machine, old)

    assertApiError(response, 422, 'invalid_display_code', 'display_code')
    assert.deepEqual(await snapshot(), before)
    const current = await buy(client, shopper.token, product, machine, rotated.displayCode!)
    current.assertStatus(201)
  })

  test('accepts a just-expired code until the grace ends, even before the sweep has rotated it', async ({
    client,
    cleanup,
  }) => {
    const { machine, product, shopper } = await presenceMachine(cleanup)

    await expireCodeAgo(machine.id, 2000)
    const late = await buy(client, shopper.token, product, machine, machine.displayCode!)
    late.assertStatus(201)

    await expireCodeAgo(machine.id, vendingConfig.displayCodeGraceMs + 2000)
    const tooLate = await buy(client, shopper.token, product, machine, machine.displayCode!)
    assertApiError(tooLate, 422, 'invalid_display_code', 'display_code')
  })

  test('a machine requiring the code that is offline answers 409 machine_offline, not a code error', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, shopper, device } = await presenceMachine(cleanup)
    await disconnectDevice(device, machine.id)
    const before = await snapshot()

    const response = await buy(client, shopper.token, product, machine)

    assertApiError(response, 409, 'machine_offline')
    assert.deepEqual(await snapshot(), before)
  })

  test('a machine that does not require the code sells without it, and ignores one given', async ({
    client,
    cleanup,
  }) => {
    const { machine, product, device } = await createOnlineMachine({ pricePaise: 2000 })
    cleanup(() => disconnectDevice(device, machine.id))
    const shopper = await createShopper({ balancePaise: 10_000 })

    const without = await buy(client, shopper.token, product, machine)
    without.assertStatus(201)
    const withWrong = await buy(client, shopper.token, product, machine, '0000')
    withWrong.assertStatus(201)
  })

  test('refuses a malformed display_code with 422 validation_failed', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, shopper } = await presenceMachine(cleanup)
    const before = await snapshot()

    for (const bad of ['123456789', '   ', 1234]) {
      const response = await client
        .post(`/api/v1/products/${product.id}/buy`)
        .bearerToken(shopper.token)
        .json({ machine: machine.code, display_code: bad })
      assertApiError(response, 422, 'validation_failed', 'display_code')
    }
    assert.deepEqual(await snapshot(), before)
  })
})

test.group('Presence check: guessing', (group) => {
  group.each.setup(truncateAll)

  test('burns the code after DISPLAY_CODE_MAX_FAILURES wrong guesses, so guessing from afar cannot find it', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, shopper, device } = await presenceMachine(cleanup)
    const code = machine.displayCode!
    const wrong = otherCode(code, machine.previousDisplayCode)

    for (let attempt = 1; attempt <= vendingConfig.displayCodeMaxFailures; attempt++) {
      assertApiError(
        await buy(client, shopper.token, product, machine, wrong),
        422,
        'invalid_display_code',
        'display_code'
      )
    }
    // The code on the display is worthless now: whoever guessed wrong ten
    // times cannot use it, even if their eleventh guess is right.
    assertApiError(
      await buy(client, shopper.token, product, machine, code),
      422,
      'invalid_display_code',
      'display_code'
    )

    // The next sweep shows a new code, and that one buys.
    const sent = new Promise<{ code: string }>((resolve) =>
      device.socket.once('display_code', resolve)
    )
    assert.equal(await (await app.container.make(RotateDisplayCodes)).handle(), 1)
    const fresh = await Machine.findOrFail(machine.id)
    assert.notEqual(fresh.displayCode, code)
    assert.equal((await sent).code, fresh.displayCode)
    assert.equal(fresh.displayCodeFailures, 0)
    assertApiError(
      await buy(client, shopper.token, product, machine, code),
      422,
      'invalid_display_code',
      'display_code'
    )
    const response = await buy(client, shopper.token, product, fresh, fresh.displayCode!)
    response.assertStatus(201)
  })
})
