import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'
import { issueLiveTicket } from '#services/live_tickets'
import Machine from '#models/machine'
import DeviceEvent from '#models/device_event'
import Slot from '#models/slot'
import Order from '#models/order'
import CreateMachine from '#actions/machines/create_machine'
import RotateDeviceKey from '#actions/machines/rotate_device_key'
import SetMaintenance from '#actions/machines/set_maintenance'
import SendTestVend from '#actions/machines/send_test_vend'
import SetDisplayCodeRequirement from '#actions/machines/set_display_code_requirement'
import SetMachineTags from '#actions/machines/set_machine_tags'
import ListFeedback from '#actions/orders/list_feedback'
import {
  createMachineValidator,
  machineDisplayCodeValidator,
  machineListFilterValidator,
  machineMaintenanceValidator,
  machineTagsValidator,
  testVendValidator,
} from '#validators/machine'
import { publicBaseUrl, shopperPageQr } from '#services/public_url'
import { DeviceToServerEvent, ServerToDeviceEvent } from '#services/device_protocol'

/**
 * How many monitor events the machine page shows.
 */
const MONITOR_ROWS = 100

/**
 * Machines in the panel: the live list, registration with a one-time
 * device key, key rotation, maintenance, test vends and the communication
 * monitor.
 */
export default class MachinesController {
  /**
   * GET /admin/machines (`?tag=airport` lists only machines with the tag)
   */
  async index({ view, auth, request }: HttpContext) {
    const { tag } = await machineListFilterValidator.validate(request.qs())
    return view.render('pages/admin/machines/index', {
      title: 'Machines',
      active: 'machines',
      machines: await this.listing(tag),
      tag,
      tags: await this.allTags(),
      liveTicket: this.liveTicket(auth.user!.id),
    })
  }

  /**
   * GET /admin/machines/live — the list's rows, re-fetched by the page
   * when the `/admin` socket says the fleet changed (same `?tag=`).
   */
  async listFragment({ view, request }: HttpContext) {
    const { tag } = await machineListFilterValidator.validate(request.qs())
    return view.render('pages/admin/machines/partials/list', {
      machines: await this.listing(tag),
      tag,
    })
  }

  /**
   * GET /admin/machines/create
   */
  async create({ view }: HttpContext) {
    return view.render('pages/admin/machines/create', { title: 'New machine', active: 'machines' })
  }

  /**
   * POST /admin/machines — answers with the key page directly (no
   * redirect), so the key is never stored anywhere, not even in a flash.
   */
  @inject()
  async store(ctx: HttpContext, createMachine: CreateMachine) {
    const input = await ctx.request.validateUsing(createMachineValidator)
    const { machine, deviceKey } = await createMachine.handle(ctx.auth.user!, input)
    return this.renderKey(ctx, machine, deviceKey, 'created')
  }

  /**
   * GET /admin/machines/:id
   */
  @inject()
  async show({ view, params, auth, request }: HttpContext, feedback: ListFeedback) {
    const machine = await Machine.findOrFail(params.id)
    const slots = await Slot.query()
      .where('machine_id', machine.id)
      .preload('product')
      .orderBy('number')
    return view.render('pages/admin/machines/show', {
      title: machine.name,
      active: 'machines',
      ...(await this.liveState(machine)),
      slots,
      liveTicket: this.liveTicket(auth.user!.id),
      shopperQr: await shopperPageQr(machine.code, request),
      lowRatings: await feedback.lowRatedFailedVends(machine.id),
    })
  }

  /**
   * GET /admin/machines/:id/live — status, test vends and monitor.
   */
  async showFragment({ view, params }: HttpContext) {
    const machine = await Machine.findOrFail(params.id)
    return view.render('pages/admin/machines/partials/live', await this.liveState(machine))
  }

  /**
   * POST /admin/machines/:id/key — a new device key, shown once.
   */
  @inject()
  async rotateKey(ctx: HttpContext, rotateDeviceKey: RotateDeviceKey) {
    const machine = await Machine.findOrFail(ctx.params.id)
    const deviceKey = await rotateDeviceKey.handle(ctx.auth.user!, machine)
    return this.renderKey(ctx, machine, deviceKey, 'rotated')
  }

  /**
   * POST /admin/machines/:id/maintenance
   */
  @inject()
  async maintenance(
    { request, params, auth, session, response }: HttpContext,
    setMaintenance: SetMaintenance
  ) {
    const { maintenance } = await request.validateUsing(machineMaintenanceValidator)
    const machine = await setMaintenance.handle(auth.user!, Number(params.id), maintenance)
    session.flash(
      'notice',
      maintenance
        ? `${machine.code} is in maintenance: buys are refused.`
        : `Maintenance lifted: ${machine.code} is ${machine.status}.`
    )
    return response.redirect().toRoute('admin.machines.show', { id: machine.id })
  }

  /**
   * POST /admin/machines/:id/display-code — require the display code to
   * buy (a presence check: the buyer stands at the machine), or stop
   * requiring it.
   */
  @inject()
  async displayCode(
    { request, params, auth, session, response }: HttpContext,
    setRequirement: SetDisplayCodeRequirement
  ) {
    const { required } = await request.validateUsing(machineDisplayCodeValidator)
    const machine = await setRequirement.handle(auth.user!, Number(params.id), required)
    session.flash(
      'notice',
      required
        ? `${machine.code} now asks shoppers for the code on its display.`
        : `${machine.code} no longer asks for the display code.`
    )
    return response.redirect().toRoute('admin.machines.show', { id: machine.id })
  }

