import vine from '@vinejs/vine'
import { OrderStatus } from '#enums/order_status'

/**
 * A calendar day as the panel's date inputs send it (`YYYY-MM-DD`).
 */
const day = () =>
  vine
    .string()
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/)

/**
 * `GET /admin/orders` and `/admin/orders.csv` query filters. Every field is
 * optional; empty inputs are dropped before validating. `from`/`to` are
 * whole days, both inclusive, in server time (UTC).
 */
export const adminOrdersFilterValidator = vine.compile(
  vine.object({
    status: vine.enum(Object.values(OrderStatus)).optional(),
    machine: vine.number().withoutDecimals().min(1).optional(),
    product: vine.number().withoutDecimals().min(1).optional(),
    shopper: vine.string().trim().maxLength(64).optional(),
    from: day().optional(),
    to: day().optional(),
    page: vine.number().withoutDecimals().min(1).max(100_000).optional(),
  })
)

/**
 * `GET /admin/shoppers` search.
 */
export const adminShoppersFilterValidator = vine.compile(
  vine.object({
    q: vine.string().trim().maxLength(64).optional(),
    page: vine.number().withoutDecimals().min(1).max(100_000).optional(),
  })
)

/**
 * `GET /admin/analytics` date range (both days inclusive).
 */
export const salesRangeValidator = vine.compile(
  vine.object({
    from: day().optional(),
    to: day().optional(),
  })
)
