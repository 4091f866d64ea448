import { inject } from '@adonisjs/core'
import { stringify } from 'csv-stringify/sync'
import Machine from '#models/machine'
import RestockRoute from '#models/restock_route'
import Slot from '#models/slot'
import RestockForecast from '#services/restock_forecast'

/**
 * Which machines a pick list is for: a route's (in its visit order), or
 * machines by id (in the order given). A route wins when both are given.
 */
export interface PickListSelection {
  routeId?: number
  machineIds?: number[]
}

/**
 * One slot to fill on the visit. `par` is the slot's effective par level
 * (`Slot.effectiveParLevel`), `toLoad = max(par - onHand, 0)` units;
 * `daysUntilEmpty` from `RestockForecast` (null: no sales in the window).
 */
export interface PickRow {
  machineId: number
  machineCode: string
  slotId: number
  slotNumber: number
  productId: number
  productName: string
  onHand: number
  par: number
  toLoad: number
  daysUntilEmpty: number | null
}

/**
 * The units of one product to take from the warehouse.
 */
export interface PickTotal {
  productId: number
  productName: string
  units: number
}

export interface PickListData {
  route: RestockRoute | null
  /** the selected machines, in visit order */
  machines: Machine[]
  /** only slots with something to load, most urgent first */
  rows: PickRow[]
  /** per product, by name */
  totals: PickTotal[]
}

/**
 * The pick list's CSV header, in column order.
 */
export const PICK_LIST_CSV_COLUMNS = [
  'machine',
  'slot',
  'product',
  'on_hand',
  'par',
  'to_load',
] as const

/**
 * What to load on the next visit, per machine and slot, and per product
 * the units to take from the warehouse.
 *
 * Only slots holding a product and below par are listed. Order: days until
 * empty ascending (slots without a forecast last), then the machine's
 * place in the visit (route position, or the order the machines were
 * given), then slot number.
 */
@inject()
export default class PickList {
  constructor(protected forecast: RestockForecast) {}

  /**
   * @throws E_ROW_NOT_FOUND when `routeId` names no route
   */
  async build(selection: PickListSelection): Promise<PickListData> {
    const { route, machines } = await this.selectMachines(selection)
    if (!machines.length) return { route, machines, rows: [], totals: [] }

    const visitOrder = new Map(machines.map((machine, index) => [machine.id, index]))
    const slots = await Slot.query()
      .whereIn(
        'machine_id',
        machines.map((machine) => machine.id)
      )
      .whereNotNull('product_id')
      .preload('product')
    const forecasts = await this.forecast.forSlots(slots)
    const codes = new Map(machines.map((machine) => [machine.id, machine.code]))

    const rows: PickRow[] = []
    for (const slot of slots) {
      const par = slot.effectiveParLevel
      const toLoad = Math.max(par - slot.quantity, 0)
      if (toLoad === 0) continue
      rows.push({
        machineId: slot.machineId,
        machineCode: codes.get(slot.machineId)!,
        slotId: slot.id,
        slotNumber: slot.number,
        productId: slot.productId!,
        productName: slot.product.name,
        onHand: slot.quantity,
        par,
        toLoad,
        daysUntilEmpty: forecasts.get(slot.id)?.daysUntilEmpty ?? null,
      })
    }
    rows.sort(
      (a, b) =>
        compareDays(a.daysUntilEmpty, b.daysUntilEmpty) ||
        visitOrder.get(a.machineId)! - visitOrder.get(b.machineId)! ||
        a.slotNumber - b.slotNumber
    )

    const totals = new Map<number, PickTotal>()
    for (const row of rows) {
      const total = totals.get(row.productId) ?? {
        productId: row.productId,
        productName: row.productName,
        units: 0,
      }
      total.units += row.toLoad
      totals.set(row.productId, total)
    }
    return {
      route,
      machines,
      rows,
      totals: [...totals.values()].sort((a, b) => a.productName.localeCompare(b.productName)),
    }
  }

  /**
   * The pick list as CSV, header `machine,slot,product,on_hand,par,to_load`
   * (`PICK_LIST_CSV_COLUMNS`), one line per row in the list's order.
   */
  toCsv(rows: PickRow[]): string {
    return stringify(
      rows.map((row) => [
        row.machineCode,
        row.slotNumber,
        row.productName,
        row.onHand,
        row.par,
        row.toLoad,
      ]),
      { header: true, columns: [...PICK_LIST_CSV_COLUMNS] }
    )
  }

  protected async selectMachines(
    selection: PickListSelection
  ): Promise<{ route: RestockRoute | null; machines: Machine[] }> {
    if (selection.routeId !== undefined) {
      const route = await RestockRoute.findOrFail(selection.routeId)
      const machines = await route
        .related('machines')
        .query()
        .orderBy('restock_route_machines.position')
      return { route, machines }
    }
    const ids = [...new Set(selection.machineIds ?? [])]
    if (!ids.length) return { route: null, machines: [] }
    const rows = await Machine.query().whereIn('id', ids)
    const found = new Map(rows.map((machine) => [machine.id, machine]))
    return {
      route: null,
      machines: ids.flatMap((id) => (found.has(id) ? [found.get(id)!] : [])),
    }
  }
}

/**
 * Ascending, a slot without a forecast (null) after every forecast one.
 */
function compareDays(a: number | null, b: number | null): number {
  if (a === b) return 0
  if (a === null) return 1
  if (b === null) return -1
  return a - b
}
