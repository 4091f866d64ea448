import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  verify,
} from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { errors as vineErrors } from '@vinejs/vine'
import firmwareConfig from '#config/firmware'
import PublishFirmwareRelease from '#actions/firmware/publish_firmware_release'
import AuditLog from '#models/audit_log'
import FirmwareRelease from '#models/firmware_release'
import FirmwareSigner from '#services/firmware_signer'
import { UserFactory } from '#database/factories/user_factory'
import { truncateAll } from '#tests/helpers/database'
import {
  firmwareImage,
  imageFile,
  keepFirmwareClean,
  storedFirmware,
  useSigningKey,
} from '#tests/helpers/firmware'
import { startProcess } from '#tests/helpers/processes'

/**
 * Runs the real `node ace <args>` in a child process with this process's
 * environment (same database) plus `env`, and resolves with its exit code
 * and output. Each boots the app through the TypeScript loader (seconds of
 * CPU), so tests running several allow minutes on a busy machine.
 */
async function ace(args: string[], env: Record<string, string> = {}) {
  const child = startProcess('node', ['ace', ...args], { LOG_LEVEL: 'warn', ...env })
  const code = await child.exited
  return { code, output: child.output }
}

/**
 * The error a promise rejects with.
 */
async function refusal(promise: Promise<unknown>): Promise<any> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected a refusal')
}

/**
 * The field and rule of a VineJS refusal.
 */
function ruleOf(error: unknown) {
  if (!(error instanceof vineErrors.E_VALIDATION_ERROR)) throw error
  const [first] = error.messages as { field: string; rule: string; message: string }[]
  return { field: first.field, rule: first.rule, message: first.message }
}

async function nothingStored(assert: any, filesBefore: string[]) {
  assert.lengthOf(await FirmwareRelease.all(), 0, 'no release row')
  assert.lengthOf(await AuditLog.all(), 0, 'no audit row')
  assert.deepEqual(await storedFirmware(), filesBefore, 'no image file')
}

