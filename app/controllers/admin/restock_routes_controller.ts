import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import Machine from '#models/machine'
import RestockRoute from '#models/restock_route'
import SaveRestockRoute from '#actions/restock/save_restock_route'
import { orderedMachineIds, restockRouteValidator } from '#validators/restock'

/**
 * Restock routes: named, ordered groups of machines for the pick list.
 */
export default class RestockRoutesController {
  /**
   * GET /admin/restock/routes
   */
  async index({ view }: HttpContext) {
    const routes = await RestockRoute.query()
      .preload('machines', (query) => query.orderBy('restock_route_machines.position'))
      .orderBy('name')
    return view.render('pages/admin/restock/routes/index', {
      title: 'Restock routes',
      active: 'restock',
      routes,
    })
  }

  /**
   * GET /admin/restock/routes/create
   */
  async create({ view }: HttpContext) {
    return view.render('pages/admin/restock/routes/form', {
      title: 'New restock route',
      active: 'restock',
      restockRoute: null,
      ...(await this.machineChoices(null)),
    })
  }

  /**
   * POST /admin/restock/routes
   */
  @inject()
  async store({ request, auth, session, response }: HttpContext, saveRoute: SaveRestockRoute) {
    const input = await request.validateUsing(restockRouteValidator, { meta: { routeId: null } })
    const route = await saveRoute.handle(auth.user!, null, {
      name: input.name,
      machineIds: orderedMachineIds(input.positions),
    })
    session.flash('notice', `Route ${route.name} saved.`)
    return response.redirect().toRoute('admin.restock.routes.index')
  }

  /**
   * GET /admin/restock/routes/:id/edit
   */
  async edit({ params, view }: HttpContext) {
    const route = await RestockRoute.findOrFail(params.id)
    return view.render('pages/admin/restock/routes/form', {
      title: `Route ${route.name}`,
      active: 'restock',
      restockRoute: route,
      ...(await this.machineChoices(route.id)),
    })
  }

  /**
   * POST /admin/restock/routes/:id
   */
  @inject()
  async update(
    { params, request, auth, session, response }: HttpContext,
    saveRoute: SaveRestockRoute
  ) {
    const route = await RestockRoute.findOrFail(params.id)
    const input = await request.validateUsing(restockRouteValidator, {
      meta: { routeId: route.id },
    })
    await saveRoute.handle(auth.user!, route.id, {
      name: input.name,
      machineIds: orderedMachineIds(input.positions),
    })
    session.flash('notice', `Route ${input.name} saved.`)
    return response.redirect().toRoute('admin.restock.routes.index')
  }

  /**
   * POST /admin/restock/routes/:id/delete — the machines stay; they are
   * just on no route.
   */
  async destroy({ params, session, response }: HttpContext) {
    const route = await RestockRoute.findOrFail(params.id)
    await route.delete()
    session.flash('notice', `Route ${route.name} deleted.`)
    return response.redirect().toRoute('admin.restock.routes.index')
  }

  /**
   * Every machine with its stop on route `routeId` (null: not on it) and
   * the other route it is on, if any, for the form.
   */
  protected async machineChoices(routeId: number | null) {
    const machines = await Machine.query()
      .leftJoin('restock_route_machines', 'restock_route_machines.machine_id', 'machines.id')
      .leftJoin('restock_routes', 'restock_routes.id', 'restock_route_machines.route_id')
      .select(
        'machines.id',
        'machines.code',
        'machines.name',
        'restock_route_machines.route_id as route_id',
        'restock_route_machines.position as route_position',
        'restock_routes.name as route_name'
      )
      .orderBy('machines.code')
    return {
      machines: machines.map((machine) => {
        const onThis = routeId !== null && Number(machine.$extras.route_id) === routeId
        return {
          id: machine.id,
          code: machine.code,
          name: machine.name,
          stop: onThis ? Number(machine.$extras.route_position) + 1 : null,
          otherRoute:
            !onThis && machine.$extras.route_id ? String(machine.$extras.route_name) : null,
        }
      }),
    }
  }
}
