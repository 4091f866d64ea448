import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { DateTime } from 'luxon'
import { io } from 'socket.io-client'
import { Role } from '#enums/role'
import AuditLog from '#models/audit_log'
import User from '#models/user'
import UserInvitation from '#models/user_invitation'
import UserCreate from '#commands/user_create'
import ChangeRole from '#actions/team/change_role'
import DeactivateUser from '#actions/team/deactivate_user'
import { truncateAll } from '#tests/helpers/database'
import { TestSmtpServer } from '#tests/helpers/smtp'
import { baseUrl } from '#tests/helpers/server'
import { eventually } from '#tests/helpers/device'
import { PANEL_PASSWORD, panelUser } from '#tests/helpers/panel'

const NEW_PASSWORD = 'a long new password'

async function smtpServer(cleanup: (handler: () => Promise<void>) => void) {
  const smtp = await TestSmtpServer.create()
  await smtp.start()
  cleanup(() => smtp.stop())
  return smtp
}

async function auditActions() {
  return (await AuditLog.query().orderBy('id')).map((row) => row.action)
}

test.group('Team: invitations', (group) => {
  group.each.setup(truncateAll)

  test('an admin invites by email; the link sets a password, signs in, and works once', async ({
    client,
    assert,
    cleanup,
  }) => {
    const smtp = await smtpServer(cleanup)
    const admin = await panelUser(Role.Admin)
    const invite = await client
      .post('/admin/team/invitations')
      .withGuard('web')
      .loginAs(admin)
      .form({ email: 'New.Picker@Example.com', role: 'restocker' })
      .withCsrfToken()
      .redirects(0)
    invite.assertStatus(302)
    invite.assertFlashMessage('notice', 'An invitation was sent to new.picker@example.com.')

    const message = await eventually(async () => smtp.messages[0])
    assert.deepEqual(message.to, ['new.picker@example.com'])
    assert.equal(message.subject, 'You are invited to the Vendora panel')
    const link = /(http:\/\/\S+\/admin\/invitations\/[A-Za-z0-9_-]+)/.exec(message.text)?.[1]
    assert.isString(link)
    const path = new URL(link!).pathname
    const stored = await UserInvitation.firstOrFail()
    assert.notInclude(stored.tokenHash, path.split('/').pop()!, 'only the hash is stored')

    const page = await client.get(path)
    page.assertStatus(200)
    page.assertTextIncludes('new.picker@example.com')

    const short = await client
      .post(path)
      .form({ password: 'short', password_confirmation: 'short' })
      .withCsrfToken()
      .redirects(0)
    short.assertStatus(302)
    assert.property(short.flashMessages().inputErrorsBag, 'password')
    assert.isNull(await User.findBy('email', 'new.picker@example.com'))

    const accepted = await client
      .post(path)
      .form({ password: NEW_PASSWORD, password_confirmation: NEW_PASSWORD })
      .withCsrfToken()
      .redirects(0)
    accepted.assertStatus(302)
    accepted.assertHeader('location', '/admin')
    const user = await User.verifyCredentials('new.picker@example.com', NEW_PASSWORD)
    assert.equal(user.role, Role.Restocker)
    assert.deepEqual(await auditActions(), ['user.invited', 'user.created'])

    const again = await client.get(path)
    again.assertStatus(404)
    again.assertTextIncludes('expired or has already been used')
    const reuse = await client
      .post(path)
      .form({ password: NEW_PASSWORD, password_confirmation: NEW_PASSWORD })
      .withCsrfToken()
      .redirects(0)
    reuse.assertStatus(302)
    reuse.assertFlashMessage(
      'error',
      'This invitation link is expired or has already been used. Ask an admin for a new one.'
    )
  })

  test('an expired link says so and creates nobody', async ({ client, assert, cleanup }) => {
    const smtp = await smtpServer(cleanup)
    const admin = await panelUser(Role.Admin)
    await client
      .post('/admin/team/invitations')
      .withGuard('web')
      .loginAs(admin)
      .form({ email: 'late@example.com', role: 'viewer' })
      .withCsrfToken()
    const message = await eventually(async () => smtp.messages[0])
    const path = new URL(
      /(http:\/\/\S+\/admin\/invitations\/[A-Za-z0-9_-]+)/.exec(message.text)![1]
    ).pathname
    await UserInvitation.query().update({
      expires_at: DateTime.now().minus({ minutes: 1 }).toSQL(),
    })

    const page = await client.get(path)
    page.assertStatus(404)
    page.assertTextIncludes('expired or has already been used')
    await client
      .post(path)
      .form({ password: NEW_PASSWORD, password_confirmation: NEW_PASSWORD })
      .withCsrfToken()
    assert.isNull(await User.findBy('email', 'late@example.com'))
  })

  test('refuses inviting an email that already has an account', async ({ client, assert }) => {
    const admin = await panelUser(Role.Admin)
    const response = await client
      .post('/admin/team/invitations')
      .withGuard('web')
      .loginAs(admin)
      .form({ email: 'admin@example.com', role: 'viewer' })
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    response.assertFlashMessage('error', 'An account with this email already exists.')
    assert.lengthOf(await UserInvitation.all(), 0)
  })

  test('only admins open the team page', async ({ client }) => {
    const admin = await panelUser(Role.Admin)
    const page = await client.get('/admin/team').withGuard('web').loginAs(admin)
    page.assertStatus(200)
    page.assertTextIncludes('admin@example.com')
    for (const role of [Role.Restocker, Role.Viewer] as const) {
      const user = await panelUser(role)
      const refused = await client
        .get('/admin/team')
        .withGuard('web')
        .loginAs(user)
        .header('accept', 'text/html')
      refused.assertStatus(403)
      const invite = await client
        .post('/admin/team/invitations')
        .withGuard('web')
        .loginAs(user)
        .form({ email: 'x@example.com', role: 'admin' })
        .withCsrfToken()
        .redirects(0)
      invite.assertStatus(403)
    }
  })
})

