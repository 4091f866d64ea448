import { readdir } from 'node:fs/promises'
import { test } from '@japa/runner'
// What shield itself makes CSRF tokens with: lets a test send the token as
// the form's `_csrf` field, as a browser does, instead of the header.
import Tokens from 'csrf'
import firmwareConfig from '#config/firmware'
import uploadsConfig from '#config/uploads'
import AuditLog from '#models/audit_log'
import FirmwareRelease from '#models/firmware_release'
import { UserFactory } from '#database/factories/user_factory'
import { truncateAll } from '#tests/helpers/database'
import { createShopper } from '#tests/helpers/shopper'
import {
  firmwareImage,
  keepFirmwareClean,
  storedFirmware,
  useSigningKey,
} from '#tests/helpers/firmware'

function createAdmin() {
  return UserFactory.apply('admin').merge({ email: 'ops@example.com' }).create()
}

async function tmpUploads() {
  try {
    return (await readdir(uploadsConfig.tmpDirectory)).sort()
  } catch {
    return []
  }
}

test.group('Admin firmware: access', (group) => {
  group.each.setup(truncateAll)
  group.each.setup(keepFirmwareClean)

  test('sends an anonymous visitor to the login page, list and upload alike', async ({
    client,
    assert,
    cleanup,
  }) => {
    cleanup(useSigningKey().restore)
    const list = await client.get('/admin/firmware').header('accept', 'text/html').redirects(0)
    list.assertStatus(302)
    list.assertHeader('location', '/admin/login')
    const upload = await client
      .post('/admin/firmware')
      .header('accept', 'text/html')
      .withCsrfToken()
      .fields({ version: '1.0.0' })
      .file('image', firmwareImage(100), { filename: 'fw.bin' })
      .redirects(0)
    upload.assertStatus(302)
    upload.assertHeader('location', '/admin/login')
    assert.lengthOf(await FirmwareRelease.all(), 0)
  })

  test('refuses a shopper, by bearer token or session, with 403', async ({
    client,
    assert,
    cleanup,
  }) => {
    cleanup(useSigningKey().restore)
    const { user, token } = await createShopper()
    const list = await client
      .get('/admin/firmware')
      .bearerToken(token)
      .header('accept', 'text/html')
    list.assertStatus(403)
    const upload = await client
      .post('/admin/firmware')
      .bearerToken(token)
      .header('accept', 'text/html')
      .withCsrfToken()
      .fields({ version: '1.0.0' })
      .file('image', firmwareImage(100), { filename: 'fw.bin' })
    upload.assertStatus(403)
    const session = await client
      .post('/admin/firmware')
      .withGuard('web')
      .loginAs(user)
      .header('accept', 'text/html')
      .withCsrfToken()
      .fields({ version: '1.0.0' })
      .file('image', firmwareImage(100), { filename: 'fw.bin' })
    session.assertStatus(403)
    assert.lengthOf(await FirmwareRelease.all(), 0)
    assert.deepEqual(await storedFirmware(), [])
  })

  test('refuses an upload without a CSRF token', async ({ client, assert, cleanup }) => {
    cleanup(useSigningKey().restore)
    const admin = await createAdmin()
    const response = await client
      .post('/admin/firmware')
      .withGuard('web')
      .loginAs(admin)
      .fields({ version: '1.0.0' })
      .file('image', firmwareImage(100), { filename: 'fw.bin' })
      .redirects(0)
    response.assertStatus(302)
    response.assertFlashMessage('errorsBag', { E_BAD_CSRF_TOKEN: 'Invalid or expired CSRF token' })
    assert.lengthOf(await FirmwareRelease.all(), 0)
  })
})

