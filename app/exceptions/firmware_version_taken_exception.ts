import VendingException from '#exceptions/vending_exception'

/**
 * Thrown when a firmware release is published with a version that was
 * already published (409): a version names exactly one image, forever.
 */
export default class FirmwareVersionTakenException extends VendingException {
  static status = 409
  static code = 'firmware_version_taken'
  static message = 'This firmware version was already published.'
}
