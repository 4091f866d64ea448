import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { io } from 'socket.io-client'
import AdminCreate from '#commands/admin_create'
import User from '#models/user'
import DeviceChannel from '#services/device_channel'
import { Role } from '#enums/role'
import { truncateAll } from '#tests/helpers/database'
import { createShopper } from '#tests/helpers/shopper'
import { baseUrl } from '#tests/helpers/server'

const PASSWORD = 'correct horse battery'

async function createAdmin() {
  return User.create({
    username: 'admin-ops',
    role: Role.Admin,
    email: 'ops@example.com',
    password: PASSWORD,
    balancePaise: 0,
  })
}

test.group('Admin panel access', (group) => {
  group.each.setup(truncateAll)

  test('renders the login form with a CSRF field', async ({ client }) => {
    const response = await client.get('/admin/login')
    response.assertStatus(200)
    response.assertTextIncludes('Operator login')
    response.assertTextIncludes("name='_csrf'")
  })

  test('sends an anonymous visitor to the login page', async ({ client }) => {
    const response = await client.get('/admin').header('accept', 'text/html').redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', '/admin/login')
  })

  test('refuses a shopper bearer token with 403', async ({ client }) => {
    const { token } = await createShopper()
    const response = await client.get('/admin').bearerToken(token).header('accept', 'text/html')
    response.assertStatus(403)
    response.assertTextIncludes('Not allowed')
  })

  test('refuses a signed-in shopper session with 403', async ({ client }) => {
    const { user } = await createShopper()
    const response = await client.get('/admin').loginAs(user).header('accept', 'text/html')
    response.assertStatus(403)
  })

  test('shows the dashboard to a signed-in admin', async ({ client }) => {
    const admin = await createAdmin()
    const response = await client.get('/admin').withGuard('web').loginAs(admin)
    response.assertStatus(200)
    response.assertTextIncludes('Machines online')
    response.assertTextIncludes('Recent orders')
  })

  test('logs an admin in with the right password', async ({ client }) => {
    await createAdmin()
    const response = await client
      .post('/admin/login')
      .form({ email: 'ops@example.com', password: PASSWORD })
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', '/admin')
  })

  test('refuses a wrong password and a shopper account alike', async ({ client, assert }) => {
    await createAdmin()
    const wrong = await client
      .post('/admin/login')
      .form({ email: 'ops@example.com', password: 'not the password' })
      .withCsrfToken()
      .redirects(0)
    wrong.assertStatus(302)
    wrong.assertFlashMessage('error', 'Wrong email or password.')
    assert.notEqual(wrong.header('location'), '/admin')
  })

  test('locks out an email after repeated failed logins, even with the right password', async ({
    client,
  }) => {
    await User.create({
      username: 'admin-locked',
      role: Role.Admin,
      email: 'locked@example.com',
      password: PASSWORD,
      balancePaise: 0,
    })
    for (let attempt = 0; attempt < 5; attempt++) {
      const wrong = await client
        .post('/admin/login')
        .form({ email: 'locked@example.com', password: 'guess' })
        .withCsrfToken()
        .redirects(0)
      wrong.assertFlashMessage('error', 'Wrong email or password.')
    }
    const right = await client
      .post('/admin/login')
      .form({ email: 'locked@example.com', password: PASSWORD })
      .withCsrfToken()
      .redirects(0)
    right.assertStatus(302)
    right.assertFlashMessage('error', 'Too many failed logins. Try again in 15 minutes.')
    right.assertHeader('location', '/')
  })

  test('shows field errors for an invalid login form', async ({ client }) => {
    const response = await client
      .post('/admin/login')
      .form({ email: 'not-an-email', password: '' })
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    response.assertFlashMessage('inputErrorsBag', {
      email: ['The email field must be a valid email address'],
      password: ['The password field must be defined'],
    })
  })

  test('refuses a form post without a CSRF token', async ({ client }) => {
    await createAdmin()
    const response = await client
      .post('/admin/login')
      .form({ email: 'ops@example.com', password: PASSWORD })
      .redirects(0)
    response.assertStatus(302)
    response.assertFlashMessage('errorsBag', { E_BAD_CSRF_TOKEN: 'Invalid or expired CSRF token' })

    const after = await client
      .get('/admin')
      .withCookie('vendora-session', response.cookie('vendora-session')?.value ?? '')
      .redirects(0)
    after.assertHeader('location', '/admin/login')
  })

  test('serves only listed vendor assets', async ({ client }) => {
    const css = await client.get('/assets/vendor/pico.min.css')
    css.assertStatus(200)
    css.assertHeader('content-type', 'text/css; charset=utf-8')
    const other = await client.get('/assets/vendor/..%2F..%2Fpackage.json')
    other.assertStatus(404)
  })

  test('lets the dashboard socket in with its page ticket only', async ({ client, assert }) => {
    const admin = await createAdmin()
    const page = await client.get('/admin').withGuard('web').loginAs(admin)
    const ticket = /ticket: "([^"]+)"/.exec(page.text())?.[1]
    assert.isString(ticket)

    const refused = io(`${baseUrl()}/admin`, {
      auth: { ticket: 'forged' },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    })
    const error = await new Promise<Error>((resolve) => refused.once('connect_error', resolve))
    assert.equal(error.message, 'unauthorized')
    refused.close()

    const live = io(`${baseUrl()}/admin`, {
      auth: { ticket },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    })
    await new Promise<void>((resolve, reject) => {
      live.once('connect', () => resolve())
      live.once('connect_error', reject)
    })
    live.close()
  })

  test('folds a burst of fleet changes into one notification now and one at the end of the interval', async ({
    client,
    assert,
    cleanup,
  }) => {
    const admin = await createAdmin()
    const page = await client.get('/admin').withGuard('web').loginAs(admin)
    const ticket = /ticket: "([^"]+)"/.exec(page.text())?.[1]
    const channel = await app.container.make(DeviceChannel)
    const live = io(`${baseUrl()}/admin`, {
      auth: { ticket },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    })
    cleanup(() => void live.close())
    await new Promise<void>((resolve, reject) => {
      live.once('connect', () => resolve())
      live.once('connect_error', reject)
    })
    // Let an interval opened by this test's own setup (the admin's login) end.
    await new Promise((resolve) =>
      setTimeout(resolve, DeviceChannel.FLEET_NOTIFY_INTERVAL_MS + 100)
    )
    const received: number[] = []
    live.on('fleet_changed', () => received.push(Date.now()))

    const started = Date.now()
    for (let n = 0; n < 50; n++) channel.notifyFleet()
    await new Promise((resolve) => setTimeout(resolve, 300))
    assert.lengthOf(received, 1, 'the first change goes out at once')
    await new Promise((resolve) =>
      setTimeout(resolve, DeviceChannel.FLEET_NOTIFY_INTERVAL_MS * 2.5)
    )
    assert.lengthOf(received, 2, 'the rest of the burst is one more, and nothing after it')
    assert.isAtLeast(received[1] - started, DeviceChannel.FLEET_NOTIFY_INTERVAL_MS - 50)
  }).timeout(10_000)
})

