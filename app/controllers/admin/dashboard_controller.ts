import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { issueLiveTicket } from '#services/live_tickets'
import FleetStats from '#services/fleet_stats'

/**
 * The fleet at a glance, kept live over the `/admin` socket namespace.
 */
export default class DashboardController {
  /**
   * GET /admin
   */
  @inject()
  async show({ view, auth }: HttpContext, stats: FleetStats) {
    const liveTicket = issueLiveTicket(auth.user!.id, 'admin-live')
    return view.render('pages/admin/dashboard', {
      title: 'Dashboard',
      active: 'dashboard',
      stats: await stats.snapshot(),
      liveTicket,
    })
  }

  /**
   * GET /admin/dashboard/live — the dashboard's figures as an HTML
   * fragment, fetched by the page when the socket says something changed.
   */
  @inject()
  async fragment({ view }: HttpContext, stats: FleetStats) {
    return view.render('pages/admin/partials/dashboard_body', { stats: await stats.snapshot() })
  }
}
