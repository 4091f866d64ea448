import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import type Machine from '#models/machine'
import { placedBetween, saleOrders } from '#services/sales_report'

/**
 * Days of sales the suggestions look at: default, shortest and longest.
 * A week is the least that evens out weekdays; a quarter the most before a
 * season's change drowns the signal.
 */
export const SUGGESTION_WINDOW = { default: 28, min: 7, max: 90 } as const

/**
 * A slot sells slowly when its units in the window are below this share
 * of the machine's median slot: `units * SLOW_MOVER_DIVISOR < median`,
 * i.e. below 25 % of the median.
 */
export const SLOW_MOVER_DIVISOR = 4

/**
 * How many of the fleet's best sellers missing here are suggested.
 */
export const MISSING_TOP_SELLERS = 5

/**
 * A slot whose product sold much less than the machine's typical slot.
 */
export interface SlowMover {
  slotNumber: number
  productId: number
  productName: string
  /** units of this product sold from this slot in the window */
  units: number
}

/**
 * A product that sells on other machines but is in no slot of this one.
 */
export interface MissingTopSeller {
  productId: number
  productName: string
  /** units sold on the other machines in the window */
  units: number
  /** how many other machines sold it */
  machines: number
}

export interface PlanogramSuggestionsData {
  windowDays: number
  since: DateTime
  /** median units per stocked slot (slots holding a product) */
  medianUnits: number
  /** a slot below this many units is a slow mover (median / 4) */
  slowBelow: number
  slowMovers: SlowMover[]
  missingTopSellers: MissingTopSeller[]
}

/**
 * Clamps a requested window (days) to `SUGGESTION_WINDOW`; a missing one is
 * the default. Clamped rather than refused: the window is a view setting
 * on the planogram page, and the nearest sensible window is what was meant.
 */
export function suggestionWindow(days?: number | null): number {
  if (days === undefined || days === null || !Number.isFinite(days))
    return SUGGESTION_WINDOW.default
  return Math.min(SUGGESTION_WINDOW.max, Math.max(SUGGESTION_WINDOW.min, Math.trunc(days)))
}

/**
 * Planogram suggestions for one machine from its sales (`saleOrders`) in
 * the last `windowDays` days:
 *
 * - slow movers to replace: stocked slots whose current product sold fewer
 *   units from that slot than 25 % of the machine's median stocked slot
 *   (`SLOW_MOVER_DIVISOR`). Zero sellers count. No suggestion when the
 *   median is 0 (the machine barely sold anything: nothing to compare to).
 * - top sellers elsewhere: the `MISSING_TOP_SELLERS` products with the most
 *   units on the other machines of the fleet that no slot here holds
 *   (active products only: an inactive one cannot be stocked).
 *
 * Two grouped queries over orders; slots are read once.
 */
@inject()
export default class PlanogramSuggestions {
  async forMachine(
    machine: Machine,
    windowDays: number = SUGGESTION_WINDOW.default,
    now: DateTime = DateTime.now()
  ): Promise<PlanogramSuggestionsData> {
    const client = db.connection()
    const since = now.minus({ days: windowDays })

    const slots = await client
      .from('slots')
      .join('products', 'products.id', 'slots.product_id')
      .where('slots.machine_id', machine.id)
      .select('slots.id', 'slots.number', 'products.id as product_id', 'products.name')
      .orderBy('slots.number')
    // Units per slot and product: a slot that changed product in the window
    // is judged on its current product only.
    const soldRows = await placedBetween(saleOrders(client), since)
      .where('orders.machine_id', machine.id)
      .select('orders.slot_id', 'orders.product_id')
      .count('* as units')
      .groupBy('orders.slot_id', 'orders.product_id')
    const sold = new Map<string, number>(
      soldRows.map((row) => [`${row.slot_id}:${row.product_id}`, Number(row.units)])
    )

    const perSlot = slots.map((slot) => ({
      slotNumber: Number(slot.number),
      productId: Number(slot.product_id),
      productName: String(slot.name),
      units: sold.get(`${slot.id}:${slot.product_id}`) ?? 0,
    }))
    const medianUnits = median(perSlot.map((slot) => slot.units))
    const slowMovers = perSlot
      .filter((slot) => slot.units * SLOW_MOVER_DIVISOR < medianUnits)
      .sort((a, b) => a.units - b.units || a.slotNumber - b.slotNumber)

    const here = client
      .from('slots')
      .where('machine_id', machine.id)
      .whereNotNull('product_id')
      .select('product_id')
    const missingRows = await placedBetween(saleOrders(client), since)
      .join('products', 'products.id', 'orders.product_id')
      .whereNot('orders.machine_id', machine.id)
      .where('products.is_active', true)
      .whereNotIn('orders.product_id', here)
      .select('products.id', 'products.name')
      .count('* as units')
      .countDistinct('orders.machine_id as machines')
      .groupBy('products.id', 'products.name')
      .orderBy('units', 'desc')
      .orderBy('products.name')
      .limit(MISSING_TOP_SELLERS)

    return {
      windowDays,
      since,
      medianUnits,
      slowBelow: medianUnits / SLOW_MOVER_DIVISOR,
      slowMovers,
      missingTopSellers: missingRows.map((row) => ({
        productId: Number(row.id),
        productName: String(row.name),
        units: Number(row.units),
        machines: Number(row.machines),
      })),
    }
  }
}

/**
 * The median of `values` (the mean of the middle two for an even count;
 * 0 for none).
 */
function median(values: number[]): number {
  if (values.length === 0) return 0
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}