test.group('Team: roles and deactivation', (group) => {
  group.each.setup(truncateAll)

  test('an admin changes a role; it applies on the next request, audited', async ({
    client,
    assert,
  }) => {
    const admin = await panelUser(Role.Admin)
    const viewer = await panelUser(Role.Viewer)
    const before = await client
      .get(`/admin/machines/create`)
      .withGuard('web')
      .loginAs(viewer)
      .header('accept', 'text/html')
    before.assertStatus(403)

    const change = await client
      .post(`/admin/team/${viewer.id}/role`)
      .withGuard('web')
      .loginAs(admin)
      .form({ role: 'admin' })
      .withCsrfToken()
      .redirects(0)
    change.assertStatus(302)
    await viewer.refresh()
    assert.equal(viewer.role, Role.Admin)
    const after = await client.get(`/admin/machines/create`).withGuard('web').loginAs(viewer)
    after.assertStatus(200)

    const [row] = await AuditLog.query().where('action', 'user.role_changed')
    assert.deepEqual(row.before, { email: 'viewer@example.com', role: 'viewer' })
    assert.deepEqual(row.after, { role: 'admin' })
    assert.equal(row.userId, admin.id)
  })

  test('a deactivated user is signed out at once, cannot log in, and comes back when reactivated', async ({
    client,
    assert,
  }) => {
    const admin = await panelUser(Role.Admin)
    const restocker = await panelUser(Role.Restocker)
    const token = await User.accessTokens.create(restocker)

    const deactivate = await client
      .post(`/admin/team/${restocker.id}/deactivate`)
      .withGuard('web')
      .loginAs(admin)
      .withCsrfToken()
      .redirects(0)
    deactivate.assertStatus(302)
    deactivate.assertFlashMessage('notice', 'restocker@example.com is deactivated and signed out.')

    // The session it still holds ends on its next request.
    const next = await client
      .get('/admin/machines')
      .withGuard('web')
      .loginAs(restocker)
      .header('accept', 'text/html')
      .redirects(0)
    next.assertStatus(302)
    next.assertHeader('location', '/admin/login')
    next.assertFlashMessage('error', 'This account has been deactivated.')
    // Its bearer tokens are gone.
    const api = await client
      .get('/admin/machines')
      .bearerToken(token.value!.release())
      .header('accept', 'application/json')
    api.assertStatus(401)

    const login = await client
      .post('/admin/login')
      .form({ email: 'restocker@example.com', password: PANEL_PASSWORD })
      .withCsrfToken()
      .redirects(0)
    login.assertFlashMessage('error', 'Wrong email or password.')

    const reactivate = await client
      .post(`/admin/team/${restocker.id}/reactivate`)
      .withGuard('web')
      .loginAs(admin)
      .withCsrfToken()
      .redirects(0)
    reactivate.assertStatus(302)
    const back = await client
      .post('/admin/login')
      .form({ email: 'restocker@example.com', password: PANEL_PASSWORD })
      .withCsrfToken()
      .redirects(0)
    back.assertHeader('location', '/admin')
    assert.deepEqual(await auditActions(), ['user.deactivated', 'user.reactivated'])
  })

  test("closes the deactivated user's live dashboard socket", async ({
    client,
    assert,
    cleanup,
  }) => {
    const admin = await panelUser(Role.Admin)
    const restocker = await panelUser(Role.Restocker)
    const page = await client.get('/admin').withGuard('web').loginAs(restocker)
    const ticket = /ticket: "([^"]+)"/.exec(page.text())?.[1]
    assert.isString(ticket)
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
    const closed = new Promise<string>((resolve) => live.once('disconnect', resolve))

    await client
      .post(`/admin/team/${restocker.id}/deactivate`)
      .withGuard('web')
      .loginAs(admin)
      .withCsrfToken()
    assert.equal(await closed, 'io server disconnect')

    // The same ticket no longer opens a socket.
    const again = io(`${baseUrl()}/admin`, {
      auth: { ticket },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    })
    cleanup(() => void again.close())
    const error = await new Promise<Error>((resolve) => again.once('connect_error', resolve))
    assert.equal(error.message, 'unauthorized')
  })

  test('refuses deactivating yourself and the last active admin', async ({ client, assert }) => {
    const admin = await panelUser(Role.Admin)
    const self = await client
      .post(`/admin/team/${admin.id}/deactivate`)
      .withGuard('web')
      .loginAs(admin)
      .withCsrfToken()
      .redirects(0)
    self.assertFlashMessage('error', 'You cannot deactivate yourself.')

    // Two admins demoting each other: the first change passes, the second
    // would leave no active admin (the actions are called directly, as a
    // request racing the first one would).
    const other = await panelUser(Role.Admin, 'other@example.com')
    const changeRole = await app.container.make(ChangeRole)
    await changeRole.handle(admin, other.id, Role.Viewer)
    await assert.rejects(() => changeRole.handle(other, admin.id, Role.Viewer), /one active admin/)
    const deactivate = await app.container.make(DeactivateUser)
    await assert.rejects(() => deactivate.handle(other, admin.id), /one active admin/)
    await admin.refresh()
    assert.equal(admin.role, Role.Admin)
    assert.isNull(admin.deactivatedAt)
  })
})

