import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import Machine from '#models/machine'
import Product from '#models/product'
import Restock from '#models/restock'
import Slot from '#models/slot'
import AlertEpisode from '#models/alert_episode'
import AddSlot from '#actions/planogram/add_slot'
import UpdateSlot from '#actions/planogram/update_slot'
import PanelPolicy from '#policies/panel_policy'
import VendingException from '#exceptions/vending_exception'
import RestockSlot from '#actions/planogram/restock_slot'
import ClearSlotCheck from '#actions/planogram/clear_slot_check'
import RestockForecast, { parSuggestion } from '#services/restock_forecast'
import restockConfig from '#config/restock'
import { addSlotValidator, restockSlotValidator, updateSlotValidator } from '#validators/planogram'
import { planogramSuggestionsValidator } from '#validators/sales_insights'
import PlanogramSuggestions, { suggestionWindow } from '#services/planogram_suggestions'
import { filledQuery } from '#services/filter_query'

/**
 * A machine's planogram: its slots, what each holds, restocks, and its
 * open alerts (low stock, offline).
 */
export default class PlanogramController {
  /**
   * GET /admin/machines/:id/planogram?window — with each slot's par level,
   * days until empty and, when par would not last to the next visit, a
   * higher par to consider; `window`: days of sales the suggestions look at
   * (default 28, clamped to 7..90; not a whole number: the default).
   */
  @inject()
  async show(
    { view, params, request }: HttpContext,
    forecast: RestockForecast,
    planogramSuggestions: PlanogramSuggestions
  ) {
    const machine = await Machine.findOrFail(params.id)
    // A window that is no number is the default, like a missing one.
    const [, query] = await planogramSuggestionsValidator.tryValidate(filledQuery(request.qs()))
    const suggestions = await planogramSuggestions.forMachine(
      machine,
      suggestionWindow(query?.window)
    )
    const slots = await Slot.query()
      .where('machine_id', machine.id)
      .preload('product')
      .orderBy('number')
    const forecasts = await forecast.forSlots(slots)
    const restocks = await this.history(machine.id).limit(30)
    const alerts = await AlertEpisode.query()
      .where('machine_id', machine.id)
      .whereNull('closed_at')
      .orderBy('opened_at')
    return view.render('pages/admin/machines/planogram', {
      title: `Planogram · ${machine.code}`,
      active: 'machines',
      machine,
      slots,
      restocks,
      alerts,
      horizonDays: restockConfig.horizonDays,
      outlook: Object.fromEntries(
        slots.map((slot) => {
          const slotForecast = forecasts.get(slot.id)
          return [
            slot.id,
            {
              daysUntilEmpty: slotForecast?.daysUntilEmpty ?? null,
              raisePar: parSuggestion(slot, slotForecast),
            },
          ]
        })
      ),
      suggestions,
      products: await this.activeProducts(),
    })
  }

  /**
   * GET /admin/machines/:id/slots/:number
   */
  async edit({ view, params, bouncer }: HttpContext) {
    const { machine, slot } = await this.findSlot(params)
    await slot.load('product')
    const restocks = await this.history(machine.id).where('restocks.slot_id', slot.id).limit(30)
    return view.render('pages/admin/machines/slot', {
      title: `Slot ${slot.number} · ${machine.code}`,
      active: 'machines',
      machine,
      slot,
      restocks,
      products: await this.activeProducts(slot.productId),
      mayChangePrice: await bouncer.with(PanelPolicy).allows('changePrice'),
    })
  }

  /**
   * POST /admin/machines/:id/slots
   */
  @inject()
  async store({ request, params, auth, session, response }: HttpContext, addSlot: AddSlot) {
    const machine = await Machine.findOrFail(params.id)
    const input = await request.validateUsing(addSlotValidator)
    const slot = await addSlot.handle(auth.user!, machine, {
      productId: input.product_id ?? null,
      capacity: input.capacity,
    })
    session.flash('notice', `Slot ${slot.number} added.`)
    return response.redirect().toRoute('admin.planogram.show', { id: machine.id })
  }

