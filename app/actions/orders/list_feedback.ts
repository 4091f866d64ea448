import db from '@adonisjs/lucid/services/db'
import OrderFeedback from '#models/order_feedback'

/**
 * Ratings per page in the panel's list.
 */
export const FEEDBACK_PER_PAGE = 25

/**
 * The highest rating the machine page counts as a low one, and how many of
 * the latest it shows.
 */
export const LOW_RATING_MAX = 2
export const LOW_RATINGS_SHOWN = 10

/**
 * The panel's feedback filters, already validated
 * (`adminFeedbackFilterValidator`): a machine id, a product id.
 */
export interface FeedbackFilters {
  machine?: number
  product?: number
}

/**
 * Ratings given by shoppers (`count`) and their mean (`average`, 1 to 5,
 * not rounded) for one machine or product, with its label.
 */
export interface RatingSummary {
  id: number
  label: string
  count: number
  average: number
}

/**
 * Shoppers' ratings as the panel reads them: the filtered list (newest
 * first), averages per machine and per product under the same filters,
 * and a machine's low ratings on failed vends.
 */
export default class ListFeedback {
  /**
   * One page of the filtered list, with the shopper, machine, product and
   * order preloaded.
   */
  page(filters: FeedbackFilters, page: number) {
    return this.filtered(OrderFeedback.query(), filters)
      .preload('user')
      .preload('machine')
      .preload('product')
      .preload('order')
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .paginate(page, FEEDBACK_PER_PAGE)
  }

  /**
   * Count and average rating per machine and per product of the ratings
   * the filters match, the most rated first.
   */
  async summaries(
    filters: FeedbackFilters
  ): Promise<{ machines: RatingSummary[]; products: RatingSummary[] }> {
    const machines = await this.summary(filters, 'machines', 'machine_id', 'code')
    const products = await this.summary(filters, 'products', 'product_id', 'name')
    return { machines, products }
  }

  /**
   * The latest `LOW_RATINGS_SHOWN` ratings of at most `LOW_RATING_MAX`
   * stars given to failed vends of machine `machineId`, newest first, with
   * the shopper and product preloaded: what the machine's page warns about.
   */
  lowRatedFailedVends(machineId: number) {
    return OrderFeedback.query()
      .where('machine_id', machineId)
      .where('vend_failed', true)
      .where('rating', '<=', LOW_RATING_MAX)
      .preload('user')
      .preload('product')
      .preload('order')
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(LOW_RATINGS_SHOWN)
  }

  protected filtered<Query extends { where(column: string, value: number): Query }>(
    query: Query,
    filters: FeedbackFilters
  ): Query {
    if (filters.machine) query = query.where('order_feedback.machine_id', filters.machine)
    if (filters.product) query = query.where('order_feedback.product_id', filters.product)
    return query
  }

  protected async summary(
    filters: FeedbackFilters,
    table: 'machines' | 'products',
    column: 'machine_id' | 'product_id',
    label: 'code' | 'name'
  ): Promise<RatingSummary[]> {
    const rows = await this.filtered(db.from('order_feedback'), filters)
      .join(table, `${table}.id`, `order_feedback.${column}`)
      .groupBy(`${table}.id`, `${table}.${label}`)
      .select(`${table}.id as id`, `${table}.${label} as label`)
      .count('* as count')
      .avg('order_feedback.rating as average')
      .orderBy('count', 'desc')
      .orderBy('label', 'asc')
    // PostgreSQL answers counts as strings and averages as numeric strings.
    return rows.map((row) => ({
      id: Number(row.id),
      label: String(row.label),
      count: Number(row.count),
      average: Number(row.average),
    }))
  }
}
