import { randomBytes, randomUUID } from 'node:crypto'
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import app from '@adonisjs/core/services/app'
import firmwareConfig from '#config/firmware'
import FirmwareSigner, { type FirmwareKeyPair } from '#services/firmware_signer'
import type FirmwareRelease from '#models/firmware_release'
import PublishFirmwareRelease from '#actions/firmware/publish_firmware_release'

/**
 * The image files in the firmware folder, sorted.
 */
export async function storedFirmware(): Promise<string[]> {
  try {
    return (await readdir(firmwareConfig.directory)).sort()
  } catch {
    return []
  }
}

/**
 * Removes the images a test stored, leaving files that were there before.
 * Returns the cleanup.
 */
export async function keepFirmwareClean(): Promise<() => Promise<void>> {
  await mkdir(firmwareConfig.directory, { recursive: true })
  const before = new Set(await storedFirmware())
  return async () => {
    for (const name of await storedFirmware())
      if (!before.has(name)) await rm(join(firmwareConfig.directory, name), { force: true })
  }
}

/**
 * Makes a fresh P-256 key pair and has the container's FirmwareSigner use
 * it (what `FIRMWARE_SIGNING_KEY` does in production); `pem: null` swaps
 * in a signer without a key. Returns the pair and the restore function.
 */
export function useSigningKey(pem?: string | null): FirmwareKeyPair & { restore: () => void } {
  const pair = FirmwareSigner.generate()
  const key = pem === undefined ? pair.privateKeyPem : pem
  app.container.swap(FirmwareSigner, () => new FirmwareSigner(key))
  return { ...pair, restore: () => app.container.restore(FirmwareSigner) }
}

/**
 * `bytes` random bytes standing in for a firmware image.
 */
export function firmwareImage(bytes = 64 * 1024): Buffer {
  return randomBytes(bytes)
}

/**
 * Writes `image` to a throwaway file under tmp/ and returns its absolute
 * path and the cleanup.
 */
export async function imageFile(
  image: Buffer
): Promise<{ path: string; remove: () => Promise<void> }> {
  const dir = app.tmpPath('firmware-tests')
  await mkdir(dir, { recursive: true })
  const path = join(dir, `${randomUUID()}.bin`)
  await writeFile(path, image)
  return { path, remove: () => rm(path, { force: true }) }
}

/**
 * Publishes `image` as release `version` through the real
 * `PublishFirmwareRelease`, signed with the key the container's
 * FirmwareSigner holds now (`useSigningKey`).
 */
export async function publishImage(version: string, image: Buffer): Promise<FirmwareRelease> {
  const file = await imageFile(image)
  try {
    const action = await app.container.make(PublishFirmwareRelease)
    return await action.handle(null, { version, imagePath: file.path })
  } finally {
    await file.remove()
  }
}
