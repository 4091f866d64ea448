import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import FirmwareRelease from '#models/firmware_release'
import FirmwareRollout from '#models/firmware_rollout'
import FirmwareRolloutTarget from '#models/firmware_rollout_target'
import Machine from '#models/machine'
import { issueLiveTicket } from '#services/live_tickets'

/**
 * Firmware rollouts in the panel: the list, the form that starts one, and
 * a rollout's page with its machines, live while the updates run. The
 * rules are the rollout actions' (`#actions/firmware/*`).
 */
export default class FirmwareRolloutsController {
  /**
   * GET /admin/firmware/rollouts — newest first, with target counts.
   */
  async index({ view, auth }: HttpContext) {
    return view.render('pages/admin/firmware/rollouts/index', {
      title: 'Firmware rollouts',
      active: 'firmware',
      ...(await this.listing()),
      liveTicket: issueLiveTicket(auth.user!.id, 'admin-live'),
    })
  }

  /**
   * GET /admin/firmware/rollouts/live — the list's live part, re-fetched
   * when the `/admin` socket says a rollout changed.
   */
  async listFragment({ view }: HttpContext) {
    return view.render('pages/admin/firmware/rollouts/partials/list', await this.listing())
  }

  /**
   * GET /admin/firmware/rollouts/new (`?release=<version>` preselects it)
   */
  async create({ view, request }: HttpContext) {
    const [releases, machines, tagged] = await Promise.all([
      FirmwareRelease.query().orderBy('id', 'desc'),
      Machine.query().select('id', 'code', 'name', 'firmware_version').orderBy('code'),
      Machine.query().whereNotNull('tags').select('tags'),
    ])
    return view.render('pages/admin/firmware/rollouts/create', {
      title: 'New rollout',
      active: 'firmware',
      releases,
      machines,
      tags: [...new Set(tagged.flatMap((machine) => machine.tags))].sort(),
      preselected: String(request.qs().release ?? ''),
    })
  }

  /**
   * GET /admin/firmware/rollouts/:id
   */
  async show({ view, params, auth }: HttpContext) {
    return view.render('pages/admin/firmware/rollouts/show', {
      title: `Rollout #${params.id}`,
      active: 'firmware',
      ...(await this.report(Number(params.id))),
      liveTicket: issueLiveTicket(auth.user!.id, 'admin-live'),
    })
  }

  /**
   * GET /admin/firmware/rollouts/:id/live — status, actions and machines,
   * re-fetched when the `/admin` socket says this rollout changed.
   */
  async showFragment({ view, params }: HttpContext) {
    return view.render(
      'pages/admin/firmware/rollouts/partials/live',
      await this.report(Number(params.id))
    )
  }

  protected async report(id: number) {
    const rollout = await FirmwareRollout.query()
      .where('id', id)
      .preload('release')
      .preload('creator')
      .firstOrFail()
    const targets = await FirmwareRolloutTarget.query()
      .where('rollout_id', id)
      .preload('machine')
      .orderBy('stage')
      .orderBy('id')
    return { rollout, targets }
  }

  protected async listing() {
    const rollouts = await FirmwareRollout.query()
      .preload('release')
      .preload('creator')
      .orderBy('id', 'desc')
      .limit(200)
    const rows = await db
      .from('firmware_rollout_targets')
      .whereIn(
        'rollout_id',
        rollouts.map((rollout) => rollout.id)
      )
      .groupBy('rollout_id', 'state')
      .select('rollout_id', 'state')
      .count('* as total')
    const counts: Record<number, Record<string, number>> = {}
    for (const row of rows) {
      ;(counts[row.rollout_id] ??= {})[row.state] = Number(row.total)
    }
    return { rollouts, counts }
  }
}
