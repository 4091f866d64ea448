import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'
import { errors as lucidErrors } from '@adonisjs/lucid'
import FirmwareRelease from '#models/firmware_release'
import FirmwareRollout from '#models/firmware_rollout'
import Machine from '#models/machine'
import User from '#models/user'
import StartRollout from '#actions/firmware/start_rollout'
import PauseRollout from '#actions/firmware/pause_rollout'
import ResumeRollout from '#actions/firmware/resume_rollout'
import CancelRollout from '#actions/firmware/cancel_rollout'
import RolloutReport from '#services/rollout_report'
import { issueLiveTicket } from '#services/live_tickets'
import { firmwareRolloutValidator } from '#validators/firmware_rollout'

/** How many rollouts the list shows, newest first. */
const LIST_ROWS = 50

/**
 * Firmware rollouts in the panel: the list, the form that starts one, a
 * rollout's page with its machines (live while the updates run), and its
 * pause, resume and cancel buttons. The rules are the rollout actions'
 * (`#actions/firmware/*`); what is shown comes from `RolloutReport`.
 */
export default class FirmwareRolloutsController {
  /**
   * GET /admin/firmware/rollouts — newest first, with target counts.
   */
  @inject()
  async index({ view, auth }: HttpContext, report: RolloutReport) {
    return view.render('pages/admin/firmware/rollouts/index', {
      title: 'Firmware rollouts',
      active: 'firmware',
      ...(await this.listing(report)),
      liveTicket: issueLiveTicket(auth.user!.id, 'admin-live'),
    })
  }

  /**
   * GET /admin/firmware/rollouts/live — the list's live part, re-fetched
   * when the `/admin` socket says a rollout changed.
   */
  @inject()
  async listFragment({ view }: HttpContext, report: RolloutReport) {
    return view.render('pages/admin/firmware/rollouts/partials/list', await this.listing(report))
  }

  /**
   * GET /admin/firmware/rollouts/new (`?release=<version>` preselects it)
   */
  async create({ view, request }: HttpContext) {
    const [releases, machines] = await Promise.all([
      FirmwareRelease.query().orderBy('id', 'desc'),
      Machine.query().orderBy('code'),
    ])
    return view.render('pages/admin/firmware/rollouts/create', {
      title: 'New rollout',
      active: 'firmware',
      releases,
      machines,
      tags: [...new Set(machines.flatMap((machine) => machine.tags))].sort(),
      preselected: String(request.qs().release ?? ''),
    })
  }

  /**
   * POST /admin/firmware/rollouts — starts a rollout of `version` on the
   * machines picked by `target` (`machines[]`, `tag` or `percent`). A
   * refusal (unknown release or machine, none left to update, a machine
   * already in a rollout) goes back to the form, next to the input that
   * picked the machines.
   */
  @inject()
  async store(ctx: HttpContext, startRollout: StartRollout) {
    const { request, auth, session, response } = ctx
    const data = await request.validateUsing(firmwareRolloutValidator)
    const pickedBy = data.target
    ctx.formRefusal = {
      redirectTo: router.makeUrl('admin.firmware.rollouts.create'),
      fields: {
        unknown_machine: 'machines',
        no_machines_selected: pickedBy,
        machine_in_rollout: pickedBy,
        invalid_selector: 'target',
      },
    }
    const rollout = await startRollout.handle({
      version: data.version,
      machineCodes: pickedBy === 'machines' ? data.machines : undefined,
      tag: pickedBy === 'tag' ? data.tag : undefined,
      percent: pickedBy === 'percent' ? data.percent : undefined,
      canaryCount: data.canary_count,
      failureThreshold: data.failure_threshold,
      actor: auth.user!,
    })
    session.flash('notice', `Rollout #${rollout.id} of ${data.version} started.`)
    return response.redirect().toRoute('admin.firmware.rollouts.show', { id: rollout.id })
  }

  /**
   * GET /admin/firmware/rollouts/:id
   */
  @inject()
  async show({ view, params, auth }: HttpContext, report: RolloutReport) {
    const shown = await this.report(report, Number(params.id))
    return view.render('pages/admin/firmware/rollouts/show', {
      title: `Rollout #${shown.rollout.id}`,
      active: 'firmware',
      ...shown,
      liveTicket: issueLiveTicket(auth.user!.id, 'admin-live'),
    })
  }

  /**
   * GET /admin/firmware/rollouts/:id/live — status, buttons and machines,
   * re-fetched when the `/admin` socket says this rollout changed.
   */
  @inject()
  async showFragment({ view, params }: HttpContext, report: RolloutReport) {
    return view.render(
      'pages/admin/firmware/rollouts/partials/live',
      await this.report(report, Number(params.id))
    )
  }

  /**
   * POST /admin/firmware/rollouts/:id/pause
   */
  @inject()
  async pause(ctx: HttpContext, pauseRollout: PauseRollout) {
    return this.move(ctx, (rollout, actor) => pauseRollout.handle(rollout, actor), 'paused')
  }

  /**
   * POST /admin/firmware/rollouts/:id/resume
   */
  @inject()
  async resume(ctx: HttpContext, resumeRollout: ResumeRollout) {
    return this.move(ctx, (rollout, actor) => resumeRollout.handle(rollout, actor), 'resumed')
  }

  /**
   * POST /admin/firmware/rollouts/:id/cancel
   */
  @inject()
  async cancel(ctx: HttpContext, cancelRollout: CancelRollout) {
    return this.move(ctx, (rollout, actor) => cancelRollout.handle(rollout, actor), 'cancelled')
  }

  /**
   * One operator move on rollout `:id`; a move its status does not allow
   * (409 `invalid_rollout_state`) lands back on its page as a refusal.
   */
  protected async move(
    ctx: HttpContext,
    handle: (rollout: FirmwareRollout, actor: User) => Promise<FirmwareRollout>,
    done: string
  ) {
    const rollout = await FirmwareRollout.findOrFail(ctx.params.id)
    const page = router.makeUrl('admin.firmware.rollouts.show', { id: rollout.id })
    ctx.formRefusal = { redirectTo: page }
    await handle(rollout, ctx.auth.user!)
    ctx.session.flash('notice', `Rollout #${rollout.id} ${done}.`)
    return ctx.response.redirect(page)
  }

  /**
   * The rollout and who started it.
   *
   * @throws E_ROW_NOT_FOUND (404) when there is no rollout `id`
   */
  protected async report(report: RolloutReport, id: number) {
    const rollout = await report.find(id)
    if (!rollout) throw new lucidErrors.E_ROW_NOT_FOUND()
    const creator = rollout.createdBy ? await User.find(rollout.createdBy) : null
    return { rollout, creator }
  }

  protected async listing(report: RolloutReport) {
    const rollouts = await report.latest(LIST_ROWS)
    const ids = [...new Set(rollouts.map((rollout) => rollout.createdBy))].filter(
      (id): id is number => id !== null
    )
    const creators = Object.fromEntries(
      (ids.length ? await User.query().whereIn('id', ids) : []).map((user) => [user.id, user])
    )
    return { rollouts, creators }
  }
}
