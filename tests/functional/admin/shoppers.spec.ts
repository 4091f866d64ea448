import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import { TransactionKind } from '#enums/transaction_kind'
import AuditLog from '#models/audit_log'
import { truncateAll } from '#tests/helpers/database'
import { createShopper } from '#tests/helpers/shopper'
import { balanceOf, ledgerDiscrepancies, ledgerRowsOf } from '#tests/helpers/api'
import { MachineFactory } from '#database/factories/machine_factory'
import { ProductFactory } from '#database/factories/product_factory'
import { SlotFactory } from '#database/factories/slot_factory'
import { UserFactory } from '#database/factories/user_factory'
import { OrderFactory } from '#database/factories/order_factory'

function listedShoppers(html: string): number[] {
  return [...html.matchAll(/data-shopper-id="(\d+)"/g)].map((match) => Number(match[1]))
}

async function auditCount() {
  return AuditLog.query()
    .count('* as total')
    .first()
    .then((row) => Number(row!.$extras.total))
}

test.group('Admin shoppers: access', (group) => {
  group.each.setup(truncateAll)

  test('sends an anonymous visitor to the login page', async ({ client }) => {
    for (const url of ['/admin/shoppers', '/admin/shoppers/1']) {
      const response = await client.get(url).header('accept', 'text/html').redirects(0)
      response.assertStatus(302)
      response.assertHeader('location', '/admin/login')
    }
  })

  test('refuses a shopper bearer token with 403, adjustments included', async ({
    client,
    assert,
  }) => {
    const { user, token } = await createShopper({ balancePaise: 1_000 })
    const list = await client
      .get('/admin/shoppers')
      .bearerToken(token)
      .header('accept', 'text/html')
    list.assertStatus(403)
    const adjust = await client
      .post(`/admin/shoppers/${user.id}/adjustments`)
      .bearerToken(token)
      .withCsrfToken()
      .form({ direction: 'credit', amount: '100', reason: 'Free money please' })
      .header('accept', 'text/html')
    adjust.assertStatus(403)
    assert.equal(await balanceOf(user.id), 1_000)
  })

  test('refuses an adjustment posted without a CSRF token', async ({ client, assert }) => {
    const admin = await UserFactory.apply('admin').create()
    const { user } = await createShopper({ balancePaise: 1_000 })
    const response = await client
      .post(`/admin/shoppers/${user.id}/adjustments`)
      .withGuard('web')
      .loginAs(admin)
      .form({ direction: 'credit', amount: '10', reason: 'Goodwill credit' })
      .redirects(0)
    response.assertStatus(302)
    response.assertFlashMessage('errorsBag', { E_BAD_CSRF_TOKEN: 'Invalid or expired CSRF token' })
    assert.equal(await balanceOf(user.id), 1_000)
    assert.lengthOf(await ledgerRowsOf(user.id), 1)
  })
})

