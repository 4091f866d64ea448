import VendingException from '#exceptions/vending_exception'

/**
 * Thrown when a firmware release is published while no signing key is
 * configured (503): nothing unsigned is ever offered to a device.
 */
export default class FirmwareSigningKeyMissingException extends VendingException {
  static status = 503
  static code = 'firmware_signing_key_missing'
  static message =
    'No firmware signing key is configured: set FIRMWARE_SIGNING_KEY (node ace firmware:keygen makes one) before publishing.'
}
