import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { stringify } from 'csv-stringify/sync'
import Machine from '#models/machine'
import type VendingException from '#exceptions/vending_exception'
import SalesInsights, {
  INSIGHTS_DEFAULT_DAYS,
  WEEKDAYS,
  resolveSalesRange,
  salesCsvReport,
  salesCsvTable,
} from '#services/sales_insights'
import { MAX_RANGE_DAYS } from '#services/sales_report'
import { salesInsightsValidator } from '#validators/sales_insights'
import { filledQuery } from '#services/filter_query'

/**
 * What sells: sales by product, machine, weekday and hour, best and worst
 * sellers per machine, and their CSV exports.
 */
export default class SalesInsightsController {
  /**
   * GET /admin/analytics/insights?from&to&machine — the last 30 days by
   * default. A bad range (`InvalidSalesRangeException`, 422) shows on this
   * page as the form's error, or as `{ errors }` to a JSON request.
   */
  @inject()
  async show(ctx: HttpContext, insights: SalesInsights) {
    const { request, view } = ctx
    const input = await salesInsightsValidator.validate(filledQuery(request.qs()))
    const machines = await Machine.query().select('id', 'code', 'name').orderBy('code')
    const page = {
      title: 'What sells',
      active: 'analytics',
      machines,
      weekdays: WEEKDAYS,
      defaultDays: INSIGHTS_DEFAULT_DAYS,
      maxDays: MAX_RANGE_DAYS,
    }
    // The range is refused before anything is read: the page then shows
    // the form as sent, with the refusal next to it.
    ctx.formRefusal = {
      render: (error: VendingException) =>
        view.render('pages/admin/analytics/insights', {
          ...page,
          form: { from: input.from ?? '', to: input.to ?? '', machine: input.machine ?? null },
          rangeError: error.message,
          insights: null,
        }),
    }
    const range = resolveSalesRange(input)
    const data = await insights.build(range, input.machine ?? null)
    return view.render('pages/admin/analytics/insights', {
      ...page,
      form: { from: range.from, to: range.to, machine: input.machine ?? null },
      rangeError: null,
      insights: data,
    })
  }

  /**
   * GET /admin/analytics.csv?report=products|machines|heatmap&from&to&machine
   * — the page's tables as CSV, revenue in rupees (`paiseToRupees`).
   * Unknown report → 422 `unknown_report`; bad range → 422 `invalid_range`.
   */
  @inject()
  async export({ request, response }: HttpContext, insights: SalesInsights) {
    const input = await salesInsightsValidator.validate(filledQuery(request.qs()))
    const range = resolveSalesRange(input)
    const report = salesCsvReport(input.report)
    const table = salesCsvTable(report, await insights.build(range, input.machine ?? null))
    const machine = input.machine ? `-machine-${input.machine}` : ''
    const filename = `sales-${report}-${range.from}-to-${range.to}${machine}.csv`
    response.header('Content-Type', 'text/csv; charset=utf-8')
    response.header('Content-Disposition', `attachment; filename="${filename}"`)
    response.header('Cache-Control', 'no-store')
    return stringify(table.rows, { header: true, columns: table.columns })
  }
}