test.group('Admin shoppers: list and detail', (group) => {
  group.each.setup(truncateAll)

  test('lists shoppers with balance and order count, searchable by username', async ({
    client,
    assert,
  }) => {
    const admin = await UserFactory.apply('admin').create()
    const otter = await UserFactory.merge({
      username: 'Brave-Otter-12',
      balancePaise: 12_345,
    }).create()
    const heron = await UserFactory.merge({ username: 'calm-heron-7' }).create()
    const machine = await MachineFactory.create()
    const product = await ProductFactory.create()
    const slot = await SlotFactory.merge({ machineId: machine.id, productId: product.id }).create()
    for (let i = 0; i < 3; i++) {
      await OrderFactory.merge({
        userId: otter.id,
        machineId: machine.id,
        slotId: slot.id,
        productId: product.id,
      }).create()
    }

    const all = await client.get('/admin/shoppers').withGuard('web').loginAs(admin)
    all.assertStatus(200)
    assert.sameMembers(listedShoppers(all.text()), [otter.id, heron.id], 'admins are not listed')
    const row = new RegExp(`data-shopper-id="${otter.id}">[\\s\\S]*?</tr>`).exec(all.text())![0]
    assert.include(row, '₹123.45')
    assert.match(row, /data-label="Orders" class="num">3</)

    const found = await client
      .get('/admin/shoppers')
      .qs({ q: 'OTTER' })
      .withGuard('web')
      .loginAs(admin)
    assert.deepEqual(listedShoppers(found.text()), [otter.id])
    const none = await client
      .get('/admin/shoppers')
      .qs({ q: 'nobody' })
      .withGuard('web')
      .loginAs(admin)
    assert.deepEqual(listedShoppers(none.text()), [])
    none.assertTextIncludes('No shoppers found.')
  })

  test('shows a shopper with balance, ledger and recent orders', async ({ client, assert }) => {
    const admin = await UserFactory.apply('admin').create()
    const { user } = await createShopper({ balancePaise: 5_000 })
    const machine = await MachineFactory.merge({ code: 'm-lobby' }).create()
    const product = await ProductFactory.merge({ name: 'Lemon Soda' }).create()
    const slot = await SlotFactory.merge({ machineId: machine.id, productId: product.id }).create()
    const order = await OrderFactory.merge({
      userId: user.id,
      machineId: machine.id,
      slotId: slot.id,
      productId: product.id,
      createdAt: DateTime.now(),
    }).create()

    const response = await client.get(`/admin/shoppers/${user.id}`).withGuard('web').loginAs(admin)
    response.assertStatus(200)
    response.assertTextIncludes(user.username)
    response.assertTextIncludes('₹50.00')
    response.assertTextIncludes('Opening balance (test factory)')
    response.assertTextIncludes(`href="/admin/orders/${order.id}"`)
    response.assertTextIncludes('Lemon Soda')
    assert.match(response.text(), /data-kind="topup"/)

    const adminPage = await client
      .get(`/admin/shoppers/${admin.id}`)
      .withGuard('web')
      .loginAs(admin)
      .header('accept', 'text/html')
    adminPage.assertStatus(404)
  })

  test('the adjustment form leaves the amount empty, with its unit and an example as a hint', async ({
    client,
    assert,
  }) => {
    const admin = await UserFactory.apply('admin').create()
    const { user } = await createShopper({ balancePaise: 5_000 })
    const response = await client.get(`/admin/shoppers/${user.id}`).withGuard('web').loginAs(admin)
    const field = /<label>\s*Amount \(₹\)\s*(<input[^>]*>)\s*<small>([^<]*)<\/small>/.exec(
      response.text()
    )
    assert.isNotNull(field, 'an amount field with a hint')
    const [, input, hint] = field!
    assert.include(input, 'name="amount"')
    assert.include(input, 'value=""')
    // A number in the empty box reads as an amount already entered.
    assert.notInclude(input, 'placeholder', input)
    assert.equal(hint, 'In rupees, up to 2 decimals, e.g. 50.00')
  })
})

