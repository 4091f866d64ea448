import VendingException from '#exceptions/vending_exception'

/**
 * Thrown when a sales insights range cannot be reported: a day that is not
 * `YYYY-MM-DD`, `to` before `from`, or more than `MAX_RANGE_DAYS` days
 * (422, code `invalid_range`, field `from`).
 */
export default class InvalidSalesRangeException extends VendingException {
  static status = 422
  static code = 'invalid_range'
  static message = 'Choose a range of whole days, from before to, at most a year long.'

  constructor(message?: string) {
    super(message, { field: 'from' })
  }
}
