import { mkdir, readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from '@japa/runner'
import uploadsConfig from '#config/uploads'
import Product from '#models/product'
import User from '#models/user'
import { Role } from '#enums/role'
import { ProductFactory } from '#database/factories/product_factory'
import { truncateAll } from '#tests/helpers/database'
import { pngImage } from '#tests/helpers/images'

const PASSWORD = 'correct horse battery'
const DESKTOP = { width: 1280, height: 900 }
const PHONE = { width: 390, height: 844 }

test.group('Admin products in a browser', (group) => {
  group.each.setup(truncateAll)
  group.each.setup(async () => {
    const dir = uploadsConfig.products.directory
    await mkdir(dir, { recursive: true })
    const before = new Set(await readdir(dir))
    return async () => {
      for (const name of await readdir(dir))
        if (!before.has(name)) await rm(join(dir, name), { force: true })
    }
  })

  test('creates a product with a picture, lists it and edits its price', async ({
    visit,
    assert,
  }) => {
    await User.create({
      username: 'admin-ops',
      role: Role.Admin,
      email: 'ops@example.com',
      password: PASSWORD,
      balancePaise: 0,
    })
    await ProductFactory.merge({
      name: 'Salted peanuts',
      pricePaise: 2000,
      description: 'Roasted, 40 g pack',
    }).create()
    await ProductFactory.apply('inactive')
      .merge({ name: 'Old orange soda', pricePaise: 3500, isRefundable: false })
      .create()

    const page = await visit('/admin/login')
    await page.setViewportSize(DESKTOP)
    await page.getByLabel('Email').fill('ops@example.com')
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Log in' }).click()
    await page.waitForURL('**/admin')

    await page.getByRole('link', { name: 'Products', exact: true }).click()
    await page.getByRole('button', { name: 'New product' }).click()

    // A bad price first: the form comes back with the error and what was typed.
    await page.getByLabel('Name').fill('Masala chips')
    await page.getByLabel('Price (₹)').fill('45.505')
    await page.getByLabel('Description').fill('Crunchy and spicy, 50 g')
    await page.getByRole('button', { name: 'Add product' }).click()
    await page.locator('.field-error', { hasText: 'at most 2 decimals' }).waitFor()
    assert.equal(await page.getByLabel('Name').inputValue(), 'Masala chips')
    await page.screenshot({
      path: 'tmp/screenshots/products-form-errors-desktop.png',
      fullPage: true,
    })

    await page.getByLabel('Price (₹)').fill('45.50')
    await page.getByLabel('Refundable').check()
    await page.locator('input[name="image"]').setInputFiles({
      name: 'chips.png',
      mimeType: 'image/png',
      buffer: pngImage(32, (x, y) => (x + y < 32 ? [220, 60, 40] : [250, 200, 40])),
    })
    await page.screenshot({ path: 'tmp/screenshots/products-form-desktop.png', fullPage: true })
    await page.getByRole('button', { name: 'Add product' }).click()

    await page.locator('.notice', { hasText: '“Masala chips” was added.' }).waitFor()
    const product = await Product.findByOrFail('name', 'Masala chips')
    assert.equal(product.pricePaise, 4550)
    assert.isTrue(product.isRefundable)
    const row = page.locator(`tr[data-product-id="${product.id}"]`)
    await page.assertTextContains(`tr[data-product-id="${product.id}"]`, '₹45.50')
    const image = row.locator('img.thumb')
    assert.equal(await image.getAttribute('src'), product.imagePath)
    // The picture really loaded (a broken image has no natural width).
    assert.equal(
      await image.evaluate((img) => ((img as any).complete ? (img as any).naturalWidth : 0)),
      32
    )
    await page.screenshot({ path: 'tmp/screenshots/products-list-desktop.png', fullPage: true })

    await row.getByRole('button', { name: 'Edit' }).click()
    assert.equal(await page.getByLabel('Price (₹)').inputValue(), '45.50')
    await page.getByLabel('Price (₹)').fill('0.29')
    await page.getByRole('button', { name: 'Save changes' }).click()
    await page.locator('.notice', { hasText: '“Masala chips” was saved.' }).waitFor()
    await page.assertTextContains(`tr[data-product-id="${product.id}"]`, '₹0.29')
    await product.refresh()
    assert.equal(product.pricePaise, 29)

    // Phone width: the list and the form fit without sideways scrolling of the page.
    await page.setViewportSize(PHONE)
    await page.reload()
    await page.screenshot({ path: 'tmp/screenshots/products-list-phone.png', fullPage: true })
    assert.isAtMost(
      await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth),
      PHONE.width
    )
    await page.goto(`/admin/products/${product.id}/edit`)
    await page.screenshot({ path: 'tmp/screenshots/products-form-phone.png', fullPage: true })
    assert.isAtMost(
      await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth),
      PHONE.width
    )
    await page.goto(`/admin/products/${product.id}/delete`)
    await page.screenshot({ path: 'tmp/screenshots/products-confirm-phone.png', fullPage: true })

    await page.goto('/admin/audit')
    await page.assertTextContains('.audit-table', 'product.update')
    await page.screenshot({ path: 'tmp/screenshots/products-audit-phone.png', fullPage: true })
    await page.setViewportSize(DESKTOP)
    await page.screenshot({ path: 'tmp/screenshots/products-audit-desktop.png', fullPage: true })
  })
})