test.group('Firmware: publishing a release (action)', (group) => {
  group.each.setup(truncateAll)
  group.each.setup(keepFirmwareClean)

  test('stores the image with its size, SHA-256 and a P-256 signature, audited', async ({
    assert,
    cleanup,
  }) => {
    const key = useSigningKey()
    cleanup(key.restore)
    const admin = await UserFactory.apply('admin').create()
    const image = firmwareImage(100_000)
    const file = await imageFile(image)
    cleanup(file.remove)

    const publish = await app.container.make(PublishFirmwareRelease)
    const release = await publish.handle(admin, {
      version: '1.2.3',
      notes: '  Faster dispense  ',
      imagePath: file.path,
    })

    const row = await FirmwareRelease.findOrFail(release.id)
    assert.equal(row.version, '1.2.3')
    assert.equal(row.notes, 'Faster dispense')
    assert.equal(row.sizeBytes, 100_000)
    assert.equal(row.sha256, createHash('sha256').update(image).digest('hex'))
    assert.equal(row.publishedBy, admin.id)
    assert.isTrue(
      verify('sha256', image, createPublicKey(key.publicKeyPem), Buffer.from(row.signature, 'base64')),
      'the signature verifies with the public key'
    )
    assert.isFalse(
      verify('sha256', Buffer.concat([image, Buffer.from([0])]), key.publicKeyPem, Buffer.from(row.signature, 'base64')),
      'and not over other bytes'
    )
    const stored = await storedFirmware()
    assert.include(stored, row.fileName)
    const audit = await AuditLog.findByOrFail('action', 'firmware.publish')
    assert.equal(audit.userId, admin.id)
    assert.equal(audit.subjectId, row.id)
    assert.deepEqual(audit.after, { version: '1.2.3', size_bytes: 100_000, sha256: row.sha256 })
  })

  test('accepts a pre-release version and a key given as one line with \\n escapes', async ({
    assert,
    cleanup,
  }) => {
    const pair = FirmwareSigner.generate()
    const key = useSigningKey(FirmwareSigner.oneLine(pair.privateKeyPem))
    cleanup(key.restore)
    const file = await imageFile(firmwareImage(1))
    cleanup(file.remove)
    const publish = await app.container.make(PublishFirmwareRelease)
    const release = await publish.handle(null, { version: '2.0.0-rc.1', imagePath: file.path })
    assert.equal(release.version, '2.0.0-rc.1')
    assert.isNull(release.publishedBy)
    assert.isTrue(new FirmwareSigner(pair.privateKeyPem).verify(await readFile(file.path), release.signature))
  })

  test('refuses a version that is not semver, naming the field, and stores nothing', async ({
    assert,
    cleanup,
  }) => {
    const key = useSigningKey()
    cleanup(key.restore)
    const before = await storedFirmware()
    const file = await imageFile(firmwareImage(10))
    cleanup(file.remove)
    const publish = await app.container.make(PublishFirmwareRelease)
    for (const version of ['1.2', 'v1.2.3', '01.2.3', '1.2.3+build.5', '1.2.3-', '', 'latest']) {
      const error = ruleOf(await refusal(publish.handle(null, { version, imagePath: file.path })))
      assert.equal(error.field, 'version', version)
      assert.oneOf(error.rule, ['regex', 'required'], version)
    }
    await nothingStored(assert, before)
  })

  test('refuses notes over 2000 characters, an empty image and one over FIRMWARE_MAX_BYTES', async ({
    assert,
    cleanup,
  }) => {
    const key = useSigningKey()
    cleanup(key.restore)
    const before = await storedFirmware()
    const publish = await app.container.make(PublishFirmwareRelease)

    const small = await imageFile(firmwareImage(10))
    cleanup(small.remove)
    const notes = ruleOf(
      await refusal(
        publish.handle(null, { version: '1.0.0', notes: 'x'.repeat(2001), imagePath: small.path })
      )
    )
    assert.deepEqual([notes.field, notes.rule], ['notes', 'maxLength'])

    const empty = await imageFile(Buffer.alloc(0))
    cleanup(empty.remove)
    const none = ruleOf(await refusal(publish.handle(null, { version: '1.0.0', imagePath: empty.path })))
    assert.deepEqual([none.field, none.rule, none.message], ['image', 'min', 'The firmware image is empty.'])

    const big = await imageFile(firmwareImage(firmwareConfig.maxBytes + 1))
    cleanup(big.remove)
    const over = ruleOf(await refusal(publish.handle(null, { version: '1.0.0', imagePath: big.path })))
    assert.deepEqual([over.field, over.rule, over.message], ['image', 'max', 'The firmware image must be 4 MiB or smaller.'])

    await nothingStored(assert, before)

    // Exactly the limit is fine.
    const limit = await imageFile(firmwareImage(firmwareConfig.maxBytes))
    cleanup(limit.remove)
    const release = await publish.handle(null, { version: '1.0.0', imagePath: limit.path })
    assert.equal(release.sizeBytes, firmwareConfig.maxBytes)
  })

  test('refuses a version published before (409 firmware_version_taken), keeping only the first', async ({
    assert,
    cleanup,
  }) => {
    const key = useSigningKey()
    cleanup(key.restore)
    const publish = await app.container.make(PublishFirmwareRelease)
    const first = await imageFile(firmwareImage(10))
    const second = await imageFile(firmwareImage(20))
    cleanup(first.remove)
    cleanup(second.remove)
    const release = await publish.handle(null, { version: '1.4.0', imagePath: first.path })
    const before = await storedFirmware()

    const error = await refusal(publish.handle(null, { version: '1.4.0', imagePath: second.path }))
    assert.equal(error.code, 'firmware_version_taken')
    assert.equal(error.status, 409)
    assert.equal(error.field, 'version')
    const rows = await FirmwareRelease.all()
    assert.deepEqual(
      rows.map((row) => [row.id, row.sizeBytes]),
      [[release.id, 10]]
    )
    assert.deepEqual(await storedFirmware(), before, 'no second file')
  })

  test('refuses to publish without a key, or with a key that is not P-256', async ({
    assert,
    cleanup,
  }) => {
    const before = await storedFirmware()
    const file = await imageFile(firmwareImage(10))
    cleanup(file.remove)
    const cases: [string | null, string][] = [
      [null, 'firmware_signing_key_missing'],
      ['not a key', 'firmware_signing_key_invalid'],
      [
        generateKeyPairSync('ec', { namedCurve: 'secp384r1' })
          .privateKey.export({ type: 'pkcs8', format: 'pem' })
          .toString(),
        'firmware_signing_key_invalid',
      ],
      [
        generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        'firmware_signing_key_invalid',
      ],
    ]
    for (const [pem, code] of cases) {
      const key = useSigningKey(pem)
      try {
        const publish = await app.container.make(PublishFirmwareRelease)
        const error = await refusal(publish.handle(null, { version: '1.0.0', imagePath: file.path }))
        assert.equal(error.code, code)
        assert.equal(error.status, 503)
        assert.match(error.message, /FIRMWARE_SIGNING_KEY/)
      } finally {
        key.restore()
      }
    }
    // The config's key (none in the test environment) is refused as well.
    assert.isUndefined(firmwareConfig.signingKey)
    await nothingStored(assert, before)
  })
})