  /**
   * POST /admin/machines/:id/test-vend
   */
  @inject()
  async testVend(ctx: HttpContext, sendTestVend: SendTestVend) {
    const { request, params, auth, session, response } = ctx
    const machine = await Machine.findOrFail(params.id)
    const { slot } = await request.validateUsing(testVendValidator)
    // A refused test vend (no device, empty slot...) lands on the machine's page too.
    ctx.formRefusal = { redirectTo: router.makeUrl('admin.machines.show', { id: machine.id }) }
    const order = await sendTestVend.handle(auth.user!, machine, slot)
    session.flash(
      'notice',
      `Test vend #${order.id} sent to slot ${slot}. Watch the monitor for the result.`
    )
    return response.redirect().toRoute('admin.machines.show', { id: machine.id })
  }

  /**
   * POST /admin/machines/:id/tags — replaces the machine's tags with the
   * comma-separated `tags` (empty clears them).
   */
  @inject()
  async tags({ request, params, auth, session, response }: HttpContext, setTags: SetMachineTags) {
    const { tags } = await request.validateUsing(machineTagsValidator)
    const machine = await setTags.handle(auth.user!, Number(params.id), tags ?? [])
    session.flash(
      'notice',
      machine.tags.length
        ? `${machine.code} is tagged ${machine.tags.join(', ')}.`
        : `${machine.code} has no tags now.`
    )
    return response.redirect().toRoute('admin.machines.show', { id: machine.id })
  }

  /**
   * GET /admin/machines/:id/qr — a printable label for the machine: its
   * shopper page as a big QR code, name, code, location and the URL.
   */
  async qr({ view, params, request }: HttpContext) {
    const machine = await Machine.findOrFail(params.id)
    return view.render('pages/admin/machines/qr', {
      title: `QR label for ${machine.code}`,
      labels: [{ machine, ...(await shopperPageQr(machine.code, request)) }],
      back: router.makeUrl('admin.machines.show', { id: machine.id }),
    })
  }

  /**
   * GET /admin/machines/qr — every machine's label on one sheet, in code
   * order, for labelling a fleet in one print run.
   */
  async qrSheet({ view, request }: HttpContext) {
    const machines = await Machine.query().orderBy('code')
    const labels = await Promise.all(
      machines.map(async (machine) => ({
        machine,
        ...(await shopperPageQr(machine.code, request)),
      }))
    )
    return view.render('pages/admin/machines/qr', {
      title: 'QR labels for all machines',
      labels,
      back: router.makeUrl('admin.machines.index'),
    })
  }

  /**
   * The machines, with `tag` when given. Tags are stored as a JSON array of
   * `[a-z0-9-]` labels, so the quoted label matches exactly one element
   * (no LIKE wildcard can occur in a tag), on SQLite and PostgreSQL alike.
   */
  protected listing(tag?: string) {
    return Machine.query()
      .withCount('slots')
      .if(tag, (query) => query.where('tags', 'like', `%"${tag}"%`))
      .orderBy('code')
  }

  /** Every tag in use, sorted, for the list's filter. */
  protected async allTags(): Promise<string[]> {
    const rows = await Machine.query().whereNotNull('tags').select('tags')
    return [...new Set(rows.flatMap((machine) => machine.tags))].sort()
  }

  protected async liveState(machine: Machine) {
    const events = await DeviceEvent.query()
      .where('machine_id', machine.id)
      .orderBy('id', 'desc')
      .limit(MONITOR_ROWS)
    const testVends = await Order.query()
      .where('machine_id', machine.id)
      .where('is_test', true)
      .preload('product')
      .orderBy('id', 'desc')
      .limit(5)
    return { machine, events, testVends, deviceOps: await this.deviceOperations(machine.id) }
  }

  /**
   * The latest remote operations and their answers, from the monitor, for
   * the Device card: the last `reboot` and the `reboot_ack` after it, the
   * last `config_applied` (its refused fields) and a `config` still
   * unanswered.
   */
  protected async deviceOperations(machineId: number) {
    const latest = (event: string) =>
      DeviceEvent.query()
        .where('machine_id', machineId)
        .where('event', event)
        .orderBy('id', 'desc')
        .first()
    const [reboot, rebootAck, config, configApplied] = await Promise.all([
      latest(ServerToDeviceEvent.Reboot),
      latest(DeviceToServerEvent.RebootAck),
      latest(ServerToDeviceEvent.Config),
      latest(DeviceToServerEvent.ConfigApplied),
    ])
    return {
      reboot,
      rebootAck: reboot && rebootAck && rebootAck.id > reboot.id ? rebootAck : null,
      configApplied,
      configPending: config && (!configApplied || configApplied.id < config.id) ? config : null,
    }
  }

  /**
   * A short-lived, encrypted ticket for the page's `/admin` socket (see
   * `DashboardController.show`).
   */
  protected liveTicket(userId: number) {
    return issueLiveTicket(userId, 'admin-live')
  }

  /**
   * The one-time key page, never cached, with the `config.h` lines for the
   * ESP32 sketch. The server address comes from APP_URL when set (the
   * address devices use), else from this request.
   */
  protected renderKey(
    { view, request, response }: HttpContext,
    machine: Machine,
    deviceKey: string,
    reason: 'created' | 'rotated'
  ) {
    const url = new URL(publicBaseUrl(request))
    const tls = url.protocol === 'https:'
    const server = {
      host: url.hostname,
      port: Number(url.port || (tls ? 443 : 80)),
      path: url.pathname.replace(/\/+$/, ''),
      tls,
    }
    response.header('Cache-Control', 'no-store')
    return view.render('pages/admin/machines/key', {
      title: `Device key for ${machine.code}`,
      active: 'machines',
      machine,
      deviceKey,
      server,
      reason,
    })
  }
}
