import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import encryption from '@adonisjs/core/services/encryption'
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
    // A short-lived, encrypted ticket lets the page's socket prove the
    // session it came from without exposing the session cookie to scripts.
    const liveTicket = encryption.encrypt({ userId: auth.user!.id, purpose: 'admin-live' }, '12h')
    return view.render('pages/admin/dashboard', { title: 'Dashboard', active: 'dashboard', stats: await stats.snapshot(), liveTicket })
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