test.group('Admin firmware: list and upload', (group) => {
  group.each.setup(truncateAll)
  group.each.setup(keepFirmwareClean)

  test('publishes an uploaded image, with the CSRF token as a form field, and lists it', async ({
    client,
    assert,
    cleanup,
  }) => {
    const key = useSigningKey()
    cleanup(key.restore)
    const admin = await createAdmin()
    const tmpBefore = await tmpUploads()
    const tokens = new Tokens()
    const secret = await tokens.secret()
    const image = firmwareImage(300_000)

    const response = await client
      .post('/admin/firmware')
      .withGuard('web')
      .loginAs(admin)
      .withSession({ 'csrf-secret': secret })
      .fields({ _csrf: tokens.create(secret), version: '1.5.0', notes: 'Jam detection' })
      .file('image', image, { filename: 'vendora_esp32.bin' })
      .redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', '/admin/firmware')
    response.assertFlashMessage('notice', 'Firmware 1.5.0 was published and signed.')

    const release = await FirmwareRelease.findByOrFail('version', '1.5.0')
    assert.equal(release.sizeBytes, 300_000)
    assert.equal(release.notes, 'Jam detection')
    assert.equal(release.publishedBy, admin.id)
    assert.deepEqual(await storedFirmware(), [release.fileName])
    assert.deepEqual(await tmpUploads(), tmpBefore, 'no temp file left behind')
    const audit = await AuditLog.findByOrFail('action', 'firmware.publish')
    assert.equal(audit.userId, admin.id)

    const list = await client.get('/admin/firmware').withGuard('web').loginAs(admin)
    list.assertStatus(200)
    list.assertTextIncludes('href="/admin/firmware" aria-current="page">Firmware</a>')
    list.assertTextIncludes(`data-firmware-id="${release.id}"`)
    list.assertTextIncludes('1.5.0')
    list.assertTextIncludes(`${release.sha256.slice(0, 12)}…`)
    list.assertTextIncludes('Jam detection')
    list.assertTextIncludes('ops@example.com')
    list.assertTextIncludes('3,00,000 B')
  })

  test('takes an image bigger than the global multipart cap, up to FIRMWARE_MAX_BYTES', async ({
    client,
    assert,
    cleanup,
  }) => {
    cleanup(useSigningKey().restore)
    const admin = await createAdmin()
    const response = await client
      .post('/admin/firmware')
      .withGuard('web')
      .loginAs(admin)
      .withCsrfToken()
      .fields({ version: '1.6.0' })
      .file('image', firmwareImage(firmwareConfig.maxBytes), { filename: 'fw.bin' })
      .redirects(0)
    response.assertStatus(302)
    response.assertFlashMessage('notice', 'Firmware 1.6.0 was published and signed.')
    const release = await FirmwareRelease.findByOrFail('version', '1.6.0')
    assert.equal(release.sizeBytes, firmwareConfig.maxBytes)
  })

  test('refuses a body over twice FIRMWARE_MAX_BYTES with 413 and leaves no temp file', async ({
    client,
    assert,
    cleanup,
  }) => {
    cleanup(useSigningKey().restore)
    const admin = await createAdmin()
    const tmpBefore = await tmpUploads()
    const response = await client
      .post('/admin/firmware')
      .withGuard('web')
      .loginAs(admin)
      .withCsrfToken()
      .header('accept', 'application/json')
      .fields({ version: '1.7.0' })
      .file('image', firmwareImage(firmwareConfig.maxBytes * 2 + 1024), { filename: 'fw.bin' })
      .redirects(0)
    response.assertStatus(413)
    assert.lengthOf(await FirmwareRelease.all(), 0)
    assert.deepEqual(await storedFirmware(), [])
    // The parser may still be closing the file it was writing.
    for (let tries = 0; tries < 20 && (await tmpUploads()).length > tmpBefore.length; tries++)
      await new Promise((resolve) => setTimeout(resolve, 50))
    assert.deepEqual(await tmpUploads(), tmpBefore)
  })

  test('sends bad input back to the form with the field’s message, storing nothing', async ({
    client,
    assert,
    cleanup,
  }) => {
    cleanup(useSigningKey().restore)
    const admin = await createAdmin()
    const tmpBefore = await tmpUploads()
    const cases: {
      version: string
      image?: Buffer
      filename?: string
      field: string
      message: string
    }[] = [
      {
        version: '1.2',
        image: firmwareImage(10),
        field: 'version',
        message: 'Enter the version as MAJOR.MINOR.PATCH, e.g. 1.2.3 or 1.3.0-beta.1.',
      },
      { version: '1.0.0', field: 'image', message: 'Choose the firmware image (.bin).' },
      {
        version: '1.0.0',
        image: firmwareImage(10),
        filename: 'fw.exe',
        field: 'image',
        message: 'The firmware image must be a .bin file.',
      },
      {
        version: '1.0.0',
        image: Buffer.alloc(0),
        field: 'image',
        message: 'The firmware image is empty.',
      },
      {
        version: '1.0.0',
        image: firmwareImage(firmwareConfig.maxBytes + 1),
        field: 'image',
        message: 'The firmware image must be 4 MiB or smaller.',
      },
    ]
    for (const form of cases) {
      let request = client
        .post('/admin/firmware')
        .withGuard('web')
        .loginAs(admin)
        .withCsrfToken()
        .header('referer', '/admin/firmware')
        .fields({ version: form.version, notes: 'Kept' })
      if (form.image)
        request = request.file('image', form.image, { filename: form.filename ?? 'fw.bin' })
      const response = await request.redirects(0)
      response.assertStatus(302)
      response.assertHeader('location', '/admin/firmware')
      assert.deepEqual(
        response.flashMessage(`inputErrorsBag.${form.field}`),
        [form.message],
        JSON.stringify({ ...form, image: form.image?.length })
      )
      assert.equal(response.flashMessage('notes'), 'Kept', 'keeps the typed values')
    }
    assert.lengthOf(await FirmwareRelease.all(), 0)
    assert.lengthOf(await AuditLog.all(), 0)
    assert.deepEqual(await storedFirmware(), [])
    assert.deepEqual(await tmpUploads(), tmpBefore)
  })

  test('shows a duplicate version and a missing signing key on the form', async ({
    client,
    assert,
    cleanup,
  }) => {
    const key = useSigningKey()
    const admin = await createAdmin()
    const upload = (version: string) =>
      client
        .post('/admin/firmware')
        .withGuard('web')
        .loginAs(admin)
        .withCsrfToken()
        .header('referer', '/admin/firmware')
        .fields({ version })
        .file('image', firmwareImage(100), { filename: 'fw.bin' })
        .redirects(0)

    ;(await upload('2.0.0')).assertStatus(302)
    const duplicate = await upload('2.0.0')
    duplicate.assertStatus(302)
    duplicate.assertFlashMessage('errorCode', 'firmware_version_taken')
    assert.deepEqual(duplicate.flashMessage('inputErrorsBag.version'), [
      'This firmware version was already published.',
    ])
    key.restore()

    cleanup(useSigningKey(null).restore)
    const noKey = await upload('2.0.1')
    noKey.assertStatus(302)
    noKey.assertFlashMessage('errorCode', 'firmware_signing_key_missing')
    assert.match(String(noKey.flashMessage('error')), /set FIRMWARE_SIGNING_KEY/)

    const page = await client.get('/admin/firmware').withGuard('web').loginAs(admin)
    page.assertTextIncludes('2.0.0')
    assert.lengthOf(await FirmwareRelease.all(), 1)
    assert.lengthOf(await storedFirmware(), 1)
  })
})
