import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import RestockRoute from '#models/restock_route'
import type User from '#models/user'
import AuditTrail from '#services/audit_trail'
import { isUniqueViolation } from '#services/db_helpers'
import { fieldError } from '#validators/planogram'

/**
 * A route as the form gives it: a name and its machines in visit order.
 */
export interface RouteInput {
  name: string
  machineIds: number[]
}

/**
 * Creates a restock route (`routeId` null) or replaces an existing one's
 * name and machines, the machines' positions being their order in
 * `machineIds`, in one transaction with an audit row.
 *
 * A machine is on at most one route. A machine already on another route
 * is REFUSED (a form error naming it and its route), not moved: moving it
 * silently would change a route somebody else planned; the operator takes
 * it off the other route first. The unique index on
 * `restock_route_machines.machine_id` holds the rule under races too.
 */
@inject()
export default class SaveRestockRoute {
  constructor(protected auditTrail: AuditTrail) {}

  /**
   * @throws E_VALIDATION_ERROR on `name` (taken) or `machines` (unknown
   *   machine, or one on another route)
   * @throws E_ROW_NOT_FOUND when `routeId` names no route
   */
  async handle(actor: User, routeId: number | null, input: RouteInput): Promise<RestockRoute> {
    const machineIds = [...new Set(input.machineIds)]
    try {
      return await db.transaction(async (trx) => {
        if (machineIds.length) {
          const known = await trx.from('machines').whereIn('id', machineIds).select('id')
          if (known.length !== machineIds.length) {
            throw fieldError('machines', 'One of the machines no longer exists.')
          }
          const taken = await trx
            .from('restock_route_machines')
            .join('machines', 'machines.id', 'restock_route_machines.machine_id')
            .join('restock_routes', 'restock_routes.id', 'restock_route_machines.route_id')
            .whereIn('restock_route_machines.machine_id', machineIds)
            .if(routeId !== null, (query) =>
              query.whereNot('restock_route_machines.route_id', routeId!)
            )
            .select('machines.code', 'restock_routes.name')
            .orderBy('machines.code')
          if (taken.length) {
            throw fieldError(
              'machines',
              `Already on another route: ${taken.map((row) => `${row.code} (${row.name})`).join(', ')}. Take them off that route first.`
            )
          }
        }

        const route =
          routeId === null
            ? await RestockRoute.create({ name: input.name }, { client: trx })
            : await RestockRoute.findOrFail(routeId, { client: trx })
        const before = routeId === null ? null : await this.describe(trx, route)
        if (routeId !== null) {
          route.name = input.name
          await route.useTransaction(trx).save()
          await trx.from('restock_route_machines').where('route_id', route.id).delete()
        }
        if (machineIds.length) {
          await trx.table('restock_route_machines').multiInsert(
            machineIds.map((machineId, position) => ({
              route_id: route.id,
              machine_id: machineId,
              position,
            }))
          )
        }
        await this.auditTrail.record(
          {
            actor,
            action: routeId === null ? 'restock_route.create' : 'restock_route.update',
            subjectType: 'restock_route',
            subjectId: route.id,
            before,
            after: { name: input.name, machine_ids: machineIds },
          },
          trx
        )
        return route
      })
    } catch (error) {
      if (!isUniqueViolation(error)) throw error
      // Raced another save: which unique index refused says which field.
      throw /name/i.test(String((error as Error).message))
        ? fieldError('name', 'Another route has this name.')
        : fieldError(
            'machines',
            'A machine was put on another route meanwhile. Please check and submit again.'
          )
    }
  }

  /**
   * The route as the audit row shows it: name and machine ids in order.
   */
  protected async describe(trx: TransactionClientContract, route: RestockRoute) {
    const rows = await trx
      .from('restock_route_machines')
      .where('route_id', route.id)
      .orderBy('position')
      .select('machine_id')
    return { name: route.name, machine_ids: rows.map((row) => Number(row.machine_id)) }
  }
}
