import { randomUUID } from 'node:crypto'
import { mkdir, readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from '@japa/runner'
import uploadsConfig from '#config/uploads'
import { OrderStatus } from '#enums/order_status'
import AuditLog from '#models/audit_log'
import Order from '#models/order'
import Product from '#models/product'
import Slot from '#models/slot'
import { rupeesToPaise } from '#validators/product'
import { ProductFactory } from '#database/factories/product_factory'
import { UserFactory } from '#database/factories/user_factory'
import { truncateAll } from '#tests/helpers/database'
import { pngImage } from '#tests/helpers/images'
import { createShopper } from '#tests/helpers/shopper'
import { createMachine } from '#tests/helpers/device'

const uploadsDir = uploadsConfig.products.directory

function createAdmin() {
  return UserFactory.apply('admin').merge({ email: 'ops@example.com' }).create()
}

async function storedImages() {
  try {
    return (await readdir(uploadsDir)).sort()
  } catch {
    return []
  }
}

/**
 * Removes the images a test stored, leaving files that were there before.
 */
async function keepUploadsClean() {
  await mkdir(uploadsDir, { recursive: true })
  const before = new Set(await storedImages())
  return async () => {
    for (const name of await storedImages())
      if (!before.has(name)) await rm(join(uploadsDir, name), { force: true })
  }
}

const validForm = {
  name: 'Masala chips',
  price: '45.50',
  description: 'Crunchy, 50 g',
  is_refundable: '1',
}

test.group('Admin products: access', (group) => {
  group.each.setup(truncateAll)

  test('sends an anonymous visitor to the login page', async ({ client }) => {
    for (const url of ['/admin/products', '/admin/products/new', '/admin/audit']) {
      const response = await client.get(url).header('accept', 'text/html').redirects(0)
      response.assertStatus(302)
      response.assertHeader('location', '/admin/login')
    }
  })

  test('refuses a shopper bearer token with 403', async ({ client }) => {
    const { token } = await createShopper()
    const list = await client
      .get('/admin/products')
      .bearerToken(token)
      .header('accept', 'text/html')
    list.assertStatus(403)
    const create = await client
      .post('/admin/products')
      .bearerToken(token)
      .header('accept', 'text/html')
      .form(validForm)
      .withCsrfToken()
    create.assertStatus(403)
    const { user } = await createShopper()
    const session = await client
      .get('/admin/products')
      .withGuard('web')
      .loginAs(user)
      .header('accept', 'text/html')
    session.assertStatus(403)
  })

  test('refuses a create without a CSRF token', async ({ client, assert }) => {
    const admin = await createAdmin()
    const response = await client
      .post('/admin/products')
      .withGuard('web')
      .loginAs(admin)
      .form(validForm)
      .redirects(0)
    response.assertStatus(302)
    response.assertFlashMessage('errorsBag', { E_BAD_CSRF_TOKEN: 'Invalid or expired CSRF token' })
    assert.equal(
      await Product.query()
        .count('* as total')
        .first()
        .then((r) => Number(r!.$extras.total)),
      0
    )
  })

  test('refuses a delete without a CSRF token', async ({ client, assert }) => {
    const admin = await createAdmin()
    const product = await ProductFactory.create()
    const response = await client
      .post(`/admin/products/${product.id}/delete`)
      .withGuard('web')
      .loginAs(admin)
      .redirects(0)
    response.assertStatus(302)
    response.assertFlashMessage('errorsBag', { E_BAD_CSRF_TOKEN: 'Invalid or expired CSRF token' })
    assert.isNotNull(await Product.find(product.id))
  })
})

test.group('Admin products: list', (group) => {
  group.each.setup(truncateAll)

  test('lists products newest first, 20 a page, with price and status', async ({
    client,
    assert,
  }) => {
    const admin = await createAdmin()
    for (let i = 1; i <= 22; i++)
      await ProductFactory.merge({
        name: `Snack ${String(i).padStart(2, '0')}`,
        pricePaise: 1000 + i,
      }).create()
    await ProductFactory.apply('inactive').merge({ name: 'Old cola', pricePaise: 4550 }).create()

    const first = await client.get('/admin/products').withGuard('web').loginAs(admin)
    first.assertStatus(200)
    first.assertTextIncludes('23 products')
    first.assertTextIncludes('Old cola')
    first.assertTextIncludes('₹45.50')
    first.assertTextIncludes('Inactive')
    first.assertTextIncludes('Page 1 of 2')
    assert.equal((first.text().match(/data-product-id=/g) ?? []).length, 20)
    assert.notInclude(first.text(), 'Snack 02')

    const second = await client.get('/admin/products?page=2').withGuard('web').loginAs(admin)
    assert.equal((second.text().match(/data-product-id=/g) ?? []).length, 3)
    second.assertTextIncludes('Snack 01')
  })

  test('searches by name, case-insensitively, keeping the query in page links', async ({
    client,
    assert,
  }) => {
    const admin = await createAdmin()
    await ProductFactory.merge({ name: 'Masala Chips' }).create()
    await ProductFactory.merge({ name: 'Salted chips' }).create()
    await ProductFactory.merge({ name: 'Cola' }).create()
    await ProductFactory.merge({ name: '100% juice' }).create()

    const response = await client.get('/admin/products?q=CHIPS').withGuard('web').loginAs(admin)
    response.assertStatus(200)
    response.assertTextIncludes('Masala Chips')
    response.assertTextIncludes('Salted chips')
    assert.notInclude(response.text(), '>Cola<')
    assert.equal((response.text().match(/data-product-id=/g) ?? []).length, 2)

    // "%" is matched literally, not as a wildcard.
    const percent = await client.get('/admin/products?q=%25').withGuard('web').loginAs(admin)
    assert.equal((percent.text().match(/data-product-id=/g) ?? []).length, 1)

    const none = await client
      .get('/admin/products?q=nothing-like-this')
      .withGuard('web')
      .loginAs(admin)
    none.assertTextIncludes('No product matches')
  })
})

test.group('Admin products: create', (group) => {
  group.each.setup(truncateAll)
  group.each.setup(keepUploadsClean)

  test('the new product form leaves the price empty, with its unit and an example as a hint', async ({
    client,
    assert,
  }) => {
    const admin = await createAdmin()
    const response = await client.get('/admin/products/new').withGuard('web').loginAs(admin)
    response.assertStatus(200)
    const field = /<label>\s*Price \(₹\)\s*(<input[^>]*>)\s*<small>([^<]*)<\/small>/.exec(
      response.text()
    )
    assert.isNotNull(field, 'a price field with a hint')
    const [, input, hint] = field!
    assert.include(input, 'name="price"')
    assert.include(input, 'value=""')
    // A number in the empty box reads as a price already set.
    assert.notInclude(input, 'placeholder', input)
    assert.equal(hint, 'In rupees, up to 2 decimals, e.g. 45.50')
  })

  test('creates a product with its price in paise and an audit row', async ({ client, assert }) => {
    const admin = await createAdmin()
    const response = await client
      .post('/admin/products')
      .withGuard('web')
      .loginAs(admin)
      .withCsrfToken()
      .form(validForm)
      .redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', '/admin/products')
    response.assertFlashMessage('notice', '“Masala chips” was added.')

    const product = await Product.findByOrFail('name', 'Masala chips')
    assert.equal(product.pricePaise, 4550)
    assert.equal(product.description, 'Crunchy, 50 g')
    assert.isTrue(product.isRefundable)
    assert.isTrue(product.isActive)
    assert.isNull(product.imagePath)

    const audit = await AuditLog.query().where('action', 'product.create').firstOrFail()
    assert.equal(audit.userId, admin.id)
    assert.equal(audit.subjectType, 'product')
    assert.equal(audit.subjectId, product.id)
    assert.isNull(audit.before)
    assert.deepEqual(audit.after, {
      name: 'Masala chips',
      description: 'Crunchy, 50 g',
      price_paise: 4550,
      is_refundable: true,
      is_active: true,
      image_path: null,
    })
  })

  test('stores an uploaded image under a random name and serves it', async ({ client, assert }) => {
    const admin = await createAdmin()
    const png = pngImage()
    const response = await client
      .post('/admin/products')
      .withGuard('web')
      .loginAs(admin)
      .withCsrfToken()
      .fields({ name: 'Cola', price: '40' })
      .file('image', png, { filename: 'my cola.png', contentType: 'image/png' })
      .redirects(0)
    response.assertStatus(302)
    response.assertFlashMessage('notice', '“Cola” was added.')

    const product = await Product.findByOrFail('name', 'Cola')
    assert.equal(product.pricePaise, 4000)
    assert.isFalse(product.isRefundable)
    assert.match(product.imagePath!, /^\/uploads\/products\/[0-9a-f-]{36}\.png$/)
    assert.include(await storedImages(), product.imagePath!.split('/').pop()!)

    const image = await client.get(product.imagePath!)
    image.assertStatus(200)
    image.assertHeader('content-type', 'image/png')
    assert.isTrue(Buffer.from(image.body()).equals(png), 'serves the uploaded bytes')

    const list = await client.get('/admin/products').withGuard('web').loginAs(admin)
    list.assertTextIncludes(`src="${product.imagePath}"`)
  })

  test('serves only stored images from the uploads folder', async ({ client }) => {
    for (const url of [
      `/uploads/products/${randomUUID()}.png`,
      '/uploads/products/..%2F..%2F.env',
      '/uploads/products/package.json',
      '/uploads/products/%2E%2E',
    ]) {
      const response = await client.get(url).header('accept', 'text/html')
      response.assertStatus(404)
    }
  })

  test('refuses bad prices, keeping nothing and naming the field', async ({ client, assert }) => {
    const admin = await createAdmin()
    const cases: [string, string][] = [
      ['abc', 'Enter the price in rupees, for example 45.50.'],
      ['-1', 'The price must be more than ₹0.'],
      ['0', 'The price must be more than ₹0.'],
      ['1.234', 'The price can have at most 2 decimals (paise), for example 45.50.'],
      ['100000.01', 'The price can be at most ₹1,00,000.'],
      ['99999999999999999999', 'The price can be at most ₹1,00,000.'],
      ['', 'Enter the price in rupees, for example 45.50.'],
    ]
    for (const [price, message] of cases) {
      const response = await client
        .post('/admin/products')
        .withGuard('web')
        .loginAs(admin)
        .withCsrfToken()
        .form({ ...validForm, price })
        .redirects(0)
      response.assertStatus(302)
      assert.deepEqual(response.flashMessage('inputErrorsBag.price'), [message], `price "${price}"`)
      assert.equal(response.flashMessage('name'), 'Masala chips', 'keeps the typed values')
    }
    assert.lengthOf(await Product.all(), 0)
    assert.lengthOf(await AuditLog.all(), 0)
  })

  test('shows the field errors on the form after a failed submit', async ({ client }) => {
    const admin = await createAdmin()
    const response = await client
      .post('/admin/products')
      .withGuard('web')
      .loginAs(admin)
      .withCsrfToken()
      .header('referer', '/admin/products/new')
      .form({ name: '', price: '1.234', description: 'Keep me' })
    response.assertStatus(200)
    response.assertTextIncludes('Enter the product’s name.')
    response.assertTextIncludes('The price can have at most 2 decimals (paise), for example 45.50.')
    response.assertTextIncludes('Keep me')
    response.assertTextIncludes('value="1.234"')
  })

  test('refuses a missing or too long name', async ({ client, assert }) => {
    const admin = await createAdmin()
    const missing = await client
      .post('/admin/products')
      .withGuard('web')
      .loginAs(admin)
      .withCsrfToken()
      .form({ price: '10' })
      .redirects(0)
    assert.deepEqual(missing.flashMessage('inputErrorsBag.name'), ['Enter the product’s name.'])
    const long = await client
      .post('/admin/products')
      .withGuard('web')
      .loginAs(admin)
      .withCsrfToken()
      .form({ name: 'x'.repeat(121), price: '10' })
      .redirects(0)
    assert.deepEqual(long.flashMessage('inputErrorsBag.name'), [
      'The name can be at most 120 characters.',
    ])
    assert.lengthOf(await Product.all(), 0)
  })

  test('refuses an image of the wrong type and stores no file', async ({ client, assert }) => {
    const admin = await createAdmin()
    const before = await storedImages()
    const uploads: [Buffer, string, string][] = [
      [Buffer.from('just some notes'), 'notes.txt', 'The image must be a JPG, PNG or WebP file.'],
      [
        Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'),
        'anim.gif',
        'The image must be a JPG, PNG or WebP file.',
      ],
      [
        Buffer.from('<html><script>alert(1)</script></html>'),
        'page.png',
        'The image must be a JPG, PNG or WebP file.',
      ],
      [
        Buffer.from('plain text pretending to be a picture'),
        'short.png',
        'The image must be a JPG, PNG or WebP file.',
      ],
      // Past 4100 bytes the body parser trusts the name of an unrecognised file; the content check does not.
      [
        Buffer.from('plain text pretending to be a picture\n'.repeat(200)),
        'long.png',
        'The image must be a JPG, PNG or WebP picture.',
      ],
    ]
    for (const [content, filename, message] of uploads) {
      const response = await client
        .post('/admin/products')
        .withGuard('web')
        .loginAs(admin)
        .withCsrfToken()
        .fields(validForm)
        .file('image', content, { filename })
        .redirects(0)
      response.assertStatus(302)
      assert.deepEqual(response.flashMessage('inputErrorsBag.image'), [message], filename)
    }
    assert.lengthOf(await Product.all(), 0)
    assert.deepEqual(await storedImages(), before)
  })

  test('refuses an image over 2 MB and stores no file', async ({ client, assert }) => {
    const admin = await createAdmin()
    const before = await storedImages()
    const big = Buffer.concat([pngImage(), Buffer.alloc(2 * 1024 * 1024 + 10, 7)])
    const response = await client
      .post('/admin/products')
      .withGuard('web')
      .loginAs(admin)
      .withCsrfToken()
      .fields(validForm)
      .file('image', big, { filename: 'big.png' })
      .redirects(0)
    response.assertStatus(302)
    assert.deepEqual(response.flashMessage('inputErrorsBag.image'), [
      'The image must be 2 MB or smaller.',
    ])
    assert.lengthOf(await Product.all(), 0)
    assert.deepEqual(await storedImages(), before)
  })

  test('converts rupees to paise without float error', ({ assert }) => {
    assert.equal(rupeesToPaise('0.29'), 29)
    assert.equal(rupeesToPaise('1.1'), 110)
    assert.equal(rupeesToPaise('45.50'), 4550)
    assert.equal(rupeesToPaise('1,00,000'), 10_000_000)
    assert.equal(rupeesToPaise('₹ 19.99'), 1999)
  })
})

test.group('Admin products: edit', (group) => {
  group.each.setup(truncateAll)
  group.each.setup(keepUploadsClean)

  test('shows the current values, price in rupees', async ({ client }) => {
    const admin = await createAdmin()
    const product = await ProductFactory.merge({ name: 'Lemon soda', pricePaise: 2905 }).create()
    const response = await client
      .get(`/admin/products/${product.id}/edit`)
      .withGuard('web')
      .loginAs(admin)
    response.assertStatus(200)
    response.assertTextIncludes('value="Lemon soda"')
    response.assertTextIncludes('value="29.05"')
  })

  test('updates a product and records only what changed', async ({ client, assert }) => {
    const admin = await createAdmin()
    const product = await ProductFactory.merge({
      name: 'Lemon soda',
      pricePaise: 2500,
      isRefundable: true,
    }).create()
    const response = await client
      .post(`/admin/products/${product.id}`)
      .withGuard('web')
      .loginAs(admin)
      .withCsrfToken()
      .form({ name: 'Lemon soda', price: '0.29', is_refundable: '1' })
      .redirects(0)
    response.assertStatus(302)
    response.assertFlashMessage('notice', '“Lemon soda” was saved.')

    await product.refresh()
    assert.equal(product.pricePaise, 29)
    const audit = await AuditLog.query().where('action', 'product.update').firstOrFail()
    assert.equal(audit.subjectId, product.id)
    assert.equal(audit.userId, admin.id)
    assert.equal(audit.before!.price_paise, 2500)
    assert.equal(audit.after!.price_paise, 29)
    assert.equal(audit.before!.name, 'Lemon soda')

    // The same values again change nothing and record nothing.
    await client
      .post(`/admin/products/${product.id}`)
      .withGuard('web')
      .loginAs(admin)
      .withCsrfToken()
      .form({ name: 'Lemon soda', price: '0.29', is_refundable: '1' })
      .redirects(0)
    assert.lengthOf(await AuditLog.query().where('action', 'product.update'), 1)
  })

  test('replaces the image and deletes the old file', async ({ client, assert }) => {
    const admin = await createAdmin()
    const create = await client
      .post('/admin/products')
      .withGuard('web')
      .loginAs(admin)
      .withCsrfToken()
      .fields({ name: 'Cola', price: '40' })
      .file('image', pngImage(), { filename: 'cola.png' })
      .redirects(0)
    create.assertStatus(302)
    const product = await Product.findByOrFail('name', 'Cola')
    const oldName = product.imagePath!.split('/').pop()!

    await client
      .post(`/admin/products/${product.id}`)
      .withGuard('web')
      .loginAs(admin)
      .withCsrfToken()
      .fields({ name: 'Cola', price: '40' })
      .file(
        'image',
        pngImage(16, () => [200, 30, 30]),
        { filename: 'new.png' }
      )
      .redirects(0)
    await product.refresh()
    assert.notEqual(product.imagePath, `/uploads/products/${oldName}`)
    const files = await storedImages()
    assert.notInclude(files, oldName)
    assert.include(files, product.imagePath!.split('/').pop()!)

    await client
      .post(`/admin/products/${product.id}`)
      .withGuard('web')
      .loginAs(admin)
      .withCsrfToken()
      .form({ name: 'Cola', price: '40', remove_image: '1' })
      .redirects(0)
    const removed = product.imagePath!.split('/').pop()!
    await product.refresh()
    assert.isNull(product.imagePath)
    assert.notInclude(await storedImages(), removed)
  })

  test('refuses an invalid edit and keeps the product as it was', async ({ client, assert }) => {
    const admin = await createAdmin()
    const product = await ProductFactory.merge({ name: 'Lemon soda', pricePaise: 2500 }).create()
    const response = await client
      .post(`/admin/products/${product.id}`)
      .withGuard('web')
      .loginAs(admin)
      .withCsrfToken()
      .form({ name: '', price: 'abc' })
      .redirects(0)
    response.assertStatus(302)
    assert.deepEqual(response.flashMessage('inputErrorsBag.name'), ['Enter the product’s name.'])
    assert.deepEqual(response.flashMessage('inputErrorsBag.price'), [
      'Enter the price in rupees, for example 45.50.',
    ])
    await product.refresh()
    assert.equal(product.name, 'Lemon soda')
    assert.equal(product.pricePaise, 2500)
    assert.lengthOf(await AuditLog.all(), 0)
  })

  test('answers 404 for an unknown product', async ({ client }) => {
    const admin = await createAdmin()
    const response = await client.get('/admin/products/999999/edit').withGuard('web').loginAs(admin)
    response.assertStatus(404)
  })
})

test.group('Admin products: deactivate and delete', (group) => {
  group.each.setup(truncateAll)
  group.each.setup(keepUploadsClean)

  test('asks before deactivating, then takes the product off sale and back', async ({
    client,
    assert,
  }) => {
    const admin = await createAdmin()
    const product = await ProductFactory.merge({ name: 'Cola' }).create()

    const confirm = await client
      .get(`/admin/products/${product.id}/deactivate`)
      .withGuard('web')
      .loginAs(admin)
    confirm.assertStatus(200)
    confirm.assertTextIncludes('Deactivate “Cola”?')
    confirm.assertTextIncludes(`action="/admin/products/${product.id}/deactivate"`)

    const off = await client
      .post(`/admin/products/${product.id}/deactivate`)
      .withGuard('web')
      .loginAs(admin)
      .withCsrfToken()
      .redirects(0)
    off.assertStatus(302)
    off.assertFlashMessage('notice', '“Cola” is off sale now. Reactivate it to sell it again.')
    await product.refresh()
    assert.isFalse(product.isActive)

    const on = await client
      .post(`/admin/products/${product.id}/reactivate`)
      .withGuard('web')
      .loginAs(admin)
      .withCsrfToken()
      .redirects(0)
    on.assertFlashMessage('notice', '“Cola” is on sale again.')
    await product.refresh()
    assert.isTrue(product.isActive)

    const audits = await AuditLog.query().where('subject_id', product.id).orderBy('id')
    assert.deepEqual(
      audits.map((a) => [a.action, a.before!.is_active, a.after!.is_active]),
      [
        ['product.deactivate', true, false],
        ['product.reactivate', false, true],
      ]
    )
  })

  test('deletes an unused product with its image and an audit row', async ({ client, assert }) => {
    const admin = await createAdmin()
    await client
      .post('/admin/products')
      .withGuard('web')
      .loginAs(admin)
      .withCsrfToken()
      .fields({ name: 'Short-lived', price: '12.00' })
      .file('image', pngImage(), { filename: 'x.png' })
      .redirects(0)
    const product = await Product.findByOrFail('name', 'Short-lived')
    const file = product.imagePath!.split('/').pop()!

    const confirm = await client
      .get(`/admin/products/${product.id}/delete`)
      .withGuard('web')
      .loginAs(admin)
    confirm.assertTextIncludes('Delete “Short-lived”?')
    confirm.assertTextIncludes('Delete product')

    const response = await client
      .post(`/admin/products/${product.id}/delete`)
      .withGuard('web')
      .loginAs(admin)
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    response.assertFlashMessage('notice', '“Short-lived” was deleted.')
    assert.isNull(await Product.find(product.id))
    assert.notInclude(await storedImages(), file)

    const audit = await AuditLog.query().where('action', 'product.delete').firstOrFail()
    assert.equal(audit.subjectId, product.id)
    assert.equal(audit.before!.name, 'Short-lived')
    assert.equal(audit.before!.price_paise, 1200)
    assert.isNull(audit.after)
  })

  test('refuses to delete a product a slot holds, suggesting deactivation', async ({
    client,
    assert,
  }) => {
    const admin = await createAdmin()
    const { product } = await createMachine()

    const confirm = await client
      .get(`/admin/products/${product.id}/delete`)
      .withGuard('web')
      .loginAs(admin)
    confirm.assertTextIncludes('This product cannot be deleted')
    confirm.assertTextIncludes('Deactivate instead')
    assert.notInclude(confirm.text(), `action="/admin/products/${product.id}/delete"`)

    const response = await client
      .post(`/admin/products/${product.id}/delete`)
      .withGuard('web')
      .loginAs(admin)
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    response.assertFlashMessage(
      'error',
      '“Test snack” cannot be deleted: 1 slot holds it. Deactivate it instead to take it off sale.'
    )
    assert.isNotNull(await Product.find(product.id))
    assert.lengthOf(await AuditLog.all(), 0)
  })

  test('refuses to delete a product an order refers to', async ({ client, assert }) => {
    const admin = await createAdmin()
    const { machine, product, slot } = await createMachine()
    const { user } = await createShopper()
    await Order.create({
      userId: user.id,
      machineId: machine.id,
      slotId: slot.id,
      slotNumber: slot.number,
      productId: product.id,
      pricePaise: product.pricePaise,
      status: OrderStatus.Completed,
      commandId: randomUUID(),
    })
    // The slot has moved on to something else since.
    await Slot.query().where('id', slot.id).update({ productId: null })

    const response = await client
      .post(`/admin/products/${product.id}/delete`)
      .withGuard('web')
      .loginAs(admin)
      .withCsrfToken()
      .redirects(0)
    response.assertFlashMessage(
      'error',
      '“Test snack” cannot be deleted: 1 order refers to it. Deactivate it instead to take it off sale.'
    )
    assert.isNotNull(await Product.find(product.id))
  })
})

test.group('Admin products: the admin who acts', (group) => {
  group.each.setup(truncateAll)

  test('records the acting admin on every product change', async ({ client, assert }) => {
    const admin = await createAdmin()
    const other = await UserFactory.apply('admin').merge({ email: 'second@example.com' }).create()
    await client
      .post('/admin/products')
      .withGuard('web')
      .loginAs(admin)
      .withCsrfToken()
      .form(validForm)
      .redirects(0)
    const product = await Product.findByOrFail('name', 'Masala chips')
    await client
      .post(`/admin/products/${product.id}/deactivate`)
      .withGuard('web')
      .loginAs(other)
      .withCsrfToken()
      .redirects(0)

    const rows = await AuditLog.query().orderBy('id')
    assert.deepEqual(
      rows.map((r) => [r.action, r.userId]),
      [
        ['product.create', admin.id],
        ['product.deactivate', other.id],
      ]
    )
  })
})
