import VendingException from '#exceptions/vending_exception'

/**
 * Thrown when a firmware download URL is unsigned, tampered with (another
 * release or machine) or expired (403).
 */
export default class InvalidDownloadUrlException extends VendingException {
  static status = 403
  static code = 'invalid_download_url'
  static message = 'This download URL is invalid or has expired.'
}
