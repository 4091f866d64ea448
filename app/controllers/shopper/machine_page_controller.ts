import { randomUUID } from 'node:crypto'
import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { MachineStatus } from '#enums/machine_status'
import Machine from '#models/machine'
import Order from '#models/order'
import Slot from '#models/slot'
import MachineSession from '#actions/machines/machine_session'
import PaymentGateway from '#services/payment_gateway'
import { issueLiveTicket } from '#services/live_tickets'

/**
 * Top-up amounts offered as one-tap buttons, in paise (₹50, ₹100, ₹200).
 */
const TOP_UP_PRESETS_PAISE = [5_000, 10_000, 20_000]

/**
 * The page a machine's QR code opens: the machine, the
 * shopper's wallet, what the machine sells, top-ups and recent orders.
 */
export default class MachinePageController {
  /**
   * GET /m/:code. Every form on the page carries its own idempotency key,
   * made here, so submitting one twice (a double tap, a resend) buys or
   * credits once. Buying is offered only while the machine is online; the
   * page's script follows its status live.
   */
  @inject()
  async show(
    { params, auth, view }: HttpContext,
    machineSession: MachineSession,
    payments: PaymentGateway
  ) {
    const machine = await Machine.query().where('code', params.code).firstOrFail()
    const shopper = auth.user!

    const slots = await Slot.query()
      .where('machine_id', machine.id)
      .whereHas('product', (query) => query.where('is_active', true))
      .preload('product')
      .orderBy('number')
    const ordersHere = await Order.query()
      .where('user_id', shopper.id)
      .where('machine_id', machine.id)
      .preload('product')
      .orderBy('id', 'desc')
      .limit(10)
    const ordersEverywhere = await Order.query()
      .where('user_id', shopper.id)
      .preload('product')
      .preload('machine')
      .orderBy('id', 'desc')
      .limit(10)

    const state = machineSession.stateOf(machine, shopper)

    return view.render('pages/shopper/machine', {
      title: machine.name,
      machine,
      online: machine.status === MachineStatus.Online,
      shopper,
      slots,
      ordersHere,
      // Shown only when the shopper has bought elsewhere too.
      ordersEverywhere: ordersEverywhere.some((order) => order.machineId !== machine.id)
        ? ordersEverywhere
        : [],
      machineSession: state,
      busySeconds: state.heldUntil
        ? Math.max(1, Math.ceil(state.heldUntil.diffNow().as('seconds')))
        : null,
      driver: payments.driver,
      topUpPresets: TOP_UP_PRESETS_PAISE,
      keys: {
        buy: randomUUID(),
        topUps: TOP_UP_PRESETS_PAISE.map(() => randomUUID()),
        customTopUp: randomUUID(),
      },
      // The page's socket hears the machine go offline and come back (`machine_status`).
      liveTicket: issueLiveTicket(shopper.id, 'shopper-live'),
    })
  }

  /**
   * POST /m/:code/done — "I'm done": ends the shopper's session on the
   * machine at once, so the next person need not wait for it to lapse.
   */
  @inject()
  async release({ params, auth, response, session }: HttpContext, machineSession: MachineSession) {
    const machine = await Machine.query().where('code', params.code).firstOrFail()
    await machineSession.release(machine, auth.user!)
    session.flash('notice', 'Thanks! The machine is free for the next shopper.')
    return response.redirect().toRoute('shopper.machine', { code: machine.code })
  }
}
