import VendingException from '#exceptions/vending_exception'

/**
 * Thrown when FIRMWARE_SIGNING_KEY is not a PEM EC private key on the
 * P-256 curve, the only kind the devices verify (503).
 */
export default class FirmwareSigningKeyInvalidException extends VendingException {
  static status = 503
  static code = 'firmware_signing_key_invalid'
  static message =
    'FIRMWARE_SIGNING_KEY is not an ECDSA P-256 private key in PEM form (node ace firmware:keygen makes one).'
}
