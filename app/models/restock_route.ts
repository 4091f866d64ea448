import { DateTime } from 'luxon'
import { BaseModel, column, manyToMany } from '@adonisjs/lucid/orm'
import type { ManyToMany } from '@adonisjs/lucid/types/relations'
import Machine from '#models/machine'

/**
 * A restock route: a named, ordered group of machines a restocker visits
 * in one trip (`SaveRestockRoute`). A machine is on at most one route;
 * the pivot's `position` (0, 1, …) is the visit order.
 */
export default class RestockRoute extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare name: string

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime | null

  /**
   * The route's machines; order by `restock_route_machines.position` for
   * the visit order (`pivot_position` on each machine's `$extras`).
   */
  @manyToMany(() => Machine, {
    pivotTable: 'restock_route_machines',
    pivotForeignKey: 'route_id',
    pivotRelatedForeignKey: 'machine_id',
    pivotColumns: ['position'],
  })
  declare machines: ManyToMany<typeof Machine>
}
