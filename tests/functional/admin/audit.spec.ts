import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import app from '@adonisjs/core/services/app'
import AuditLog from '#models/audit_log'
import Product from '#models/product'
import AuditTrail, { type AuditEntry } from '#services/audit_trail'
import { auditChanges } from '#controllers/admin/audit_controller'
import { UserFactory } from '#database/factories/user_factory'
import { truncateAll } from '#tests/helpers/database'
import { createShopper } from '#tests/helpers/shopper'

/**
 * Writes an audit row as the actions do, through the container's `AuditTrail`.
 */
async function record(entry: AuditEntry) {
  return (await app.container.make(AuditTrail)).record(entry)
}

function createAdmin(email = 'ops@example.com') {
  return UserFactory.apply('admin').merge({ email }).create()
}

/**
 * Audit row ids in the order the page shows them.
 */
function shownIds(html: string) {
  return [...html.matchAll(/data-audit-id="(\d+)"/g)].map((m) => Number(m[1]))
}

/**
 * The HTML of the row for audit entry `id`.
 */
function rowOf(html: string, id: number) {
  const start = html.indexOf(`data-audit-id="${id}"`)
  return html.slice(start, html.indexOf('</tr>', start))
}

test.group('Audit log page: access', (group) => {
  group.each.setup(truncateAll)

  test('sends an anonymous visitor to the login page', async ({ client }) => {
    const response = await client.get('/admin/audit').header('accept', 'text/html').redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', '/admin/login')
  })

  test('refuses a shopper bearer token with 403', async ({ client }) => {
    const { token } = await createShopper()
    const response = await client
      .get('/admin/audit')
      .bearerToken(token)
      .header('accept', 'text/html')
    response.assertStatus(403)
  })
})

