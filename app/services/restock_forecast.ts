import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { OrderStatus } from '#enums/order_status'
import restockConfig from '#config/restock'
import Slot from '#models/slot'
import { dbTimestamp } from '#services/db_helpers'

/**
 * A slot's sell rate and how long its stock lasts at that rate.
 * `unitsPerDay` is 0 and `daysUntilEmpty` null for a slot that sold
 * nothing in the window: no sales, no forecast.
 */
export interface SlotForecast {
  unitsPerDay: number
  daysUntilEmpty: number | null
}

/**
 * A machine with at least one slot that sells out before the next
 * planned visit, and those slots, soonest first.
 */
export interface MachineRunningOut {
  machineId: number
  machineCode: string
  slots: { number: number; productName: string; quantity: number; daysUntilEmpty: number }[]
}

/**
 * Days until empty, per slot, from its recent sales.
 *
 * A slot's sell rate is the units of its CURRENT product sold from it over
 * the last `salesWindowDays` (14) days, per day: completed orders that are
 * not an operator's test vend, of that slot, machine and product, placed
 * (`created_at`) in the window. A refunded or failed order sold nothing,
 * and sales of a product the slot held before do not say how fast the
 * new one goes. `daysUntilEmpty = quantity / rate`. A slot assigned
 * recently is read over the whole window too, so its rate starts low:
 * a cautious number for a new product is an optimistic one, noted in
 * README "Restock planning".
 */
export default class RestockForecast {
  /**
   * Forecasts of `slots` (any subset of the fleet), by slot id, read in
   * ONE grouped query over the slots' machines.
   */
  async forSlots(
    slots: Pick<Slot, 'id' | 'machineId' | 'quantity'>[],
    now: DateTime = DateTime.now()
  ): Promise<Map<number, SlotForecast>> {
    const machineIds = [...new Set(slots.map((slot) => slot.machineId))]
    const sold = machineIds.length ? await this.unitsSold(now, machineIds) : new Map()
    const result = new Map<number, SlotForecast>()
    for (const slot of slots) {
      result.set(slot.id, forecastOf(slot.quantity, sold.get(slot.id) ?? 0))
    }
    return result
  }

  /**
   * Machines with a slot whose days until empty is below `horizonDays`
   * (default `RESTOCK_HORIZON_DAYS`): they run out of something before the
   * next planned visit. Sorted by the soonest slot; for the dashboard.
   */
  async runningOutWithin(
    horizonDays: number = restockConfig.horizonDays,
    now: DateTime = DateTime.now()
  ): Promise<MachineRunningOut[]> {
    const sold = await this.unitsSold(now)
    if (!sold.size) return []
    const slots = await Slot.query()
      .whereIn('id', [...sold.keys()])
      .whereNotNull('product_id')
      .preload('machine')
      .preload('product')
    const byMachine = new Map<number, MachineRunningOut>()
    for (const slot of slots) {
      const { daysUntilEmpty } = forecastOf(slot.quantity, sold.get(slot.id) ?? 0)
      if (daysUntilEmpty === null || daysUntilEmpty >= horizonDays) continue
      const entry = byMachine.get(slot.machineId) ?? {
        machineId: slot.machineId,
        machineCode: slot.machine.code,
        slots: [],
      }
      entry.slots.push({
        number: slot.number,
        productName: slot.product.name,
        quantity: slot.quantity,
        daysUntilEmpty,
      })
      byMachine.set(slot.machineId, entry)
    }
    const machines = [...byMachine.values()]
    for (const machine of machines) {
      machine.slots.sort((a, b) => a.daysUntilEmpty - b.daysUntilEmpty || a.number - b.number)
    }
    return machines.sort(
      (a, b) =>
        a.slots[0].daysUntilEmpty - b.slots[0].daysUntilEmpty ||
        a.machineCode.localeCompare(b.machineCode)
    )
  }

  /**
   * Units each slot sold of its current product in the window, by slot id
   * (slots without sales absent): one GROUP BY over orders joined to
   * slots on slot, machine and product.
   */
  protected async unitsSold(now: DateTime, machineIds?: number[]): Promise<Map<number, number>> {
    const client = db.connection()
    const since = now.minus({ days: restockConfig.salesWindowDays })
    const query = client
      .from('orders')
      .join('slots', (join) => {
        join
          .on('slots.id', '=', 'orders.slot_id')
          .andOn('slots.machine_id', '=', 'orders.machine_id')
          .andOn('slots.product_id', '=', 'orders.product_id')
      })
      .where('orders.status', OrderStatus.Completed)
      .where('orders.is_test', false)
      .where('orders.created_at', '>=', dbTimestamp(client, since))
      .where('orders.created_at', '<=', dbTimestamp(client, now))
      .select('orders.slot_id')
      .count('* as sold')
      .groupBy('orders.slot_id')
    if (machineIds) query.whereIn('orders.machine_id', machineIds)
    const rows = await query
    return new Map(rows.map((row) => [Number(row.slot_id), Number(row.sold)]))
  }
}

/**
 * Rate and days until empty from the units sold in the window.
 */
function forecastOf(quantity: number, sold: number): SlotForecast {
  if (sold <= 0) return { unitsPerDay: 0, daysUntilEmpty: null }
  const unitsPerDay = sold / restockConfig.salesWindowDays
  return { unitsPerDay, daysUntilEmpty: quantity / unitsPerDay }
}

/**
 * A higher par level for a slot that would sell out before the next visit
 * even when filled to par: `par / unitsPerDay < horizonDays`. `atLeast` is
 * the units that last `horizonDays` at the current rate (rounded up);
 * `fits` says whether that is within the capacity (else the slot needs
 * more capacity, a second slot or more visits). Null when par lasts, or
 * without a forecast.
 */
export function parSuggestion(
  slot: Pick<Slot, 'effectiveParLevel' | 'capacity'>,
  forecast: SlotForecast | undefined,
  horizonDays: number = restockConfig.horizonDays
): { atLeast: number; fits: boolean } | null {
  if (!forecast || forecast.unitsPerDay <= 0) return null
  if (slot.effectiveParLevel / forecast.unitsPerDay >= horizonDays) return null
  const atLeast = Math.ceil(forecast.unitsPerDay * horizonDays)
  return { atLeast, fits: atLeast <= slot.capacity }
}
