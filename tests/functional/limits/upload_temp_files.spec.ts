import { mkdir, readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from '@japa/runner'
import type { ApiRequest } from '@japa/api-client'
import app from '@adonisjs/core/services/app'
import uploadsConfig from '#config/uploads'
import Product from '#models/product'
import CreateProduct from '#actions/products/create_product'
import AuditTrail from '#services/audit_trail'
import ProductImages from '#actions/products/product_images'
import { UserFactory } from '#database/factories/user_factory'
import { truncateAll } from '#tests/helpers/database'
import { pngImage } from '#tests/helpers/images'
import { createShopper } from '#tests/helpers/shopper'
import { eventually } from '#tests/helpers/device'

const MB = 1024 * 1024
const tmpDir = uploadsConfig.tmpDirectory
const imagesDir = uploadsConfig.products.directory
const validForm = { name: 'Masala chips', price: '45.50' }

async function listing(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort()
  } catch {
    return []
  }
}

/**
 * Removes the files a test left in `dir` (on failure), keeping earlier ones.
 */
async function keepClean(dir: string) {
  await mkdir(dir, { recursive: true })
  const before = new Set(await listing(dir))
  return async () => {
    for (const name of await listing(dir))
      if (!before.has(name)) await rm(join(dir, name), { force: true })
  }
}

function createAdmin() {
  return UserFactory.apply('admin').merge({ email: 'uploads@example.com' }).create()
}

/**
 * A PNG of about `bytes` bytes: a real image's head, padded.
 */
function pngOf(bytes: number): Buffer {
  const head = pngImage()
  return Buffer.concat([head, Buffer.alloc(Math.max(0, bytes - head.length), 7)])
}

/*
 * The body parser writes the files of a multipart request to
 * `uploadsConfig.tmpDirectory` before any controller runs. Only the routes
 * that take uploads (a product's image) have multipart bodies processed,
 * capped at 4 MB, and every temp file is deleted when the request ends,
 * whatever its outcome. Tests look at that folder before and after.
 */
test.group('Upload temp files', (group) => {
  group.each.setup(truncateAll)
  group.each.setup(() => keepClean(tmpDir))
  group.each.setup(() => keepClean(imagesDir))

  test('{title} writes no file for a 5 MB multipart body')
    .with([
      {
        title: 'POST /api/v1/users',
        send: (request: (url: string) => ApiRequest) => request('/api/v1/users'),
        status: 201,
      },
      {
        title: 'POST /webhooks/razorpay',
        send: (request: (url: string) => ApiRequest) =>
          request('/webhooks/razorpay').header('x-razorpay-signature', 'f'.repeat(64)),
        status: 400,
      },
    ])
    .run(async ({ client, assert }, { send, status }) => {
      const before = await listing(tmpDir)

      const response = await send((url) =>
        client.post(url).file('blob', Buffer.alloc(5 * MB, 1), { filename: 'blob.bin' })
      )

      response.assertStatus(status)
      assert.deepEqual(await listing(tmpDir), before)
    })

  test('leaves no temp file when the upload is refused: {title}')
    .with([
      {
        title: 'anonymous visitor',
        send: async (post: () => ApiRequest) => post().header('accept', 'text/html'),
        status: 302,
      },
      {
        title: 'shopper bearer token',
        send: async (post: () => ApiRequest) =>
          post()
            .bearerToken((await createShopper()).token)
            .withCsrfToken()
            .header('accept', 'text/html'),
        status: 403,
      },
      {
        title: 'no CSRF token',
        send: async (post: () => ApiRequest) =>
          post()
            .withGuard('web')
            .loginAs(await createAdmin()),
        status: 302,
      },
      {
        title: 'invalid form (no price)',
        send: async (post: () => ApiRequest) =>
          post()
            .withGuard('web')
            .loginAs(await createAdmin())
            .withCsrfToken()
            .field('price', ''),
        status: 302,
      },
    ])
    .run(async ({ client, assert }, { send, status }) => {
      const before = await listing(tmpDir)
      const post = () =>
        client
          .post('/admin/products')
          .field('name', validForm.name)
          .file('image', pngOf(MB), { filename: 'chips.png', contentType: 'image/png' })
          .redirects(0)

      const response = await send(post)

      response.assertStatus(status)
      assert.deepEqual(await listing(tmpDir), before)
      assert.lengthOf(await Product.all(), 0)
    })

  test('leaves no temp file when a product with an image is saved', async ({ client, assert }) => {
    const admin = await createAdmin()
    const before = await listing(tmpDir)
    const images = await listing(imagesDir)

    const created = await client
      .post('/admin/products')
      .withGuard('web')
      .loginAs(admin)
      .withCsrfToken()
      .fields(validForm)
      .file('image', pngOf(MB), { filename: 'chips.png', contentType: 'image/png' })
      .redirects(0)
    const product = await Product.firstOrFail()
    const updated = await client
      .post(`/admin/products/${product.id}`)
      .withGuard('web')
      .loginAs(admin)
      .withCsrfToken()
      .fields(validForm)
      .file('image', pngOf(MB / 2), { filename: 'new.png', contentType: 'image/png' })
      .redirects(0)

    created.assertStatus(302)
    updated.assertStatus(302)
    created.assertFlashMessage('notice', '“Masala chips” was added.')
    updated.assertFlashMessage('notice', '“Masala chips” was saved.')
    await product.refresh()
    assert.isNotNull(product.imagePath)
    assert.lengthOf(
      await listing(imagesDir),
      images.length + 1,
      'the new image replaced the first one'
    )
    assert.deepEqual(await listing(tmpDir), before)
  })

  test('leaves no temp file when handling the upload throws', async ({
    client,
    assert,
    cleanup,
  }) => {
    class BrokenCreateProduct extends CreateProduct {
      async handle(): Promise<never> {
        throw new Error('database went away')
      }
    }
    app.container.swap(
      CreateProduct,
      () => new BrokenCreateProduct(new ProductImages(), new AuditTrail())
    )
    cleanup(() => app.container.restore(CreateProduct))
    const before = await listing(tmpDir)

    const response = await client
      .post('/admin/products')
      .withGuard('web')
      .loginAs(await createAdmin())
      .withCsrfToken()
      .fields(validForm)
      .file('image', pngOf(MB), { filename: 'chips.png', contentType: 'image/png' })
      .redirects(0)

    response.assertStatus(500)
    assert.deepEqual(await listing(tmpDir), before)
  })

  test('refuses an upload over 4 MB with 413 and leaves no temp file', async ({
    client,
    assert,
  }) => {
    const before = await listing(tmpDir)
    const images = await listing(imagesDir)

    const response = await client
      .post('/admin/products')
      .withGuard('web')
      .loginAs(await createAdmin())
      .withCsrfToken()
      .fields(validForm)
      .file('small', pngOf(MB), { filename: 'small.png', contentType: 'image/png' })
      .file('image', pngOf(5 * MB), { filename: 'huge.png', contentType: 'image/png' })
      .redirects(0)

    response.assertStatus(413)
    // The body parser deletes the file it was writing when the limit hit
    // on its own, a moment after it answered.
    await eventually(async () => JSON.stringify(await listing(tmpDir)) === JSON.stringify(before))
    assert.lengthOf(await Product.all(), 0)
    assert.deepEqual(await listing(imagesDir), images)
  })
})
