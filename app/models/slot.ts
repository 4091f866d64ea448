import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column, scope } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { affectedRows, dbTimestamp, sqlExpression } from '#services/db_helpers'
import Machine from '#models/machine'
import Product from '#models/product'

/**
 * One position of a machine's planogram: which product sits in slot
 * `number`, how many units are in it (`quantity`) and how many fit
 * (`capacity`), and at how many it counts as low (`lowStockThreshold`).
 * Unique per machine and number.
 */
export default class Slot extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare machineId: number

  @column()
  declare number: number

  @column()
  declare productId: number | null

  @column()
  declare quantity: number

  @column()
  declare capacity: number

  /**
   * The slot is low (an email alert, `CheckAlerts`, and the dashboard's
   * list) at this many units or fewer; 0 turns that off. Default 2.
   */
  @column()
  declare lowStockThreshold: number

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime | null

  @belongsTo(() => Machine)
  declare machine: BelongsTo<typeof Machine>

  /**
   * Slots low on stock: holding a product, with an alert threshold (not 0)
   * and at most that many units. The one rule behind the low-stock email
   * alerts (`CheckAlerts`) and the dashboard's list (`FleetStats`).
   */
  static lowOnStock = scope((query) => {
    query.whereNotNull('product_id').where('low_stock_threshold', '>', 0).whereRaw('quantity <= low_stock_threshold')
  })

  /**
   * Takes one unit from `slot` inside the caller's transaction with a
   * conditional decrement (`WHERE quantity > 0` and the same product), so
   * stock never goes below zero under any concurrency, on SQLite and
   * PostgreSQL alike. The one place a vend takes stock (buys, test vends).
   *
   * @returns false when the slot was empty (or now holds another product)
   */
  static async takeOne(trx: TransactionClientContract, slot: Pick<Slot, 'id' | 'productId'>): Promise<boolean> {
    const taken = await trx
      .from('slots')
      .where('id', slot.id)
      .where('product_id', slot.productId!)
      .where('quantity', '>', 0)
      .update({ quantity: sqlExpression(trx, 'quantity - 1'), updated_at: dbTimestamp(trx) })
    return affectedRows(taken) === 1
  }

  /**
   * Gives one unit back to slot `slotId` inside the caller's transaction
   * (a vend that never left the server, a pay-per-vend hold released),
   * never above its capacity: an operator may have restocked it meanwhile.
   * The counterpart of `takeOne`.
   */
  static async putBackOne(trx: TransactionClientContract, slotId: number): Promise<void> {
    await trx
      .from('slots')
      .where('id', slotId)
      .whereRaw('quantity < capacity')
      .update({ quantity: sqlExpression(trx, 'quantity + 1'), updated_at: dbTimestamp(trx) })
  }

  @belongsTo(() => Product)
  declare product: BelongsTo<typeof Product>
}
