import { randomBytes } from 'node:crypto'

/**
 * A new device key: 24 random bytes (192 bits) as 32 base64url characters,
 * safe inside a C string literal and well under the protocol's 256
 * character limit. Shown to the operator once; only its hash is stored.
 */
export function generateDeviceKey(): string {
  return randomBytes(24).toString('base64url')
}