  /**
   * POST /admin/machines/:id/slots/:number — product, capacity,
   * low-stock alert threshold and price override (`price_override`,
   * rupees; empty clears it, absent leaves it).
   */
  @inject()
  async update(
    { request, params, auth, session, response, bouncer }: HttpContext,
    updateSlot: UpdateSlot
  ) {
    const { machine, slot } = await this.findSlot(params)
    const input = await request.validateUsing(updateSlotValidator, {
      meta: { quantity: slot.quantity },
    })
    // Prices are money: only roles that may change them (PanelPolicy)
    // send a different override; the same value resubmitted is no change.
    if (
      input.price_override !== undefined &&
      input.price_override !== slot.pricePaise &&
      (await bouncer.with(PanelPolicy).denies('changePrice'))
    ) {
      throw new VendingException('Only an admin may change a price.', {
        status: 403,
        code: 'price_change_forbidden',
        field: 'price_override',
      })
    }
    await updateSlot.handle(auth.user!, slot.id, {
      productId: input.product_id ?? null,
      capacity: input.capacity,
      lowStockThreshold: input.low_stock_threshold,
      pricePaise: input.price_override,
      parLevel: input.par_level,
    })
    session.flash('notice', `Slot ${slot.number} saved.`)
    return response
      .redirect()
      .toRoute('admin.planogram.edit_slot', { id: machine.id, number: slot.number })
  }

  /**
   * POST /admin/machines/:id/slots/:number/restock
   */
  @inject()
  async restock(
    { request, params, auth, session, response }: HttpContext,
    restockSlot: RestockSlot
  ) {
    const { machine, slot } = await this.findSlot(params)
    const input = await request.validateUsing(restockSlotValidator, {
      meta: { quantity: slot.quantity, capacity: slot.capacity },
    })
    const restock = await restockSlot.handle(auth.user!, slot.id, input)
    session.flash(
      'notice',
      `Slot ${slot.number} now holds ${restock.quantityAfter} units (was ${restock.quantityBefore}).`
    )
    return response
      .redirect()
      .toRoute('admin.planogram.edit_slot', { id: machine.id, number: slot.number })
  }

  /**
   * POST /admin/machines/:id/slots/:number/clear-check — the operator
   * checked a slot a failed vend flagged, and its count stands.
   */
  @inject()
  async clearCheck(
    { params, auth, session, response }: HttpContext,
    clearSlotCheck: ClearSlotCheck
  ) {
    const { machine, slot } = await this.findSlot(params)
    const cleared = await clearSlotCheck.handle(auth.user!, slot.id)
    session.flash(
      'notice',
      cleared
        ? `Slot ${slot.number} marked as checked.`
        : `Slot ${slot.number} had nothing to check.`
    )
    return response.redirect().toRoute('admin.planogram.show', { id: machine.id })
  }

  protected async findSlot(params: Record<string, string>) {
    const machine = await Machine.findOrFail(params.id)
    const slot = await Slot.query()
      .where('machine_id', machine.id)
      .where('number', params.number)
      .firstOrFail()
    return { machine, slot }
  }

  /**
   * Restocks of a machine's slots, newest first, with slot and operator.
   */
  protected history(machineId: number) {
    return Restock.query()
      .join('slots', 'slots.id', 'restocks.slot_id')
      .where('slots.machine_id', machineId)
      .select('restocks.*')
      .preload('slot')
      .preload('user')
      .orderBy('restocks.id', 'desc')
  }

  /**
   * Active products for the select, plus the slot's current one even if it
   * was since deactivated (so the form shows what is there).
   */
  protected activeProducts(currentId?: number | null) {
    return Product.query()
      .where((query) => {
        query.where('is_active', true)
        if (currentId) query.orWhere('id', currentId)
      })
      .orderBy('name')
  }
}
