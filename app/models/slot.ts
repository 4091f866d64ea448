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

  /**
   * This machine's price for the slot's product, integer paise (> 0), or
   * null for the product's own price. Cleared when the slot's product
   * changes (`UpdateSlot`): an override was set for one product. What a
   * shopper pays is `effectivePricePaise()`; an order keeps the price it
   * was charged, so changing this never changes a placed order.
   */
  @column()
  declare pricePaise: number | null

  /**
   * Par level: the units a restock fills this slot to, or null for its
   * capacity. Read it through `effectiveParLevel`, which also caps a par
   * left above a capacity that was cut later.
   */
  @column()
  declare parLevel: number | null

  /**
   * The units to fill this slot to on a visit: the par level, else the
   * capacity, never above the capacity. The pick list's `par`.
   */
  get effectiveParLevel(): number {
    return Math.min(this.parLevel ?? this.capacity, this.capacity)
  }

  /**
   * Set when a vend from this slot ended with its real count unknown
   * (`jam`, `sensor_fault`, `interrupted`, no result): the operator should
   * look (`Slot.flagForCheck`). `needsCheckReason` is that vend's failure
   * reason and `needsCheckOrderId` its order. Cleared by a restock or
   * `ClearSlotCheck`.
   */
  @column.dateTime()
  declare needsCheckAt: DateTime | null

  @column()
  declare needsCheckReason: string | null

  @column()
  declare needsCheckOrderId: number | null

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
    query
      .whereNotNull('product_id')
      .where('low_stock_threshold', '>', 0)
      .whereRaw('quantity <= low_stock_threshold')
  })

  /**
   * Takes one unit from `slot` inside the caller's transaction with a
   * conditional decrement (`WHERE quantity > 0` and the same product), so
   * stock never goes below zero under any concurrency, on SQLite and
   * PostgreSQL alike. Test vends and card payments take stock here; a
   * buy (`TakeUnit`) runs the same conditional decrement as
   * `takeUnitPriced` (#services/vend_statements), which also returns the
   * unit's price.
   *
   * @returns false when the slot was empty (or now holds another product)
   */
  static async takeOne(
    trx: TransactionClientContract,
    slot: Pick<Slot, 'id' | 'productId'>
  ): Promise<boolean> {
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
   * (a vend that never left the server or reported `no_drop`, a
   * pay-per-vend hold released), never above its capacity: an operator may
   * have restocked it meanwhile. With `productId`, only while the slot
   * still holds that product (a unit of the old product is not one of the
   * new). One conditional increment, so it is atomic on SQLite and
   * PostgreSQL; the caller makes sure it runs once per vend. The
   * counterpart of `takeOne`.
   *
   * @returns whether a unit went back
   */
  static async putBackOne(
    trx: TransactionClientContract,
    slotId: number,
    productId?: number
  ): Promise<boolean> {
    const query = trx.from('slots').where('id', slotId).whereRaw('quantity < capacity')
    if (productId !== undefined) query.where('product_id', productId)
    const updated = await query.update({
      quantity: sqlExpression(trx, 'quantity + 1'),
      updated_at: dbTimestamp(trx),
    })
    return affectedRows(updated) === 1
  }

  /**
   * Marks slot `slotId` for an operator's check inside the caller's
   * transaction, because vend `orderId` ended with `reason` and left the
   * slot's real count unknown. A slot already marked keeps its first mark:
   * that is the oldest thing nobody looked at yet.
   */
  static async flagForCheck(
    trx: TransactionClientContract,
    slotId: number,
    reason: string,
    orderId: number
  ): Promise<void> {
    await trx
      .from('slots')
      .where('id', slotId)
      .whereNull('needs_check_at')
      .update({
        needs_check_at: dbTimestamp(trx),
        needs_check_reason: reason,
        needs_check_order_id: orderId,
      })
  }

  /**
   * The columns that clear a check mark, for an UPDATE (a restock,
   * `ClearSlotCheck`).
   */
  static readonly CHECK_CLEARED = {
    needs_check_at: null,
    needs_check_reason: null,
    needs_check_order_id: null,
  } as const

  /**
   * Slots marked for a check (`flagForCheck`), the dashboard's list.
   */
  static needingCheck = scope((query) => {
    query.whereNotNull('needs_check_at')
  })

  @belongsTo(() => Product)
  declare product: BelongsTo<typeof Product>

  /**
   * The price a shopper pays for a unit from this slot, integer paise: the
   * slot's override, else its product's price. Expects `product` preloaded
   * (or passed, for a slot read without it).
   *
   * @throws Error when the slot holds no product
   */
  effectivePricePaise(product: Pick<Product, 'pricePaise'> | null = this.product ?? null): number {
    if (this.pricePaise !== null && this.pricePaise !== undefined) return this.pricePaise
    if (!product) throw new Error(`slot ${this.id} holds no product: it has no price`)
    return product.pricePaise
  }

  /**
   * The price of a unit from slot `slotId` as it stands inside the
   * caller's transaction, integer paise: the slot's override, else its
   * product's price (one joined read). Read in the transaction that takes
   * the unit, so a price change racing a buy is either wholly before it
   * or wholly after: the amount charged is the amount the order records.
   *
   * @throws E_ROW_NOT_FOUND when the slot or its product is gone
   */
  static async priceWithin(trx: TransactionClientContract, slotId: number): Promise<number> {
    const row = await trx
      .from('slots')
      .join('products', 'products.id', 'slots.product_id')
      .where('slots.id', slotId)
      .select('slots.price_paise as override', 'products.price_paise as product')
      .firstOrFail()
    return Number(row.override ?? row.product)
  }
}
