import { test } from '@japa/runner'
import QRCode from 'qrcode'
import env from '#start/env'
import { SHOPPER_QR_OPTIONS } from '#services/public_url'
import { UserFactory } from '#database/factories/user_factory'
import { MachineFactory } from '#database/factories/machine_factory'
import { truncateAll } from '#tests/helpers/database'
import { createShopper } from '#tests/helpers/shopper'
import { baseUrl } from '#tests/helpers/server'

function createAdmin() {
  return UserFactory.apply('admin').merge({ email: 'ops@example.com' }).create()
}

/**
 * What the `qrcode` package draws for `url` with the panel's options: the
 * page must carry exactly this SVG, unescaped.
 */
function expectedSvg(url: string) {
  return QRCode.toString(url, SHOPPER_QR_OPTIONS)
}

/**
 * Sets APP_URL for the test server, which runs in this process and reads
 * it per request. `undefined` unsets it: `env.set` alone would leave the
 * string "undefined" in process.env, where `env.get` falls back to.
 */
function setAppUrl(value: string | undefined) {
  env.set('APP_URL', value)
  if (value === undefined) delete process.env.APP_URL
}

/**
 * Runs `body` with APP_URL set to `value` (or unset), restoring it after.
 */
async function withAppUrl(value: string | undefined, body: () => Promise<void>) {
  const saved = env.get('APP_URL')
  setAppUrl(value)
  try {
    await body()
  } finally {
    setAppUrl(saved)
  }
}

test.group('Admin machine QR codes: access', (group) => {
  group.each.setup(truncateAll)

  test('sends an anonymous visitor to the login page', async ({ client }) => {
    const machine = await MachineFactory.create()
    for (const path of [`/admin/machines/${machine.id}/qr`, '/admin/machines/qr']) {
      const response = await client.get(path).header('accept', 'text/html').redirects(0)
      response.assertStatus(302)
      response.assertHeader('location', '/admin/login')
    }
  })

  test('refuses a shopper with 403, by token or by session', async ({ client }) => {
    const machine = await MachineFactory.create()
    const { user, token } = await createShopper()
    for (const path of [`/admin/machines/${machine.id}/qr`, '/admin/machines/qr']) {
      const byToken = await client.get(path).bearerToken(token).header('accept', 'text/html')
      byToken.assertStatus(403)
      const bySession = await client.get(path).loginAs(user).header('accept', 'text/html')
      bySession.assertStatus(403)
    }
  })
})

test.group('Admin machine QR codes', (group) => {
  group.each.setup(truncateAll)

  test("shows the shopper page's QR and URL on the machine page, from the request's host without APP_URL", async ({
    client,
    assert,
  }) => {
    const admin = await createAdmin()
    const machine = await MachineFactory.merge({ code: 'lobby-01', name: 'Lobby snacks' }).create()

    await withAppUrl(undefined, async () => {
      const page = await client.get(`/admin/machines/${machine.id}`).withGuard('web').loginAs(admin)
      page.assertStatus(200)
      const url = `${baseUrl()}/m/lobby-01`
      page.assertTextIncludes(url)
      assert.include(page.text(), await expectedSvg(url))
      assert.match(
        page.text(),
        /<div class="qr-code" role="img" aria-label="QR code for [^"]+"><svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/
      )
      page.assertTextIncludes(`href="/admin/machines/${machine.id}/qr"`)

      // Whatever host the panel was opened with is the one encoded.
      const viaOtherHost = await client
        .get(`/admin/machines/${machine.id}`)
        .header('host', 'kiosk.local:8080')
        .withGuard('web')
        .loginAs(admin)
      viaOtherHost.assertStatus(200)
      assert.include(viaOtherHost.text(), await expectedSvg('http://kiosk.local:8080/m/lobby-01'))
      viaOtherHost.assertTextIncludes('http://kiosk.local:8080/m/lobby-01')
    })
  })

  test('uses APP_URL when set, whatever host the panel was opened with', async ({
    client,
    assert,
  }) => {
    const admin = await createAdmin()
    const machine = await MachineFactory.merge({ code: 'gym-02' }).create()

    await withAppUrl('https://vend.example.com/shop/', async () => {
      const page = await client.get(`/admin/machines/${machine.id}`).withGuard('web').loginAs(admin)
      page.assertStatus(200)
      const url = 'https://vend.example.com/shop/m/gym-02'
      page.assertTextIncludes(url)
      assert.include(page.text(), await expectedSvg(url))
      assert.notInclude(page.text(), `${baseUrl()}/m/gym-02`)
    })
  })

  test('prints one machine as a clean label with no panel navigation', async ({
    client,
    assert,
  }) => {
    const admin = await createAdmin()
    const machine = await MachineFactory.merge({
      code: 'lobby-01',
      name: 'Lobby snacks',
      location: 'Ground floor, reception',
    }).create()

    await withAppUrl(undefined, async () => {
      const page = await client
        .get(`/admin/machines/${machine.id}/qr`)
        .withGuard('web')
        .loginAs(admin)
      page.assertStatus(200)
      const url = `${baseUrl()}/m/lobby-01`
      page.assertTextIncludes('Scan to buy')
      page.assertTextIncludes('Lobby snacks')
      page.assertTextIncludes('<code>lobby-01</code>')
      page.assertTextIncludes('<code>lobby-01</code> · Ground floor, reception')
      page.assertTextIncludes(`<p class="qr-label-url">${url}</p>`)
      assert.include(page.text(), await expectedSvg(url))
      // A page of its own: no panel top bar, nor a logout form, on the sheet.
      assert.notInclude(page.text(), 'class="topbar"')
      assert.notInclude(page.text(), '/admin/logout')
      page.assertTextIncludes('<header class="qr-toolbar no-print">')
      assert.notMatch(page.text(), /@(if|else|end|each)\b/)
    })
  })

  test('prints every machine on one sheet, in code order', async ({ client, assert }) => {
    const admin = await createAdmin()
    await MachineFactory.merge({ code: 'gym-02', name: 'Gym drinks' }).create()
    await MachineFactory.merge({ code: 'lobby-01', name: 'Lobby snacks' }).create()
    await MachineFactory.apply('maintenance').merge({ code: 'cafe-03', name: 'Cafeteria' }).create()

    await withAppUrl(undefined, async () => {
      const sheet = await client.get('/admin/machines/qr').withGuard('web').loginAs(admin)
      sheet.assertStatus(200)
      const labels = [
        ...sheet.text().matchAll(/<article class="qr-label" data-machine="([^"]+)"/g),
      ].map((match) => match[1])
      assert.deepEqual(labels, ['cafe-03', 'gym-02', 'lobby-01'])
      for (const code of labels)
        assert.include(sheet.text(), await expectedSvg(`${baseUrl()}/m/${code}`))
      sheet.assertTextIncludes('3 labels')
    })

    const list = await client.get('/admin/machines').withGuard('web').loginAs(admin)
    list.assertTextIncludes('href="/admin/machines/qr"')
  })

  test('answers 404 for the label of a machine that does not exist', async ({ client }) => {
    const admin = await createAdmin()
    const page = await client.get('/admin/machines/999999/qr').withGuard('web').loginAs(admin)
    page.assertStatus(404)
  })
})