test.group('Audit log page', (group) => {
  group.each.setup(truncateAll)

  test('shows who did what and when, newest first, with a before → after diff', async ({
    client,
    assert,
  }) => {
    const admin = await createAdmin()
    await client
      .post('/admin/products')
      .withGuard('web')
      .loginAs(admin)
      .withCsrfToken()
      .form({ name: 'Cola', price: '25' })
      .redirects(0)
    const product = await Product.findByOrFail('name', 'Cola')
    await client
      .post(`/admin/products/${product.id}`)
      .withGuard('web')
      .loginAs(admin)
      .withCsrfToken()
      .form({ name: 'Cola zero', price: '0.29' })
      .redirects(0)
    const [created, updated] = await AuditLog.query().orderBy('id')
    assert.equal(created.action, 'product.create')
    assert.equal(updated.action, 'product.update')

    const response = await client.get('/admin/audit').withGuard('web').loginAs(admin)
    response.assertStatus(200)
    assert.deepEqual(shownIds(response.text()), [updated.id, created.id])

    const updateRow = rowOf(response.text(), updated.id)
    assert.include(updateRow, 'ops@example.com')
    assert.include(updateRow, 'product.update')
    assert.include(updateRow, `product #${product.id}`)
    assert.match(updateRow, /<del>\s*₹25.00\s*<\/del>\s*→\s*<ins>\s*₹0.29\s*<\/ins>/)
    assert.match(updateRow, /<del>\s*Cola\s*<\/del>\s*→\s*<ins>\s*Cola zero\s*<\/ins>/)
    // Unchanged fields are left out of an update's diff.
    assert.notInclude(updateRow, 'refundable')
    assert.include(updateRow, updated.createdAt.toFormat('dd LLL yyyy, HH:mm'))

    const createRow = rowOf(response.text(), created.id)
    assert.include(createRow, 'product.create')
    assert.match(createRow, /<ins>\s*₹25.00\s*<\/ins>/)
    assert.include(createRow, 'refundable')
  })

  test('filters by subject type and by action, offering only recorded values', async ({
    client,
    assert,
  }) => {
    const admin = await createAdmin()
    const create = await record({
      actor: admin,
      action: 'product.create',
      subjectType: 'product',
      subjectId: 1,
      after: { name: 'A' },
    })
    const deactivate = await record({
      actor: admin,
      action: 'product.deactivate',
      subjectType: 'product',
      subjectId: 1,
      before: { is_active: true },
      after: { is_active: false },
    })
    const machine = await record({
      actor: admin,
      action: 'machine.update',
      subjectType: 'machine',
      subjectId: 7,
      before: { name: 'x' },
      after: { name: 'y' },
    })

    const all = await client.get('/admin/audit').withGuard('web').loginAs(admin)
    assert.sameMembers(shownIds(all.text()), [create.id, deactivate.id, machine.id])
    all.assertTextIncludes('<option value="machine"')
    all.assertTextIncludes('<option value="product.deactivate"')

    const products = await client
      .get('/admin/audit?subject_type=product')
      .withGuard('web')
      .loginAs(admin)
    assert.sameMembers(shownIds(products.text()), [create.id, deactivate.id])
    products.assertTextIncludes('<option value="product" selected')

    const deactivations = await client
      .get('/admin/audit?subject_type=product&action=product.deactivate')
      .withGuard('web')
      .loginAs(admin)
    assert.deepEqual(shownIds(deactivations.text()), [deactivate.id])
    assert.match(
      rowOf(deactivations.text(), deactivate.id),
      /<del>\s*yes\s*<\/del>\s*→\s*<ins>\s*no\s*<\/ins>/
    )

    const none = await client
      .get('/admin/audit?subject_type=machine&action=product.create')
      .withGuard('web')
      .loginAs(admin)
    assert.deepEqual(shownIds(none.text()), [])
    none.assertTextIncludes('Nothing recorded for this filter.')

    // An unknown filter value is ignored rather than matching nothing.
    const unknown = await client
      .get('/admin/audit?subject_type=nope')
      .withGuard('web')
      .loginAs(admin)
    assert.lengthOf(shownIds(unknown.text()), 3)
  })

  test('pages 25 rows at a time, keeping the filter in the links', async ({ client, assert }) => {
    const admin = await createAdmin()
    const start = DateTime.now().minus({ hours: 1 })
    for (let i = 0; i < 27; i++) {
      const log = await record({
        actor: admin,
        action: 'product.update',
        subjectType: 'product',
        subjectId: i + 1,
        after: { name: `P${i}` },
      })
      log.createdAt = start.plus({ minutes: i })
      await log.save()
    }
    const first = await client
      .get('/admin/audit?subject_type=product')
      .withGuard('web')
      .loginAs(admin)
    const firstIds = shownIds(first.text())
    assert.lengthOf(firstIds, 25)
    first.assertTextIncludes('Page 1 of 2')
    first.assertTextIncludes('href="/admin/audit?subject_type=product&amp;page=2"')

    const second = await client
      .get('/admin/audit?subject_type=product&page=2')
      .withGuard('web')
      .loginAs(admin)
    const secondIds = shownIds(second.text())
    assert.lengthOf(secondIds, 2)
    const oldest = await AuditLog.query().orderBy('created_at', 'asc').limit(2)
    assert.sameMembers(
      secondIds,
      oldest.map((l) => l.id)
    )
  })

  test('names a missing actor as the system', async ({ client, assert }) => {
    const admin = await createAdmin()
    const log = await record({
      actor: null,
      action: 'machine.offline',
      subjectType: 'machine',
      subjectId: 3,
      note: 'Heartbeat lost',
    })
    const response = await client.get('/admin/audit').withGuard('web').loginAs(admin)
    const row = rowOf(response.text(), log.id)
    assert.include(row, 'system')
    assert.include(row, 'Heartbeat lost')
  })
})

test.group('Audit diff', () => {
  test('keeps only changed fields of an update, every field of a create or delete', ({
    assert,
  }) => {
    assert.deepEqual(
      auditChanges({ before: { a: 1, b: 'x', c: null }, after: { a: 2, b: 'x', c: null } }),
      [{ field: 'a', before: 1, after: 2 }]
    )
    assert.deepEqual(auditChanges({ before: null, after: { a: 1 } }), [{ field: 'a', after: 1 }])
    assert.deepEqual(auditChanges({ before: { a: 1 }, after: null }), [{ field: 'a', before: 1 }])
    assert.deepEqual(auditChanges({ before: { a: 1 }, after: { b: 2 } }), [
      { field: 'a', before: 1, after: null },
      { field: 'b', before: null, after: 2 },
    ])
  })
})
