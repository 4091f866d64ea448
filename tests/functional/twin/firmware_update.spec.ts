import { readFile, writeFile } from 'node:fs/promises'
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http'
import { test } from '@japa/runner'
import FirmwareSigner from '#services/firmware_signer'
import FirmwareReleases from '#services/firmware_releases'
import { ServerToDeviceEvent, deviceFirmwareVersion } from '#services/device_protocol'
import type FirmwareRelease from '#models/firmware_release'
import Machine from '#models/machine'
import { truncateAll } from '#tests/helpers/database'
import { createMachine } from '#tests/helpers/device'
import { channel } from '#tests/helpers/device_session'
import { keepFirmwareClean, publishImage, useSigningKey } from '#tests/helpers/firmware'
import { createShopper } from '#tests/helpers/shopper'
import { buyThroughApi } from '#tests/helpers/live_orders'
import { baseUrl } from '#tests/helpers/server'
import {
  LinkProxy,
  Twin,
  closeTwin,
  makeTestCertificates,
  requireTwin,
  startOnlineTwin,
  TWIN_RUNNING_FIRMWARE,
  firmwareBecomes,
  twinImage,
} from '#tests/helpers/twin'

function line(text: string) {
  return new RegExp(`^${text}$`)
}

/** The firmware string the twin runs before each update. */
const RUNNING = TWIN_RUNNING_FIRMWARE

/**
 * The signed download URL of `release` for `machineId`, pointed at
 * `origin` (the test server, or a proxy in front of it): the signature
 * covers the path and query only.
 */
function downloadUrl(release: FirmwareRelease, machineId: number, origin = baseUrl()): string {
  const signed = new URL(new FirmwareReleases().downloadUrl(release, machineId))
  return `${origin}${signed.pathname}${signed.search}`
}

/**
 * Sends `ota` for `release` to the machine through the DeviceChannel, as
 * the rollout engine does (PROTOCOL.md §13.1).
 */
async function sendOta(machineId: number, release: FirmwareRelease, url: string) {
  const devices = await channel()
  const sent = devices.sendToMachine(machineId, ServerToDeviceEvent.Ota, {
    version: deviceFirmwareVersion(release.version),
    url,
    size: release.sizeBytes,
    sha256: release.sha256,
    signature: release.signature,
  })
  if (!sent) throw new Error('the device channel is not attached')
}

/**
 * An HTTP proxy in front of the test server that records each request's
 * `Range` header and, once, cuts the first response's body after
 * `cutAfter` bytes (the connection drops, as a Wi-Fi hiccup does).
 */
