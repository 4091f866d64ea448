import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import type { QueryClientContract, TransactionClientContract } from '@adonisjs/lucid/types/database'
import vendingConfig from '#config/vending'
import { AWAITING_RESULT, OrderStatus, canTransition } from '#enums/order_status'
import InvalidOrderTransitionException from '#exceptions/invalid_order_transition_exception'
import { affectedRows, dbTimestamp, lockRowForUpdate } from '#services/db_helpers'
import User from '#models/user'
import Machine from '#models/machine'
import Slot from '#models/slot'
import Product from '#models/product'

/**
 * Timestamp columns a transition may stamp.
 */
type TransitionStamp = 'dispatchedAt' | 'completedAt' | 'failedAt' | 'refundedAt'

const STAMP_COLUMNS: Record<TransitionStamp, string> = {
  dispatchedAt: 'dispatched_at',
  completedAt: 'completed_at',
  failedAt: 'failed_at',
  refundedAt: 'refunded_at',
}

/**
 * A paid purchase of one unit from one slot. `pricePaise` is what the
 * shopper paid (integer paise), copied from the product at purchase time.
 * `commandId` (UUID) identifies the vend command on the device side.
 */
export default class Order extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare userId: number

  @column()
  declare machineId: number

  @column()
  declare slotId: number

  @column()
  declare slotNumber: number

  @column()
  declare productId: number

  @column()
  declare pricePaise: number

  @column()
  declare status: OrderStatus

  @column()
  declare commandId: string

  @column()
  declare idempotencyKey: string | null

  @column()
  declare failureReason: string | null

  /**
   * An operator's test vend from the panel: free (`pricePaise` 0), owned by
   * the operator, never touching the ledger.
   */
  @column({ consume: (value) => Boolean(value) })
  declare isTest: boolean

  /**
   * Set when the item was paid per vend with a card payment instead of the
   * wallet: refunds go back to the card (`IssueCardRefund`), not the ledger.
   */
  @column()
  declare paymentId: number | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime | null

  @column.dateTime()
  declare dispatchedAt: DateTime | null

  @column.dateTime()
  declare completedAt: DateTime | null

  @column.dateTime()
  declare failedAt: DateTime | null

  @column.dateTime()
  declare refundedAt: DateTime | null

  @belongsTo(() => User)
  declare user: BelongsTo<typeof User>

  @belongsTo(() => Machine)
  declare machine: BelongsTo<typeof Machine>

  @belongsTo(() => Slot)
  declare slot: BelongsTo<typeof Slot>

  @belongsTo(() => Product)
  declare product: BelongsTo<typeof Product>

  /**
   * The vend command's deadline: its dispatch time plus `VEND_TIMEOUT_MS`
   * (firmware/PROTOCOL.md §3, `expires_at`). Fixed at the first dispatch,
   * so a redelivery never extends it; past it the server sends the
   * command no more and the device turns no motor for it. Null while the
   * order was never dispatched.
   */
  get vendExpiresAt(): DateTime | null {
    return this.dispatchedAt
      ? this.dispatchedAt.plus({ milliseconds: vendingConfig.vendTimeoutMs })
      : null
  }

  /**
   * Whether machine `machineId` has a vend in flight: an order paid and
   * not yet settled (`pending` or `dispensing`, `AWAITING_RESULT`). A
   * firmware update or a reboot must wait for it (firmware/PROTOCOL.md
   * §13: the device refuses both while a vend runs or waits).
   */
  static async hasVendInFlight(machineId: number, client?: QueryClientContract): Promise<boolean> {
    const query = client ? Order.query({ client }) : Order.query()
    const row = await query
      .where('machine_id', machineId)
      .whereIn('status', [...AWAITING_RESULT])
      .select('id')
      .first()
    return row !== null
  }

  /**
   * Reads an order inside a transaction, row-locked on PostgreSQL (SQLite
   * already serializes writers), so the status a decision is based on
   * cannot change until the transaction ends.
   *
   * @throws E_ROW_NOT_FOUND when there is no such order
   */
  static lockForUpdate(trx: TransactionClientContract, orderId: number): Promise<Order> {
    return lockRowForUpdate(Order, trx, orderId)
  }

  /**
   * Moves order `orderId` from one of `from` to `to` with a conditional
   * UPDATE (`WHERE status IN from`), so of two racing callers exactly one
   * wins. Every status change goes through here; the allowed moves are
   * `ORDER_TRANSITIONS` in `#enums/order_status`.
   *
   * A single conditional UPDATE is atomic by itself: `client` is the
   * caller's transaction when the move must commit with other writes, or
   * a plain connection when it stands alone.
   *
   * @param stamp timestamp column set to `at` (default now) with the move
   * @param extra other columns to set, e.g. `{ failure_reason: 'jam' }`
   * @returns true when this call made the move, false when the order was
   *   not in any of `from` (someone else moved it first)
   * @throws InvalidOrderTransitionException when a `from → to` pair is not
   *   allowed at all (a programming error, never bad input)
   */
  static async transition(
    client: QueryClientContract,
    orderId: number,
    from: OrderStatus | readonly OrderStatus[],
    to: OrderStatus,
    stamp?: TransitionStamp,
    extra: Record<string, string | number | null> = {},
    at: DateTime = DateTime.now()
  ): Promise<boolean> {
    const sources = Array.isArray(from) ? from : [from as OrderStatus]
    for (const source of sources) {
      if (!canTransition(source, to)) throw new InvalidOrderTransitionException(source, to)
    }

    const now = dbTimestamp(client, at)
    const changes: Record<string, string | number | null> = {
      ...extra,
      status: to,
      updated_at: now,
    }
    if (stamp) changes[STAMP_COLUMNS[stamp]] = now

    const result = await client
      .from('orders')
      .where('id', orderId)
      .whereIn('status', sources)
      .update(changes)
    return affectedRows(result) === 1
  }

  /**
   * Moves this order like `Order.transition` (same rules, same conditional
   * UPDATE) and, when the move was made, updates this instance to match
   * without reading the row again (a `dropped` result settles in this one
   * statement).
   *
   * @param from the statuses the move may start from (default: this
   *   instance's status)
   * @returns whether this call made the move
   * @throws InvalidOrderTransitionException as `Order.transition`
   */
  async advance(
    client: QueryClientContract,
    to: OrderStatus,
    stamp?: TransitionStamp,
    from: OrderStatus | readonly OrderStatus[] = this.status
  ): Promise<boolean> {
    // What the column will hold: SQLite's format keeps whole seconds.
    const now = DateTime.now()
    const at = client.dialect.dateTimeFormat.includes('SSS') ? now : now.startOf('second')
    const moved = await Order.transition(client, this.id, from, to, stamp, {}, at)
    if (!moved) return false
    this.status = to
    this.updatedAt = at
    if (stamp) this[stamp] = at
    // Mirrors the row: nothing is left for a later save() to write.
    this.$hydrateOriginals()
    return true
  }
}
