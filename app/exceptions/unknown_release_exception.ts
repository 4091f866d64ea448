import VendingException from '#exceptions/vending_exception'

/**
 * Thrown when a rollout names a firmware version nobody published (404,
 * field `version`).
 */
export default class UnknownReleaseException extends VendingException {
  static status = 404
  static code = 'unknown_release'
  static message = 'No firmware release has this version.'

  constructor(message?: string) {
    super(message, { field: 'version' })
  }
}