async function startCuttingProxy(
  cutAfter: number
): Promise<{ origin: string; ranges: (string | undefined)[]; close: () => Promise<void> }> {
  const ranges: (string | undefined)[] = []
  const upstream = new URL(baseUrl())
  let cutPending = true
  const server: Server = createServer((incoming, outgoing) => {
    ranges.push(incoming.headers.range)
    const headers: IncomingHttpHeaders = { ...incoming.headers, host: upstream.host }
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        path: incoming.url,
        method: incoming.method,
        headers,
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers)
        if (!cutPending) {
          answer.pipe(outgoing)
          return
        }
        cutPending = false
        let sent = 0
        answer.on('data', (chunk: Buffer) => {
          if (sent >= cutAfter) return
          const part = chunk.subarray(0, cutAfter - sent)
          sent += part.length
          if (sent < cutAfter) {
            outgoing.write(part)
            return
          }
          // The bytes so far reach the device, then the connection dies.
          outgoing.write(part, () => outgoing.socket?.destroy())
          answer.destroy()
        })
      }
    )
    forward.on('error', () => outgoing.socket?.destroy())
    incoming.pipe(forward)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const { port } = server.address() as { port: number }
  return {
    origin: `http://127.0.0.1:${port}`,
    ranges,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/**
 * Firmware updates over the air with the firmware twin: the real sketch's
 * OTA wiring (esp32_ota.h: the HTTP download with Range, the OTA slots,
 * the mbedTLS signature check) over the twin's file-backed partitions,
 * against the real server's releases and signed download URLs. The twin
 * prints `OTA <state>` for each ota_progress it sends and `BOOT <version>`
 * at each start.
 */
test.group('Firmware twin / updates over the air', (group) => {
  requireTwin(group)
  group.each.setup(truncateAll)
  group.each.setup(() => keepFirmwareClean())

  test('a signed release is downloaded, verified, booted and confirmed; the machine reports the new version', async ({
    assert,
    cleanup,
  }) => {
    const { twin, machine } = await startOnlineTwin(cleanup)
    const release = await publishImage('1.2.3', twinImage(deviceFirmwareVersion('1.2.3')))

    await sendOta(machine.id, release, downloadUrl(release, machine.id))

    await twin.waitFor(line('OTA downloading 0'))
    await twin.waitFor(line('OTA downloading 100'), 15_000)
    await twin.waitFor(line('OTA verifying'))
    await twin.waitFor(line('OTA rebooting'))
    await twin.waitFor(line('BOOT vendora-esp32-1.2.3 software'), 10_000)
    await twin.waitFor(line('OTA confirmed'), 15_000)
    await firmwareBecomes(machine.id, 'vendora-esp32-1.2.3')

    const percents = twin.matching(/^OTA downloading /).map((event) => Number(event.split(' ')[2]))
    assert.deepEqual(
      percents,
      [...percents].sort((a, b) => a - b),
      'progress only goes up'
    )
    assert.lengthOf(twin.matching(/^BOOT /), 2)
    assert.notInclude(twin.events.join('\n'), 'OTA failed')
  }).timeout(60_000)

  test('over TLS the image is fetched from an https URL checked against the CA the board carries', async ({
    cleanup,
  }) => {
    const certificates = makeTestCertificates()
    cleanup(() => certificates.remove())
    const proxy = await LinkProxy.start(Number(process.env.PORT), certificates)
    cleanup(() => proxy.close())
    const { twin, machine } = await startOnlineTwin(cleanup, {
      server: proxy.url,
      ca: certificates.caPath,
    })
    const release = await publishImage('1.2.3', twinImage(deviceFirmwareVersion('1.2.3')))

    await sendOta(machine.id, release, downloadUrl(release, machine.id, proxy.url))

    await twin.waitFor(line('OTA verifying'), 15_000)
    await twin.waitFor(line('BOOT vendora-esp32-1.2.3 software'), 10_000)
    await twin.waitFor(line('OTA confirmed'), 15_000)
    await firmwareBecomes(machine.id, 'vendora-esp32-1.2.3')
  }).timeout(60_000)

  test('an image whose bytes no longer match the release SHA-256 is refused sha256_mismatch; the old version keeps running', async ({
    assert,
    cleanup,
  }) => {
    const { twin, machine } = await startOnlineTwin(cleanup)
    const release = await publishImage('1.2.3', twinImage(deviceFirmwareVersion('1.2.3')))
    // The stored image altered after publishing (a disk fault, a tamperer).
    const path = FirmwareReleases.pathOf(release.fileName)!
    const bytes = await readFile(path)
    bytes[bytes.length >> 1] ^= 0xff
    await writeFile(path, bytes)

    await sendOta(machine.id, release, downloadUrl(release, machine.id))

    await twin.waitFor(line('OTA failed sha256_mismatch'), 15_000)
    assert.lengthOf(twin.matching(/^OTA (rebooting|confirmed)/), 0)
    assert.lengthOf(twin.matching(/^REBOOT /), 0)
    assert.equal((await Machine.findOrFail(machine.id)).firmwareVersion, RUNNING)
  }).timeout(60_000)

  test('an image signed with another key is refused bad_signature; the old version keeps running', async ({
    assert,
    cleanup,
  }) => {
    const { twin, machine } = await startOnlineTwin(cleanup)
    // Published by a signer whose public key the board does not carry.
    const other = FirmwareSigner.generate()
    const impostor = useSigningKey(other.privateKeyPem)
    cleanup(impostor.restore)
    const release = await publishImage('1.2.3', twinImage(deviceFirmwareVersion('1.2.3')))

    await sendOta(machine.id, release, downloadUrl(release, machine.id))

    await twin.waitFor(line('OTA verifying'), 15_000)
    await twin.waitFor(line('OTA failed bad_signature'))
    assert.lengthOf(twin.matching(/^OTA (rebooting|confirmed)/), 0)
    assert.lengthOf(twin.matching(/^REBOOT /), 0)
    assert.equal((await Machine.findOrFail(machine.id)).firmwareVersion, RUNNING)
  }).timeout(60_000)

  test('a download cut halfway resumes with a Range request from the byte it stopped at, and the update confirms', async ({
    assert,
    cleanup,
  }) => {
    const { twin, machine } = await startOnlineTwin(cleanup)
    const release = await publishImage('1.2.3', twinImage(deviceFirmwareVersion('1.2.3')))
    const cutAfter = 20_000
    const proxy = await startCuttingProxy(cutAfter)
    cleanup(proxy.close)

    await sendOta(machine.id, release, downloadUrl(release, machine.id, proxy.origin))

    await twin.waitFor(line('OTA verifying'), 20_000)
    await twin.waitFor(line('BOOT vendora-esp32-1.2.3 software'), 10_000)
    await twin.waitFor(line('OTA confirmed'), 15_000)
    await firmwareBecomes(machine.id, 'vendora-esp32-1.2.3')
    assert.deepEqual(proxy.ranges, ['bytes=0-', `bytes=${cutAfter}-`])
    assert.match(twin.console, new RegExp(`ota: resuming at byte ${cutAfter}`))
  }).timeout(60_000)

  test('a new image that never rejoins the server is rolled back after the confirmation deadline and reported rolled_back', async ({
    assert,
    cleanup,
  }) => {
    const { twin, machine } = await startOnlineTwin(cleanup, { otaConfirmDeadlineMs: 3000 })
    const release = await publishImage(
      '1.2.4',
      twinImage(deviceFirmwareVersion('1.2.4'), { flags: ['no-rejoin'] })
    )

    await sendOta(machine.id, release, downloadUrl(release, machine.id))

    await twin.waitFor(line('OTA rebooting'), 15_000)
    await twin.waitFor(line('BOOT vendora-esp32-1.2.4 software'), 10_000)
    // It never gets on the network; the deadline restores the old image.
    await twin.waitFor(line(`BOOT ${RUNNING} software`), 15_000)
    await twin.waitFor(line('OTA rolled_back not_confirmed'), 15_000)
    await twin.waitFor(line('JOINED'), 10_000, 2)
    const newBoot = twin.events.indexOf('BOOT vendora-esp32-1.2.4 software')
    const oldBoot = twin.events.indexOf(`BOOT ${RUNNING} software`)
    assert.notInclude(twin.events.slice(newBoot, oldBoot), 'JOINED', 'the new image never joined')
    assert.lengthOf(twin.matching(line('OTA confirmed')), 0)
    assert.equal((await Machine.findOrFail(machine.id)).firmwareVersion, RUNNING)
  }).timeout(60_000)

  test('a board without the release public key refuses every ota not_supported', async ({
    assert,
    cleanup,
  }) => {
    const signing = useSigningKey()
    cleanup(signing.restore)
    const { machine, key } = await createMachine()
    const twin = Twin.start({ server: baseUrl(), machine: machine.code, key, version: '1.0.0' })
    cleanup(() => closeTwin(twin, machine.id))
    await twin.waitFor(line('JOINED'), 15_000)
    const release = await publishImage('1.2.3', twinImage(deviceFirmwareVersion('1.2.3')))

    await sendOta(machine.id, release, downloadUrl(release, machine.id))

    await twin.waitFor(line('OTA failed not_supported'))
    assert.lengthOf(twin.matching(/^OTA downloading/), 0)
    assert.match(twin.console, /no usable VENDORA_FIRMWARE_PUBKEY/)
  }).timeout(60_000)

  test('an ota while a vend runs is refused vend_in_progress by the device; the vend finishes', async ({
    assert,
    client,
    cleanup,
  }) => {
    // Nothing falls: after the motor's 5 s, the vend waits 1.5 s for a
    // late drop. The device reads no socket while a motor turns, so the
    // `ota` sent meanwhile is read in that wait, with the vend unfinished.
    const { twin, machine, product } = await startOnlineTwin(cleanup, { noDrop: true })
    const release = await publishImage('1.2.3', twinImage(deviceFirmwareVersion('1.2.3')))
    const { token } = await createShopper({ balancePaise: 10_000 })

    const bought = await buyThroughApi(client, token, product, machine)
    await twin.waitFor(line(`MOTOR 1 ON ${bought.command_id}`))
    await sendOta(machine.id, release, downloadUrl(release, machine.id))

    await twin.waitFor(line('OTA failed vend_in_progress'), 15_000)
    await twin.waitFor(line(`RESULT ${bought.command_id} no_drop`), 10_000)
    assert.lengthOf(twin.matching(/^OTA downloading/), 0)
    assert.equal((await Machine.findOrFail(machine.id)).firmwareVersion, RUNNING)
  }).timeout(60_000)
})
