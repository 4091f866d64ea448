import { createHash } from 'node:crypto'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import PublishFirmwareRelease from '#actions/firmware/publish_firmware_release'
import type FirmwareRelease from '#models/firmware_release'
import FirmwareReleases from '#services/firmware_releases'
import { truncateAll } from '#tests/helpers/database'
import { createMachine } from '#tests/helpers/device'
import { firmwareImage, imageFile, keepFirmwareClean, useSigningKey } from '#tests/helpers/firmware'

const SIZE = 300_001

/**
 * The test server's address for a download URL: same path and query,
 * the host and port the suite's server listens on.
 */
function onTestServer(url: string): string {
  const { pathname, search } = new URL(url, 'http://localhost')
  return `http://${process.env.HOST}:${process.env.PORT}${pathname}${search}`
}

function sha256(bytes: Buffer) {
  return createHash('sha256').update(bytes).digest('hex')
}

async function get(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(onTestServer(url), { headers })
  return { response, body: Buffer.from(await response.arrayBuffer()) }
}

async function assertRefused(assert: any, url: string, why: string) {
  const { response, body } = await get(url)
  assert.equal(response.status, 403, why)
  assert.match(response.headers.get('content-type') ?? '', /application\/json/, why)
  const json = JSON.parse(body.toString('utf8'))
  assert.equal(json.errors[0].code, 'invalid_download_url', why)
  assert.isString(json.errors[0].message)
}

test.group('Firmware: signed image downloads', (group) => {
  group.each.setup(truncateAll)
  group.each.setup(keepFirmwareClean)

  let image: Buffer
  let release: FirmwareRelease
  let machineId: number
  let otherMachineId: number

  group.each.setup(async () => {
    const key = useSigningKey()
    image = firmwareImage(SIZE)
    const file = await imageFile(image)
    try {
      const publish = await app.container.make(PublishFirmwareRelease)
      release = await publish.handle(null, { version: '1.2.3', imagePath: file.path })
    } finally {
      key.restore()
      await file.remove()
    }
    machineId = (await createMachine()).machine.id
    otherMachineId = (await createMachine()).machine.id
  })

  test('serves the whole image with its length, ETag and Accept-Ranges', async ({ assert }) => {
    const url = new FirmwareReleases().downloadUrl(release, machineId)
    assert.match(
      url,
      new RegExp(`^http://localhost:\\d+/firmware/${release.id}/image\\?machine=${machineId}&signature=`)
    )
    const { response, body } = await get(url)
    assert.equal(response.status, 200)
    assert.equal(response.headers.get('content-length'), String(SIZE))
    assert.equal(response.headers.get('etag'), `"${release.sha256}"`)
    assert.equal(response.headers.get('accept-ranges'), 'bytes')
    assert.equal(response.headers.get('content-type'), 'application/octet-stream')
    assert.equal(sha256(body), release.sha256)
    assert.isNull(response.headers.get('set-cookie'), 'no session for a device')
  })

  test('resumes with Range: the first half, then bytes=N-, make the image', async ({ assert }) => {
    const url = new FirmwareReleases().downloadUrl(release, machineId)
    const half = Math.floor(SIZE / 2)

    const first = await get(url, { Range: `bytes=0-${half - 1}` })
    assert.equal(first.response.status, 206)
    assert.equal(first.response.headers.get('content-range'), `bytes 0-${half - 1}/${SIZE}`)
    assert.equal(first.response.headers.get('content-length'), String(half))
    assert.equal(first.body.length, half)

    const rest = await get(url, { Range: `bytes=${half}-` })
    assert.equal(rest.response.status, 206)
    assert.equal(rest.response.headers.get('content-range'), `bytes ${half}-${SIZE - 1}/${SIZE}`)
    assert.equal(rest.response.headers.get('etag'), `"${release.sha256}"`)
    assert.equal(sha256(Buffer.concat([first.body, rest.body])), release.sha256)

    const tail = await get(url, { Range: 'bytes=-10' })
    assert.equal(tail.response.status, 206)
    assert.isTrue(tail.body.equals(image.subarray(SIZE - 10)))

    // An end past the image is clamped to its last byte.
    const clamped = await get(url, { Range: `bytes=${SIZE - 5}-${SIZE + 100}` })
    assert.equal(clamped.response.status, 206)
    assert.equal(clamped.response.headers.get('content-range'), `bytes ${SIZE - 5}-${SIZE - 1}/${SIZE}`)
    assert.isTrue(clamped.body.equals(image.subarray(SIZE - 5)))
  })

  test('answers 416 for a range past the end', async ({ assert }) => {
    const url = new FirmwareReleases().downloadUrl(release, machineId)
    for (const range of [`bytes=${SIZE}-`, `bytes=${SIZE + 10}-${SIZE + 20}`, 'bytes=-0']) {
      const { response } = await get(url, { Range: range })
      assert.equal(response.status, 416, range)
      assert.equal(response.headers.get('content-range'), `bytes */${SIZE}`, range)
    }
  })

  test('refuses an unsigned, tampered, other machine’s or other release’s URL with 403', async ({
    assert,
  }) => {
    const url = new FirmwareReleases().downloadUrl(release, machineId)
    const unsigned = url.replace(/&signature=[^&]*/, '')
    await assertRefused(assert, unsigned, 'unsigned')
    const signature = new URL(url).searchParams.get('signature')!
    const flipped = signature.slice(0, -2) + (signature.endsWith('A') ? 'B' : 'A') + signature.slice(-1)
    await assertRefused(
      assert,
      url.replace(encodeURIComponent(signature), encodeURIComponent(flipped)),
      'tampered signature'
    )
    await assertRefused(assert, url.replace(`machine=${machineId}`, `machine=${otherMachineId}`), 'other machine')
    await assertRefused(assert, url.replace(`/firmware/${release.id}/`, `/firmware/${release.id + 1}/`), 'other release')
    await assertRefused(assert, `/firmware/${release.id}/image`, 'no query at all')

    // The other machine's own URL works, and differs.
    const theirs = new FirmwareReleases().downloadUrl(release, otherMachineId)
    assert.notEqual(theirs, url)
    assert.equal((await get(theirs)).response.status, 200)
  })

  test('refuses an expired URL with 403', async ({ assert }) => {
    const url = new FirmwareReleases().downloadUrl(release, machineId, 50)
    await new Promise((resolve) => setTimeout(resolve, 120))
    await assertRefused(assert, url, 'expired')
  })
})
