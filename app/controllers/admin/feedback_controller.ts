import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'
import Machine from '#models/machine'
import Product from '#models/product'
import ListFeedback from '#actions/orders/list_feedback'
import { adminFeedbackFilterValidator } from '#validators/feedback'
import { filledQuery } from '#services/filter_query'

/**
 * Shoppers' ratings in the panel, read-only.
 */
export default class FeedbackController {
  /**
   * GET /admin/feedback?machine&product&page — newest first, with the
   * count and average rating per machine and per product under the same
   * filters. A malformed filter is ignored and named on the page.
   */
  @inject()
  async index({ request, view }: HttpContext, list: ListFeedback) {
    const input = filledQuery(request.qs())
    const [error, valid] = await adminFeedbackFilterValidator.tryValidate(input)
    const { page = 1, ...filters } = valid ?? {}

    const feedback = await list.page(filters, page)
    feedback.baseUrl(router.makeUrl('admin.feedback.index')).queryString(filters)

    return view.render('pages/admin/feedback/index', {
      title: 'Feedback',
      active: 'feedback',
      feedback,
      summaries: await list.summaries(filters),
      filters: error ? {} : filters,
      form: input,
      filterErrors: error ? (error.messages as { field: string; message: string }[]) : [],
      machines: await Machine.query().select('id', 'code', 'name').orderBy('code'),
      products: await Product.query().select('id', 'name').orderBy('name'),
    })
  }
}
