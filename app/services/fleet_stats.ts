import { DateTime } from 'luxon'
import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import { MachineStatus } from '#enums/machine_status'
import { AWAITING_RESULT } from '#enums/order_status'
import Order from '#models/order'
import Slot from '#models/slot'
import { dbTimestamp } from '#services/db_helpers'
import RestockForecast, { type MachineRunningOut } from '#services/restock_forecast'
import restockConfig from '#config/restock'
import { placedBetween, saleOrders } from '#services/sales_report'

/**
 * The dashboard's figures. Money in paise; "today" is the server's
 * calendar day (TZ, UTC by default).
 *
 * `salesPaise` and `orders` count shoppers' orders only: an operator's
 * test vend is no sale. `failedVends` counts every vend that failed today,
 * test vends included (a failed test vend is a failed vend of the machine,
 * which is what an operator looks for there); `failedTestVends` says how
 * many of them were test vends.
 */
export interface FleetSnapshot {
  machines: Record<MachineStatus, number>
  today: { salesPaise: number; orders: number; failedVends: number; failedTestVends: number }
  vendsInProgress: number
  lowStock: Slot[]
  /** Slots a failed vend flagged for a check (`Slot.flagForCheck`), oldest first. */
  slotsToCheck: Slot[]
  recentOrders: Order[]
  /**
   * Machines with a slot that sells out before the next planned visit
   * (days until empty below `horizonDays`, `RestockForecast`).
   */
  runningOut: MachineRunningOut[]
  horizonDays: number
}

/**
 * Reads the fleet's state for the admin dashboard, in a handful of
 * aggregate queries.
 */
@inject()
export default class FleetStats {
  constructor(protected forecast: RestockForecast) {}

  async snapshot(now: DateTime = DateTime.now()): Promise<FleetSnapshot> {
    const since = dbTimestamp(db.connection(), now.startOf('day'))

    const statusRows = await db
      .from('machines')
      .select('status')
      .count('* as total')
      .groupBy('status')
    const machines = { online: 0, offline: 0, maintenance: 0 } as Record<MachineStatus, number>
    for (const row of statusRows) machines[row.status as MachineStatus] = Number(row.total)

    // Operators' free test vends are not sales (`saleOrders`).
    const sales = await placedBetween(saleOrders(), now.startOf('day'))
      .sum('orders.price_paise as total')
      .first()
    const orders = await db
      .from('orders')
      .where('is_test', false)
      .where('created_at', '>=', since)
      .count('* as total')
      .first()
    const failed = await db
      .from('orders')
      .where('created_at', '>=', since)
      .whereNotNull('failure_reason')
      .select('is_test')
      .count('* as total')
      .groupBy('is_test')
    const failedOf = (test: boolean) =>
      failed
        .filter((row) => Boolean(row.is_test) === test)
        .reduce((sum, row) => sum + Number(row.total), 0)
    const inProgress = await db
      .from('orders')
      .whereIn('status', [...AWAITING_RESULT])
      .count('* as total')
      .first()

    const lowStock = await Slot.query()
      .withScopes((scopes) => scopes.lowOnStock())
      .preload('machine')
      .preload('product')
      .orderBy('quantity')
      .limit(20)

    const slotsToCheck = await Slot.query()
      .withScopes((scopes) => scopes.needingCheck())
      .preload('machine')
      .preload('product')
      .orderBy('needs_check_at')
      .limit(20)

    const recentOrders = await Order.query()
      .preload('machine')
      .preload('product')
      .preload('user')
      .orderBy('id', 'desc')
      .limit(10)

    return {
      machines,
      today: {
        salesPaise: Number(sales?.total ?? 0),
        orders: Number(orders?.total ?? 0),
        failedVends: failedOf(true) + failedOf(false),
        failedTestVends: failedOf(true),
      },
      vendsInProgress: Number(inProgress?.total ?? 0),
      lowStock,
      slotsToCheck,
      recentOrders,
      runningOut: await this.forecast.runningOutWithin(restockConfig.horizonDays, now),
      horizonDays: restockConfig.horizonDays,
    }
  }
}
