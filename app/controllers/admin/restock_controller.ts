import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import Machine from '#models/machine'
import RestockRoute from '#models/restock_route'
import Slot from '#models/slot'
import PickList from '#services/pick_list'
import RestockForecast from '#services/restock_forecast'
import RecordRestockVisit from '#actions/restock/record_restock_visit'
import restockConfig from '#config/restock'
import { pickListValidator, restockVisitValidator } from '#validators/restock'

/**
 * Restock planning: the pick list for the next visit, and the visit
 * itself, walked on a phone at the machine.
 */
export default class RestockController {
  /**
   * GET /admin/restock/pick-list — `route=<id>` or `machines=1,2`
   * (repeated `machines[]` too); `format=csv` for the CSV
   * `machine,slot,product,on_hand,par,to_load`.
   */
  @inject()
  async pickList({ request, response, view }: HttpContext, pickList: PickList) {
    const query = await pickListValidator.validate(request.qs())
    const list = await pickList.build({ routeId: query.route, machineIds: query.machines })
    if (query.format === 'csv') {
      const name = list.route ? `route-${list.route.id}` : 'machines'
      response.header('Content-Type', 'text/csv; charset=utf-8')
      response.header('Content-Disposition', `attachment; filename="pick-list-${name}.csv"`)
      response.header('Cache-Control', 'no-store')
      return response.send(pickList.toCsv(list.rows))
    }
    const csvQuery = new URLSearchParams(
      list.route
        ? { route: String(list.route.id), format: 'csv' }
        : { machines: list.machines.map((machine) => machine.id).join(','), format: 'csv' }
    )
    return view.render('pages/admin/restock/pick_list', {
      title: 'Pick list',
      active: 'restock',
      list,
      csvUrl: `${request.url()}?${csvQuery}`,
      horizonDays: restockConfig.horizonDays,
      selectedMachineIds: list.machines.map((machine) => machine.id),
      routes: await RestockRoute.query().orderBy('name'),
      allMachines: await Machine.query().select('id', 'code', 'name').orderBy('code'),
    })
  }

  /**
   * GET /admin/machines/:id/visit — the machine's stocked slots, one a
   * row, each prefilled with its units to load (par minus on hand).
   */
  @inject()
  async showVisit({ params, view }: HttpContext, forecast: RestockForecast) {
    const machine = await Machine.findOrFail(params.id)
    const slots = await this.stockedSlots(machine)
    const forecasts = await forecast.forSlots(slots)
    return view.render('pages/admin/restock/visit', {
      title: `Restock visit · ${machine.code}`,
      active: 'restock',
      machine,
      slots: slots.map((slot) => ({
        slot,
        toLoad: Math.max(slot.effectiveParLevel - slot.quantity, 0),
        daysUntilEmpty: forecasts.get(slot.id)?.daysUntilEmpty ?? null,
      })),
      horizonDays: restockConfig.horizonDays,
    })
  }

  /**
   * POST /admin/machines/:id/visit — `loaded[slot_<id>]` units per slot.
   */
  @inject()
  async storeVisit(
    { params, request, auth, session, response }: HttpContext,
    recordVisit: RecordRestockVisit
  ) {
    const machine = await Machine.findOrFail(params.id)
    const slots = await this.stockedSlots(machine)
    const input = await request.validateUsing(restockVisitValidator, {
      meta: {
        slots: Object.fromEntries(
          slots.map((slot) => [
            `slot_${slot.id}`,
            { number: slot.number, room: slot.capacity - slot.quantity },
          ])
        ),
      },
    })
    const loads = new Map(
      Object.entries(input.loaded).map(([key, units]) => [Number(key.slice(5)), units])
    )
    const restocks = await recordVisit.handle(auth.user!, machine, loads)
    const units = restocks.reduce((sum, row) => sum + row.quantityAfter - row.quantityBefore, 0)
    session.flash(
      'notice',
      restocks.length
        ? `Visit saved: ${units} units into ${restocks.length} ${restocks.length === 1 ? 'slot' : 'slots'} of ${machine.code}.`
        : 'Nothing was loaded; no restock recorded.'
    )
    return response.redirect().toRoute('admin.restock.visits.show', { id: machine.id })
  }

  protected stockedSlots(machine: Machine) {
    return Slot.query()
      .where('machine_id', machine.id)
      .whereNotNull('product_id')
      .preload('product')
      .orderBy('number')
  }
}