test.group('user:create', (group) => {
  group.each.setup(truncateAll)

  test('creates a panel user of the given role who can then log in', async ({ assert }) => {
    const ace = await app.container.make('ace')
    const command = await ace.create(UserCreate, [
      'Picker@Example.com',
      '--role',
      'restocker',
      '--password',
      NEW_PASSWORD,
    ])
    await command.exec()
    command.assertSucceeded()
    const user = await User.verifyCredentials('picker@example.com', NEW_PASSWORD)
    assert.equal(user.role, Role.Restocker)
    assert.deepEqual(await auditActions(), ['user.created'])
  })

  test('asks for the password, hidden, when it is not given', async ({ assert }) => {
    const ace = await app.container.make('ace')
    const command = await ace.create(UserCreate, ['watcher@example.com', '--role', 'viewer'])
    command.prompt.trap('Password (12+ characters)').replyWith(NEW_PASSWORD)
    await command.exec()
    command.assertSucceeded()
    const user = await User.verifyCredentials('watcher@example.com', NEW_PASSWORD)
    assert.equal(user.role, Role.Viewer)
  })

  test('refuses an unknown role, a short password and a taken email', async ({ assert }) => {
    await panelUser(Role.Admin)
    const ace = await app.container.make('ace')
    for (const argv of [
      ['x@example.com', '--role', 'user', '--password', NEW_PASSWORD],
      ['x@example.com', '--role', 'viewer', '--password', 'short'],
      ['admin@example.com', '--role', 'viewer', '--password', NEW_PASSWORD],
    ]) {
      const command = await ace.create(UserCreate, argv)
      await command.exec()
      command.assertFailed()
    }
    assert.lengthOf(await User.all(), 1)
  })
})