test.group('Firmware: node ace firmware:keygen and firmware:publish', (group) => {
  group.each.setup(truncateAll)
  group.each.setup(keepFirmwareClean)

  test('keygen prints a P-256 pair; publish signs with it and prints the SHA-256 last', async ({
    assert,
    cleanup,
  }) => {
    const keygen = await ace(['firmware:keygen'])
    assert.equal(keygen.code, 0, keygen.output)
    const privatePem = /-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----/.exec(
      keygen.output
    )![0]
    const publicPem = /^-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/m.exec(
      keygen.output
    )![0]
    const privateKey = createPrivateKey(privatePem)
    const publicKey = createPublicKey(publicPem)
    assert.equal(privateKey.asymmetricKeyDetails?.namedCurve, 'prime256v1')
    assert.equal(publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1')
    assert.equal(
      createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString().trim(),
      publicPem.trim(),
      'the printed public key is the private key’s'
    )
    const define = /^#define VENDORA_FIRMWARE_PUBKEY "(.+)"$/m.exec(keygen.output)
    assert.isNotNull(define, 'a config.h line')
    assert.equal(define![1].replaceAll('\\n', '\n').trim(), publicPem.trim())
    const envLine = /^FIRMWARE_SIGNING_KEY="(.+)"$/m.exec(keygen.output)
    assert.equal(envLine![1].replaceAll('\\n', '\n').trim(), privatePem.trim())

    const image = firmwareImage(200_000)
    const file = await imageFile(image)
    cleanup(file.remove)
    const publish = await ace(
      ['firmware:publish', file.path, '--version', '3.1.4', '--notes', 'From a shell'],
      // The one-line form, as printed for .env.
      { FIRMWARE_SIGNING_KEY: envLine![1] }
    )
    assert.equal(publish.code, 0, publish.output)
    const sha256 = createHash('sha256').update(image).digest('hex')
    assert.equal(publish.output.trim().split('\n').pop(), sha256)

    const release = await FirmwareRelease.findByOrFail('version', '3.1.4')
    assert.equal(release.sha256, sha256)
    assert.equal(release.sizeBytes, 200_000)
    assert.equal(release.notes, 'From a shell')
    assert.isNull(release.publishedBy)
    assert.isTrue(verify('sha256', image, publicKey, Buffer.from(release.signature, 'base64')))
    assert.include(await storedFirmware(), release.fileName)
  }).timeout(150_000)

  test('publish exits non-zero with the message on a duplicate, a bad version or no key', async ({
    assert,
    cleanup,
  }) => {
    const pair = FirmwareSigner.generate()
    const key = useSigningKey(pair.privateKeyPem)
    cleanup(key.restore)
    const file = await imageFile(firmwareImage(1000))
    cleanup(file.remove)
    const publish = await app.container.make(PublishFirmwareRelease)
    await publish.handle(null, { version: '1.0.0', imagePath: file.path })
    const before = await storedFirmware()
    const withKey = { FIRMWARE_SIGNING_KEY: pair.privateKeyPem }

    const duplicate = await ace(['firmware:publish', file.path, '--version', '1.0.0'], withKey)
    assert.notEqual(duplicate.code, 0)
    assert.match(duplicate.output, /This firmware version was already published\. \(firmware_version_taken\)/)

    const bad = await ace(['firmware:publish', file.path, '--version', '1.0'], withKey)
    assert.notEqual(bad.code, 0)
    assert.match(bad.output, /Enter the version as MAJOR\.MINOR\.PATCH/)

    const noKey = await ace(['firmware:publish', file.path, '--version', '1.0.1'])
    assert.notEqual(noKey.code, 0)
    assert.match(noKey.output, /\(firmware_signing_key_missing\)/)

    const missing = await ace(['firmware:publish', `${file.path}.nope`, '--version', '1.0.2'], withKey)
    assert.notEqual(missing.code, 0)
    assert.match(missing.output, /Cannot read the firmware image/)

    assert.lengthOf(await FirmwareRelease.all(), 1)
    assert.deepEqual(await storedFirmware(), before)
  }).timeout(150_000)
})
