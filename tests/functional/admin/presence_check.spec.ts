import { test } from '@japa/runner'
import AuditLog from '#models/audit_log'
import Machine from '#models/machine'
import { UserFactory } from '#database/factories/user_factory'
import { MachineFactory } from '#database/factories/machine_factory'
import { truncateAll } from '#tests/helpers/database'
import { createShopper } from '#tests/helpers/shopper'
import { createOnlineMachine, disconnectDevice, eventually } from '#tests/helpers/device'

function createAdmin() {
  return UserFactory.apply('admin').merge({ email: 'ops@example.com' }).create()
}

test.group('Admin machines: presence check toggle', (group) => {
  group.each.setup(truncateAll)

  test('turns the display code requirement on and off, with an audit row each time', async ({
    client,
    assert,
    cleanup,
  }) => {
    const admin = await createAdmin()
    const { machine, product, device } = await createOnlineMachine()
    cleanup(() => disconnectDevice(device, machine.id))
    const { token } = await createShopper({ balancePaise: 10_000 })

    const on = await client
      .post(`/admin/machines/${machine.id}/display-code`)
      .withGuard('web')
      .loginAs(admin)
      .form({ required: '1' })
      .withCsrfToken()
      .redirects(0)
    on.assertStatus(302)
    on.assertHeader('location', `/admin/machines/${machine.id}`)
    on.assertFlashMessage(
      'notice',
      `${machine.code} now asks shoppers for the code on its display.`
    )
    assert.isTrue((await Machine.findOrFail(machine.id)).requiresDisplayCode)
    const refused = await client
      .post(`/api/v1/products/${product.id}/buy`)
      .bearerToken(token)
      .json({ machine: machine.code })
    refused.assertStatus(422)
    assert.equal(refused.body().errors[0].code, 'invalid_display_code')

    // The same again changes nothing and is not audited twice.
    await client
      .post(`/admin/machines/${machine.id}/display-code`)
      .withGuard('web')
      .loginAs(admin)
      .form({ required: '1' })
      .withCsrfToken()
      .redirects(0)

    const off = await client
      .post(`/admin/machines/${machine.id}/display-code`)
      .withGuard('web')
      .loginAs(admin)
      .form({ required: '0' })
      .withCsrfToken()
      .redirects(0)
    off.assertFlashMessage('notice', `${machine.code} no longer asks for the display code.`)
    assert.isFalse((await Machine.findOrFail(machine.id)).requiresDisplayCode)
    const bought = await client
      .post(`/api/v1/products/${product.id}/buy`)
      .bearerToken(token)
      .json({ machine: machine.code })
    bought.assertStatus(201)

    const audit = await AuditLog.query()
      .where('subject_type', 'machine')
      .where('subject_id', machine.id)
      .orderBy('id')
    assert.deepEqual(
      audit.map((row) => [row.userId, row.action, row.before, row.after]),
      [
        [
          admin.id,
          'machine.display_code_on',
          { requires_display_code: false },
          { requires_display_code: true },
        ],
        [
          admin.id,
          'machine.display_code_off',
          { requires_display_code: true },
          { requires_display_code: false },
        ],
      ]
    )
  })

  test('the machine page shows the setting, the current code and when it changes', async ({
    client,
    cleanup,
  }) => {
    const admin = await createAdmin()
    const { machine, device } = await createOnlineMachine()
    cleanup(() => disconnectDevice(device, machine.id))
    const withCode = await eventually(async () => {
      const current = await Machine.findOrFail(machine.id)
      return current.displayCode ? current : null
    })

    const page = await client.get(`/admin/machines/${machine.id}`).withGuard('web').loginAs(admin)
    page.assertStatus(200)
    page.assertTextIncludes('Require the display code to buy')
    page.assertTextIncludes(`<code data-display-code>${withCode.displayCode}</code>`)
    page.assertTextIncludes(`at ${withCode.displayCodeExpiresAt!.toFormat('HH:mm:ss')}`)

    const live = await client
      .get(`/admin/machines/${machine.id}/live`)
      .withGuard('web')
      .loginAs(admin)
    live.assertTextIncludes(`<code data-display-code>${withCode.displayCode}</code>`)
  })

  test('refuses the toggle without a CSRF token, and for a shopper', async ({ client, assert }) => {
    const admin = await createAdmin()
    const machine = await MachineFactory.create()
    const { token } = await createShopper()

    const noCsrf = await client
      .post(`/admin/machines/${machine.id}/display-code`)
      .withGuard('web')
      .loginAs(admin)
      .form({ required: '1' })
      .redirects(0)
    noCsrf.assertStatus(302)
    noCsrf.assertFlashMessage('errorsBag', { E_BAD_CSRF_TOKEN: 'Invalid or expired CSRF token' })

    const shopper = await client
      .post(`/admin/machines/${machine.id}/display-code`)
      .bearerToken(token)
      .header('accept', 'text/html')
      .form({ required: '1' })
      .withCsrfToken()
      .redirects(0)
    shopper.assertStatus(403)

    assert.isFalse((await Machine.findOrFail(machine.id)).requiresDisplayCode)
    assert.lengthOf(await AuditLog.all(), 0)
  })

  test('refuses a value that is not a boolean and changes nothing', async ({ client, assert }) => {
    const admin = await createAdmin()
    const machine = await MachineFactory.create()

    const response = await client
      .post(`/admin/machines/${machine.id}/display-code`)
      .withGuard('web')
      .loginAs(admin)
      .header('referer', `/admin/machines/${machine.id}`)
      .form({ required: 'maybe' })
      .withCsrfToken()
      .redirects(0)

    response.assertStatus(302)
    assert.isFalse((await Machine.findOrFail(machine.id)).requiresDisplayCode)
    assert.lengthOf(await AuditLog.all(), 0)
  })
})
