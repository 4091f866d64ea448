import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'
import Machine from '#models/machine'
import PushDeviceSettings from '#actions/machines/push_device_settings'
import RequestDeviceLogs from '#actions/machines/request_device_logs'
import RebootMachine from '#actions/machines/reboot_machine'
import { deviceLogsValidator, deviceSettingsValidator } from '#validators/machine_device'

/**
 * The machine page's Device card: remote operations on the machine's
 * device (firmware/PROTOCOL.md §13.2–13.3). Each form posts, the command
 * goes out, and the page says it was sent; the device's answer arrives
 * later and the page shows it (live, through the monitor's
 * `machine_event`, or on reload). A refusal (offline, vend in flight)
 * comes back as the form's error on the machine's page.
 */
export default class MachineDeviceController {
  /**
   * POST /admin/machines/:id/device/settings — push `config` (blank
   * fields unchanged; all blank reads the running values back).
   */
  @inject()
  async settings(ctx: HttpContext, pushDeviceSettings: PushDeviceSettings) {
    const machine = await this.machine(ctx)
    const settings = await ctx.request.validateUsing(deviceSettingsValidator)
    await pushDeviceSettings.handle(ctx.auth.user!, machine, settings)
    ctx.session.flash(
      'notice',
      Object.values(settings).some((value) => value !== undefined)
        ? `Settings sent to ${machine.code}. The values it runs show below once it answers.`
        : `Asked ${machine.code} for its running settings. They show below once it answers.`
    )
    return this.back(ctx, machine)
  }

  /**
   * POST /admin/machines/:id/device/logs — ask for the last log lines.
   */
  @inject()
  async logs(ctx: HttpContext, requestDeviceLogs: RequestDeviceLogs) {
    const machine = await this.machine(ctx)
    const { count } = await ctx.request.validateUsing(deviceLogsValidator)
    await requestDeviceLogs.handle(ctx.auth.user!, machine, count)
    ctx.session.flash(
      'notice',
      `Log request sent to ${machine.code}. Its lines show below once it answers.`
    )
    return this.back(ctx, machine)
  }

  /**
   * POST /admin/machines/:id/device/reboot
   */
  @inject()
  async reboot(ctx: HttpContext, rebootMachine: RebootMachine) {
    const machine = await this.machine(ctx)
    await rebootMachine.handle(ctx.auth.user!, machine)
    ctx.session.flash(
      'notice',
      `Reboot sent to ${machine.code}. Its answer shows below; it goes offline for a few seconds.`
    )
    return this.back(ctx, machine)
  }

  /**
   * The machine, with refusals of its forms sent back to its page.
   */
  protected async machine(ctx: HttpContext) {
    const machine = await Machine.findOrFail(ctx.params.id)
    ctx.formRefusal = { redirectTo: this.page(machine) }
    return machine
  }

  protected page(machine: Machine) {
    return `${router.makeUrl('admin.machines.show', { id: machine.id })}#device`
  }

  protected back({ response }: HttpContext, machine: Machine) {
    return response.redirect(this.page(machine))
  }
}