test.group('admin:create', (group) => {
  group.each.setup(truncateAll)

  test('creates an admin who can then log in', async ({ assert }) => {
    const ace = await app.container.make('ace')
    const command = await ace.create(AdminCreate, [
      '--email',
      'New.Ops@Example.com',
      '--password',
      PASSWORD,
    ])
    await command.exec()
    command.assertSucceeded()

    const admin = await User.verifyCredentials('new.ops@example.com', PASSWORD)
    assert.equal(admin.role, Role.Admin)
  })

  test('refuses a short password and a taken email', async ({ assert }) => {
    await createAdmin()
    const ace = await app.container.make('ace')
    const short = await ace.create(AdminCreate, ['--email', 'x@example.com', '--password', 'short'])
    await short.exec()
    short.assertFailed()
    const taken = await ace.create(AdminCreate, [
      '--email',
      'ops@example.com',
      '--password',
      PASSWORD,
    ])
    await taken.exec()
    taken.assertFailed()
    assert.equal(
      await User.query()
        .where('role', Role.Admin)
        .count('* as total')
        .first()
        .then((r) => Number(r!.$extras.total)),
      1
    )
  })
})

test.group('Panel error pages', () => {
  test('answer an unknown page with a 404 in the panel layout', async ({ client }) => {
    const response = await client.get('/admin/no-such-page').header('accept', 'text/html')
    response.assertStatus(404)
    response.assertTextIncludes('Page not found')
    response.assertTextIncludes('Vendora')
  })
})