test.group('Admin shoppers: balance adjustments', (group) => {
  group.each.setup(truncateAll)

  test('credits and debits the wallet through the ledger, with an audit row each', async ({
    client,
    assert,
  }) => {
    const admin = await UserFactory.apply('admin').create()
    const { user } = await createShopper({ balancePaise: 1_000 })
    const post = (form: Record<string, string>) =>
      client
        .post(`/admin/shoppers/${user.id}/adjustments`)
        .withGuard('web')
        .loginAs(admin)
        .withCsrfToken()
        .form(form)
        .redirects(0)

    const credit = await post({
      direction: 'credit',
      amount: '12.30',
      reason: 'Coin jam on m-lobby',
    })
    credit.assertStatus(302)
    credit.assertHeader('location', `/admin/shoppers/${user.id}`)
    credit.assertFlashMessage('notice', `Added to ${user.username}'s wallet.`)
    assert.equal(await balanceOf(user.id), 2_230)

    const debit = await post({
      direction: 'debit',
      amount: '2.3',
      reason: 'Duplicate goodwill credit',
    })
    debit.assertStatus(302)
    assert.equal(await balanceOf(user.id), 2_000)

    const rows = await ledgerRowsOf(user.id)
    assert.deepEqual(
      rows.slice(1).map((row) => [row.kind, row.amountPaise, row.balanceAfterPaise]),
      [
        [TransactionKind.Adjustment, 1_230, 2_230],
        [TransactionKind.Adjustment, -230, 2_000],
      ]
    )
    assert.deepEqual(await ledgerDiscrepancies(), [])

    const audits = await AuditLog.query().where('action', 'wallet.adjust').orderBy('id')
    assert.lengthOf(audits, 2)
    assert.equal(audits[0].userId, admin.id)
    assert.equal(audits[0].subjectType, 'user')
    assert.equal(audits[0].subjectId, user.id)
    assert.equal(audits[0].note, 'Coin jam on m-lobby')
    assert.deepEqual(audits[0].before, { balance_paise: 1_000 })
    assert.deepEqual(audits[1].after, {
      balance_paise: 2_000,
      amount_paise: -230,
      transaction_id: rows[2].id,
    })

    const page = await client.get(`/admin/shoppers/${user.id}`).withGuard('web').loginAs(admin)
    page.assertTextIncludes('Coin jam on m-lobby')
    page.assertTextIncludes('−₹2.30')
  })

  test('refuses a missing reason, a zero and a fraction of a paisa', async ({ client, assert }) => {
    const admin = await UserFactory.apply('admin').create()
    const { user } = await createShopper({ balancePaise: 1_000 })
    const post = (form: Record<string, string>) =>
      client
        .post(`/admin/shoppers/${user.id}/adjustments`)
        .withGuard('web')
        .loginAs(admin)
        .withCsrfToken()
        .header('referer', `/admin/shoppers/${user.id}`)
        .form(form)
        .redirects(0)

    const noReason = await post({ direction: 'credit', amount: '10' })
    noReason.assertStatus(302)
    noReason.assertHeader('location', `/admin/shoppers/${user.id}`)
    noReason.assertFlashMessage('inputErrorsBag', {
      reason: ["Give a reason for the shopper's ledger."],
    })

    const shortReason = await post({ direction: 'credit', amount: '10', reason: 'oops' })
    shortReason.assertFlashMessage('inputErrorsBag', {
      reason: ['The reason must be at least 5 characters.'],
    })

    const zero = await post({ direction: 'credit', amount: '0', reason: 'Nothing at all' })
    zero.assertFlashMessage('inputErrorsBag', { amount: ['The amount must be more than zero.'] })

    const fraction = await post({
      direction: 'credit',
      amount: '1.234',
      reason: 'A fraction of a paisa',
    })
    fraction.assertFlashMessage('inputErrorsBag', {
      amount: ['Use at most two decimals (whole paise).'],
    })

    const negative = await post({ direction: 'credit', amount: '-5', reason: 'Sign in the amount' })
    negative.assertFlashMessage('inputErrorsBag', {
      amount: ['The amount must be more than zero.'],
    })

    const noDirection = await post({ direction: 'sideways', amount: '5', reason: 'Which way?' })
    noDirection.assertFlashMessage('inputErrorsBag', {
      direction: ['Choose whether to add or deduct.'],
    })

    assert.equal(await balanceOf(user.id), 1_000)
    assert.lengthOf(await ledgerRowsOf(user.id), 1)
    assert.equal(await auditCount(), 0)
  })

  test('refuses a deduction below zero and leaves the balance as it was', async ({
    client,
    assert,
  }) => {
    const admin = await UserFactory.apply('admin').create()
    const { user } = await createShopper({ balancePaise: 1_000 })
    const response = await client
      .post(`/admin/shoppers/${user.id}/adjustments`)
      .withGuard('web')
      .loginAs(admin)
      .withCsrfToken()
      .form({ direction: 'debit', amount: '10.01', reason: 'Take back too much' })
      .redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', `/admin/shoppers/${user.id}`)
    response.assertFlashMessage('inputErrorsBag', {
      amount: ["This would take the shopper's balance below zero."],
    })
    response.assertFlashMessage(
      'error',
      'Adjustment refused: the balance is too low for this deduction.'
    )

    assert.equal(await balanceOf(user.id), 1_000)
    assert.lengthOf(await ledgerRowsOf(user.id), 1)
    assert.equal(await auditCount(), 0, 'no audit row for a refused adjustment')

    // Exactly the balance is allowed.
    const all = await client
      .post(`/admin/shoppers/${user.id}/adjustments`)
      .withGuard('web')
      .loginAs(admin)
      .withCsrfToken()
      .form({ direction: 'debit', amount: '10', reason: 'Close the wallet' })
      .redirects(0)
    all.assertFlashMessage('notice', `Deducted from ${user.username}'s wallet.`)
    assert.equal(await balanceOf(user.id), 0)
    assert.deepEqual(await ledgerDiscrepancies(), [])
  })
})
