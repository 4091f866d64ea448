import { test } from '@japa/runner'
import AuditLog from '#models/audit_log'
import { UserFactory } from '#database/factories/user_factory'
import { MachineFactory } from '#database/factories/machine_factory'
import { truncateAll } from '#tests/helpers/database'
import { createShopper } from '#tests/helpers/shopper'

function createAdmin() {
  return UserFactory.apply('admin').merge({ email: 'ops@example.com' }).create()
}

test.group('Admin machine tags', (group) => {
  group.each.setup(truncateAll)

  test('saves typed tags lower-cased, trimmed and without repeats, with an audit row', async ({
    client,
    assert,
  }) => {
    const admin = await createAdmin()
    const machine = await MachineFactory.merge({ code: 'lobby-01' }).create()
    const response = await client
      .post(`/admin/machines/${machine.id}/tags`)
      .withGuard('web')
      .loginAs(admin)
      .withCsrfToken()
      .form({ tags: ' Airport, terminal-2 ,,airport, T1 ' })
      .redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', `/admin/machines/${machine.id}`)
    response.assertFlashMessage('notice', 'lobby-01 is tagged airport, terminal-2, t1.')

    await machine.refresh()
    assert.deepEqual(machine.tags, ['airport', 'terminal-2', 't1'])
    const audit = await AuditLog.findByOrFail('action', 'machine.tags')
    assert.deepEqual(audit.before, { tags: [] })
    assert.deepEqual(audit.after, { tags: ['airport', 'terminal-2', 't1'] })
    assert.equal(audit.userId, admin.id)

    const page = await client.get(`/admin/machines/${machine.id}`).withGuard('web').loginAs(admin)
    page.assertStatus(200)
    page.assertTextIncludes('value="airport, terminal-2, t1"')
    page.assertTextIncludes('data-tag="terminal-2"')

    // An empty input clears them.
    const cleared = await client
      .post(`/admin/machines/${machine.id}/tags`)
      .withGuard('web')
      .loginAs(admin)
      .withCsrfToken()
      .form({ tags: '' })
      .redirects(0)
    cleared.assertFlashMessage('notice', 'lobby-01 has no tags now.')
    await machine.refresh()
    assert.deepEqual(machine.tags, [])
  })

  test('sends a bad tag back to the form with its message, changing nothing', async ({
    client,
    assert,
  }) => {
    const admin = await createAdmin()
    const machine = await MachineFactory.merge({ tags: ['campus'] }).create()
    const cases = [
      {
        tags: 'airport, north wing',
        message: '“north wing” is not a tag: use 1–32 letters, digits or dashes.',
      },
      {
        tags: 'ok, under_score',
        message: '“under_score” is not a tag: use 1–32 letters, digits or dashes.',
      },
      {
        tags: 'a'.repeat(33),
        message: `“${'a'.repeat(33)}” is not a tag: use 1–32 letters, digits or dashes.`,
      },
      {
        tags: Array.from({ length: 21 }, (_, i) => `t${i}`).join(','),
        message: 'A machine takes at most 20 tags.',
      },
    ]
    for (const form of cases) {
      const response = await client
        .post(`/admin/machines/${machine.id}/tags`)
        .withGuard('web')
        .loginAs(admin)
        .withCsrfToken()
        .header('referer', `/admin/machines/${machine.id}`)
        .form({ tags: form.tags })
        .redirects(0)
      response.assertStatus(302)
      response.assertHeader('location', `/admin/machines/${machine.id}`)
      assert.deepEqual(response.flashMessage('inputErrorsBag.tags'), [form.message], form.tags)
      assert.equal(response.flashMessage('tags'), form.tags, 'keeps the typed value')
    }
    await machine.refresh()
    assert.deepEqual(machine.tags, ['campus'])
    assert.lengthOf(await AuditLog.all(), 0)
  })

  test('refuses tag edits without a CSRF token, from a shopper or a guest', async ({
    client,
    assert,
  }) => {
    const admin = await createAdmin()
    const machine = await MachineFactory.create()
    const noCsrf = await client
      .post(`/admin/machines/${machine.id}/tags`)
      .withGuard('web')
      .loginAs(admin)
      .form({ tags: 'airport' })
      .redirects(0)
    noCsrf.assertStatus(302)
    noCsrf.assertFlashMessage('errorsBag', { E_BAD_CSRF_TOKEN: 'Invalid or expired CSRF token' })

    const { token } = await createShopper()
    const shopper = await client
      .post(`/admin/machines/${machine.id}/tags`)
      .bearerToken(token)
      .header('accept', 'text/html')
      .withCsrfToken()
      .form({ tags: 'airport' })
    shopper.assertStatus(403)

    const guest = await client
      .post(`/admin/machines/${machine.id}/tags`)
      .header('accept', 'text/html')
      .withCsrfToken()
      .form({ tags: 'airport' })
      .redirects(0)
    guest.assertStatus(302)
    guest.assertHeader('location', '/admin/login')

    await machine.refresh()
    assert.deepEqual(machine.tags, [])
  })

  test('lists machines with their tags and filters the list by one', async ({ client, assert }) => {
    const admin = await createAdmin()
    await MachineFactory.merge({ code: 'air-01', tags: ['airport', 'terminal-2'] }).create()
    await MachineFactory.merge({ code: 'air-02', tags: ['airport'] }).create()
    // A tag that contains another as a prefix is a different tag.
    await MachineFactory.merge({ code: 'gym-01', tags: ['airport-old'] }).create()
    await MachineFactory.merge({ code: 'lab-01' }).create()

    const all = await client.get('/admin/machines').withGuard('web').loginAs(admin)
    all.assertStatus(200)
    for (const code of ['air-01', 'air-02', 'gym-01', 'lab-01'])
      all.assertTextIncludes(`data-machine="${code}"`)
    all.assertTextIncludes('href="/admin/machines?tag=terminal-2"')

    const filtered = await client
      .get('/admin/machines')
      .qs({ tag: 'Airport' })
      .withGuard('web')
      .loginAs(admin)
    filtered.assertStatus(200)
    filtered.assertTextIncludes('data-machine="air-01"')
    filtered.assertTextIncludes('data-machine="air-02"')
    assert.notInclude(filtered.text(), 'data-machine="gym-01"')
    assert.notInclude(filtered.text(), 'data-machine="lab-01"')
    // The live refresh keeps the filter.
    filtered.assertTextIncludes('/admin/machines/live?tag=airport')

    const live = await client
      .get('/admin/machines/live')
      .qs({ tag: 'terminal-2' })
      .withGuard('web')
      .loginAs(admin)
    live.assertTextIncludes('data-machine="air-01"')
    assert.notInclude(live.text(), 'data-machine="air-02"')

    const none = await client
      .get('/admin/machines')
      .qs({ tag: 'nowhere' })
      .withGuard('web')
      .loginAs(admin)
    none.assertTextIncludes('No machine is tagged nowhere.')
  })
})
