import VendingException from '#exceptions/vending_exception'

/**
 * Thrown when a CSV export names a report that does not exist (422, code
 * `unknown_report`, field `report`). The reports are `SALES_CSV_REPORTS`.
 */
export default class UnknownSalesReportException extends VendingException {
  static status = 422
  static code = 'unknown_report'
  static message = 'Choose a report: products, machines or heatmap.'

  constructor(message?: string) {
    super(message, { field: 'report' })
  }
}
