import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto'
import firmwareConfig from '#config/firmware'
import FirmwareSigningKeyMissingException from '#exceptions/firmware_signing_key_missing_exception'
import FirmwareSigningKeyInvalidException from '#exceptions/firmware_signing_key_invalid_exception'

/**
 * The curve the devices verify with (mbedtls `MBEDTLS_ECP_DP_SECP256R1`).
 * Node names P-256 `prime256v1`.
 */
const CURVE = 'prime256v1'

/**
 * A freshly made signing key pair, both as PEM text (PKCS#8 private key,
 * SPKI public key).
 */
export interface FirmwareKeyPair {
  privateKeyPem: string
  publicKeyPem: string
}

/**
 * Signs firmware images with the operator's ECDSA P-256 key
 * (`FIRMWARE_SIGNING_KEY`, config/firmware.ts) and checks signatures.
 *
 * A signature is the DER-encoded ECDSA signature over the SHA-256 of the
 * image bytes (`crypto.sign('sha256', image, key)`), what a device checks
 * with mbedtls (`mbedtls_pk_verify` over the SHA-256 it computes while
 * downloading); see firmware/PROTOCOL.md, "Firmware images". Uses only
 * node:crypto.
 *
 * The container makes it with the configured key; a test may swap in
 * `new FirmwareSigner(pem)` or `new FirmwareSigner(null)` (no key).
 */
export default class FirmwareSigner {
  #pem: string | null

  /**
   * @param pem the private key as PEM, or as one line with `\n` escapes
   *   (what fits in an env file); null or empty for none. Defaults to
   *   `FIRMWARE_SIGNING_KEY`.
   */
  constructor(pem: string | null | undefined = firmwareConfig.signingKey) {
    this.#pem = pem?.trim() ? pem.replace(/\\n/g, '\n').trim() : null
  }

  /**
   * Whether a key is configured (not whether it is valid).
   */
  get configured(): boolean {
    return this.#pem !== null
  }

  /**
   * The signing key, checked to be an EC private key on P-256.
   *
   * @throws FirmwareSigningKeyMissingException (`firmware_signing_key_missing`) when none is set
   * @throws FirmwareSigningKeyInvalidException (`firmware_signing_key_invalid`) when it does not
   *   parse or is another kind of key or curve
   */
  privateKey(): KeyObject {
    if (this.#pem === null) throw new FirmwareSigningKeyMissingException()
    let key: KeyObject
    try {
      key = createPrivateKey(this.#pem)
    } catch {
      throw new FirmwareSigningKeyInvalidException()
    }
    if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== CURVE)
      throw new FirmwareSigningKeyInvalidException()
    return key
  }

  /**
   * The public half of the signing key as SPKI PEM (what `config.h` holds).
   *
   * @throws as `privateKey()`
   */
  publicKeyPem(): string {
    return createPublicKey(this.privateKey()).export({ type: 'spki', format: 'pem' }).toString()
  }

  /**
   * The public key as SPKI PEM when a valid signing key is configured, else
   * null: what a simulated machine checks update images with, as a board
   * built with that key in `config.h` would.
   */
  releasePublicKeyPem(): string | null {
    if (!this.configured) return null
    try {
      return this.publicKeyPem()
    } catch {
      return null
    }
  }

  /**
   * Signs an image.
   *
   * @returns base64 of the DER ECDSA P-256/SHA-256 signature over `image`
   * @throws as `privateKey()`
   */
  sign(image: Buffer): string {
    return sign('sha256', image, this.privateKey()).toString('base64')
  }

  /**
   * Whether `signature` (base64 DER) is a valid signature of `image` by
   * the private key of `publicKeyPem` (default: this signer's own key).
   */
  verify(image: Buffer, signature: string, publicKeyPem?: string): boolean {
    const key = publicKeyPem ? createPublicKey(publicKeyPem) : createPublicKey(this.privateKey())
    try {
      return verify('sha256', image, key, Buffer.from(signature, 'base64'))
    } catch {
      return false
    }
  }

  /**
   * Makes a new P-256 key pair for `node ace firmware:keygen`.
   */
  static generate(): FirmwareKeyPair {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: CURVE })
    return {
      privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    }
  }

  /**
   * A PEM as one C string literal with `\n` escapes, e.g. for
   * `#define VENDORA_FIRMWARE_PUBKEY "-----BEGIN PUBLIC KEY-----\n..."`
   * (mbedtls_pk_parse_public_key wants the text with its newlines).
   */
  static cStringLiteral(pem: string): string {
    const body = pem.trim().split('\n').join('\\n')
    return `"${body}\\n"`
  }

  /**
   * A PEM as one line with `\n` escapes, the form FIRMWARE_SIGNING_KEY
   * accepts in an env file.
   */
  static oneLine(pem: string): string {
    return pem.trim().split('\n').join('\\n')
  }
}
