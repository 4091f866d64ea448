import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { DateTime } from 'luxon'
import SalesReport, { DEFAULT_RANGE_DAYS, MAX_RANGE_DAYS } from '#services/sales_report'
import { salesRangeValidator } from '#validators/admin_orders'
import { filledQuery } from '#services/filter_query'

/**
 * Sales analytics: revenue and vends per day, product and machine.
 */
export default class AnalyticsController {
  /**
   * GET /admin/analytics?from&to — defaults to the last 14 days. A range
   * given backwards is turned round; one longer than a year is cut to its
   * last `MAX_RANGE_DAYS` days.
   */
  @inject()
  async show({ request, view }: HttpContext, report: SalesReport) {
    const input = filledQuery(request.qs())
    const [error, valid] = await salesRangeValidator.tryValidate(input)

    const today = DateTime.now().startOf('day')
    let to = valid?.to ? DateTime.fromISO(valid.to) : today
    let from = valid?.from
      ? DateTime.fromISO(valid.from)
      : to.minus({ days: DEFAULT_RANGE_DAYS - 1 })
    if (!to.isValid) to = today
    if (!from.isValid) from = to.minus({ days: DEFAULT_RANGE_DAYS - 1 })
    if (from > to) [from, to] = [to, from]
    if (to.diff(from, 'days').days >= MAX_RANGE_DAYS) from = to.minus({ days: MAX_RANGE_DAYS - 1 })

    const sales = await report.build(from.toISODate()!, to.toISODate()!)
    return view.render('pages/admin/analytics/show', {
      title: 'Sales analytics',
      active: 'analytics',
      sales,
      rangeError: error ? 'Dates must be given as YYYY-MM-DD.' : null,
    })
  }
}
