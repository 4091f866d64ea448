import { test } from '@japa/runner'
import User from '#models/user'
import { Role } from '#enums/role'
import { MachineFactory } from '#database/factories/machine_factory'
import { truncateAll } from '#tests/helpers/database'
import { createShopper } from '#tests/helpers/shopper'
import { countRows } from '#tests/helpers/payments'
import { formKey } from '#tests/functional/shopper/page_helpers'

/*
 * Who the shopper on /m/:code is, so a QR scan needs no sign-up: an
 * anonymous account made on the first visit, kept by the session cookie
 * and, beyond the session, by a remember-me cookie; a guard of its own,
 * apart from the admin panel's.
 */
test.group('Shopper page identity', (group) => {
  group.each.setup(truncateAll)

  test('the first visit creates exactly one shopper, signs them in and sets the cookies', async ({
    client,
    assert,
  }) => {
    const machine = await MachineFactory.create()

    const response = await client.get(`/m/${machine.code}`).header('accept', 'text/html')

    response.assertStatus(200)
    const shoppers = await User.query().where('role', Role.User)
    assert.lengthOf(shoppers, 1)
    const [shopper] = shoppers
    assert.equal(shopper.balancePaise, 0)
    assert.match(shopper.username, /^[a-z]+(-[a-z]+)*-\d{4}$/)
    response.assertTextIncludes(shopper.username)
    response.assertTextIncludes('₹0.00')
    response.assertSession('auth_shopper', shopper.id)
    // The remember-me cookie outlives the 2 h session (90 days).
    assert.isDefined(response.cookie('remember_shopper'))
    assert.equal(response.cookie('remember_shopper')!.maxAge, 90 * 24 * 3600)
    assert.equal(await countRows('remember_me_tokens'), 1)
    assert.equal(response.header('cache-control'), 'no-store')
  })

  test('a second visit with the session reuses the shopper', async ({ client, assert }) => {
    const machine = await MachineFactory.create()
    const first = await client.get(`/m/${machine.code}`).header('accept', 'text/html')
    const shopper = await User.findByOrFail('role', Role.User)

    const second = await client
      .get(`/m/${machine.code}`)
      .header('accept', 'text/html')
      .withSession(first.session())

    second.assertStatus(200)
    second.assertTextIncludes(shopper.username)
    assert.lengthOf(await User.query().where('role', Role.User), 1)
  })

  test('the remember-me cookie alone brings the same wallet back after the session ended', async ({
    client,
    assert,
  }) => {
    const machine = await MachineFactory.create()
    const first = await client.get(`/m/${machine.code}`).header('accept', 'text/html')
    const shopper = await User.findByOrFail('role', Role.User)
    const remember = first.cookie('remember_shopper')!.value

    const later = await client
      .get(`/m/${machine.code}`)
      .header('accept', 'text/html')
      .withEncryptedCookie('remember_shopper', remember)

    later.assertStatus(200)
    later.assertTextIncludes(shopper.username)
    later.assertSession('auth_shopper', shopper.id)
    assert.lengthOf(await User.query().where('role', Role.User), 1)
  })

  test('an unknown machine answers a friendly 404 page and makes no account', async ({
    client,
    assert,
  }) => {
    const response = await client.get('/m/no-such-machine').header('accept', 'text/html')

    response.assertStatus(404)
    response.assertTextIncludes('Nothing here')
    response.assertTextIncludes('scan its QR code again')
    assert.equal(await countRows('users'), 0)
  })

  test('a form posted without a shopper session goes back to the page with a message', async ({
    client,
    assert,
  }) => {
    const machine = await MachineFactory.create()

    const response = await client
      .post(`/m/${machine.code}/top_up`)
      .header('accept', 'text/html')
      .withCsrfToken()
      .form({ amount: '100', idempotency_key: formKey() })
      .redirects(0)

    response.assertStatus(302)
    response.assertHeader('location', `/m/${machine.code}`)
    response.assertFlashMessage('error', 'Your shopper session has ended. Please try again.')
    assert.equal(await countRows('users'), 0)
    assert.equal(await countRows('transactions'), 0)
  })

  test('an admin signed into the panel is a separate shopper on the page', async ({
    client,
    assert,
  }) => {
    const machine = await MachineFactory.create()
    const admin = await User.create({
      username: 'admin-ops',
      role: Role.Admin,
      email: 'ops@example.com',
      password: 'correct horse battery',
      balancePaise: 0,
    })

    const response = await client
      .get(`/m/${machine.code}`)
      .header('accept', 'text/html')
      .withGuard('web')
      .loginAs(admin)

    response.assertStatus(200)
    const shopper = await User.findByOrFail('role', Role.User)
    assert.notEqual(shopper.id, admin.id)
    response.assertTextIncludes(shopper.username)
    assert.notInclude(response.text(), 'admin-ops')
    // The panel's session stays as it was, next to the new shopper's.
    response.assertSession('auth_web', admin.id)
    response.assertSession('auth_shopper', shopper.id)
  })

  test("a shopper's session never opens the admin panel", async ({ client }) => {
    const { user } = await createShopper()

    const response = await client
      .get('/admin')
      .header('accept', 'text/html')
      .withGuard('shopper')
      .loginAs(user)
      .redirects(0)

    response.assertStatus(302)
    response.assertHeader('location', '/admin/login')
  })

  test('an admin account found on the shopper guard is signed out there and gets a shopper of its own', async ({
    client,
    assert,
  }) => {
    const machine = await MachineFactory.create()
    const admin = await User.create({
      username: 'admin-ops',
      role: Role.Admin,
      email: 'ops@example.com',
      password: 'correct horse battery',
      balancePaise: 0,
    })

    const response = await client
      .get(`/m/${machine.code}`)
      .header('accept', 'text/html')
      .withGuard('shopper')
      .loginAs(admin)

    response.assertStatus(200)
    const shopper = await User.findByOrFail('role', Role.User)
    response.assertSession('auth_shopper', shopper.id)
    assert.notInclude(response.text(), 'admin-ops')
  })
})
