import { DateTime } from 'luxon'
import type { QueryClientContract, TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { RawQueryBindings } from '@adonisjs/lucid/types/querybuilder'
import { MachineStatus } from '#enums/machine_status'
import { AWAITING_RESULT, OrderStatus, canTransition } from '#enums/order_status'
import { RolloutTargetState } from '#enums/rollout_target_state'
import Order from '#models/order'
import { dbTimestamp } from '#services/db_helpers'

/*
|--------------------------------------------------------------------------
| The vend path's statements
|--------------------------------------------------------------------------
|
| The few statements every buy runs (buy → claim → `vend` → `vend_result` →
| settle), written as prepared raw SQL: no query building, no model
| hydration where a plain row does, and one statement where the query
| builder took two (RETURNING instead of a re-read). The SQL text of each
| is constant, so SQLite reuses its prepared statement (config/database.ts)
| and PostgreSQL gets the same text every time. Each one says which
| guarantee it keeps; the actions that call them (BuyProduct, TakeUnit,
| SettleVend, DeviceMonitor) remain the entry points and keep the rules.
| Everything else stays on Lucid models.
|
| Works on SQLite (3.35+ for RETURNING) and PostgreSQL alike: `?`
| placeholders, unquoted names, no dialect-only syntax.
*/

/**
 * Rows of a raw statement: better-sqlite3 answers an array for a statement
 * that returns rows, pg a result with `rows`.
 */
function rowsOf<Row>(result: unknown): Row[] {
  if (Array.isArray(result)) return result as Row[]
  return ((result as { rows?: Row[] } | null)?.rows ?? []) as Row[]
}

/**
 * Bindings of a raw statement. knex binds `null` as SQL NULL; Lucid's
 * binding type leaves it out.
 */
function bind(values: (string | number | null)[]): RawQueryBindings {
  return values as RawQueryBindings
}

/**
 * A stored time as the driver hands it over (SQLite: text in Lucid's
 * format; PostgreSQL: a Date), as a DateTime, or null.
 */
function readTime(value: unknown): DateTime | null {
  if (!value) return null
  if (value instanceof Date) return DateTime.fromJSDate(value)
  return DateTime.fromSQL(String(value))
}

/**
 * Rollout states during which a machine is installing an update and
 * starts no vend (firmware/PROTOCOL.md §13.1), as
 * `FirmwareRolloutTarget.isInstalling` reads them.
 */
const INSTALLING_STATES = [
  RolloutTargetState.Downloading,
  RolloutTargetState.Verifying,
  RolloutTargetState.Rebooting,
] as const

/**
 * What a buy needs of its machine, read inside its transaction: the
 * status, the session lock's two columns and whether an update is being
 * installed on it.
 */
export interface MachineForVend {
  id: number
  status: MachineStatus
  sessionUserId: number | null
  sessionExpiresAt: DateTime | null
  installing: boolean
}

const READ_MACHINE = `select id, status, session_user_id, session_expires_at,
  exists (select 1 from firmware_rollout_targets
    where firmware_rollout_targets.machine_id = machines.id and state in (?, ?, ?)) as installing
  from machines where id = ?`

/**
 * Machine `machineId` as the buy's transaction sees it, or null when it is
 * gone.
 *
 * Guarantee: the machine must be online, not held by another shopper's
 * session and not installing firmware when the unit is taken. Read in the
 * buy's transaction, after any earlier commit, so a machine that went
 * offline or started an update before this buy is refused; one statement
 * for what the query builder read in two (the machine, then its rollout
 * targets). The session read may still be stale: the conditional claim
 * (`MachineSession.claimWithin`) settles a race, as before.
 */
export async function readMachineForVend(
  trx: TransactionClientContract,
  machineId: number
): Promise<MachineForVend | null> {
  const [row] = rowsOf<{
    id: number
    status: MachineStatus
    session_user_id: number | null
    session_expires_at: unknown
    installing: boolean | number
  }>(await trx.rawQuery(READ_MACHINE, [...INSTALLING_STATES, machineId]))
  if (!row) return null
  return {
    id: Number(row.id),
    status: row.status,
    sessionUserId: row.session_user_id === null ? null : Number(row.session_user_id),
    sessionExpiresAt: readTime(row.session_expires_at),
    installing: Boolean(row.installing),
  }
}

const TAKE_UNIT = `update slots set quantity = quantity - 1, updated_at = ?
  where id = ? and product_id = ? and quantity > 0
  returning coalesce(price_paise, (select price_paise from products where products.id = ?)) as price_paise`

/**
 * Takes one unit from slot `slotId` (holding `productId`) and reads the
 * unit's price, in the caller's transaction.
 *
 * Guarantees:
 * - no oversell: one conditional decrement (`WHERE quantity > 0` and the
 *   same product), atomic on SQLite and PostgreSQL, as `Slot.takeOne`;
 * - the amount charged is the amount recorded: the price (the slot's
 *   override, else the product's, as `Slot.priceWithin`) is read by the
 *   same statement that wrote the slot's row, inside the transaction that
 *   charges it, instead of by a second SELECT.
 *
 * @returns the unit's price in integer paise, or null when the slot had
 *   no unit left (or now holds another product)
 */
export async function takeUnitPriced(
  trx: TransactionClientContract,
  slotId: number,
  productId: number
): Promise<number | null> {
  const [row] = rowsOf<{ price_paise: number | string | null }>(
    await trx.rawQuery(TAKE_UNIT, [dbTimestamp(trx), slotId, productId, productId])
  )
  if (!row) return null
  if (row.price_paise === null) throw new Error(`product ${productId} has no price`)
  return Number(row.price_paise)
}

/**
 * A new order's columns.
 */
export interface NewOrder {
  userId: number
  machineId: number
  slotId: number
  slotNumber: number
  productId: number
  pricePaise: number
  status: OrderStatus.Pending | OrderStatus.Dispensing
  commandId: string
  idempotencyKey: string | null
}

/*
 * The moves these statements make outside `Order.transition` (creating an
 * order `dispensing`, completing an awaiting one) must be allowed ones
 * (`ORDER_TRANSITIONS`); checked once, when the module loads.
 */
for (const [from, to] of [
  [OrderStatus.Pending, OrderStatus.Dispensing],
  ...AWAITING_RESULT.map((status) => [status, OrderStatus.Completed]),
]) {
  if (!canTransition(from, to)) throw new Error(`order transition ${from} → ${to} is not allowed`)
}

const INSERT_ORDER = `insert into orders
  (user_id, machine_id, slot_id, slot_number, product_id, price_paise, status, command_id,
   idempotency_key, created_at, updated_at, dispatched_at)
  values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  returning *`

/**
 * Inserts an order in the caller's transaction and returns it as stored.
 *
 * Guarantees:
 * - one vend per command: `command_id` is a fresh UUID under a unique
 *   index; an Idempotency-Key is unique per shopper (the index settles a
 *   race, `oncePerKey`);
 * - `dispensing` from the start (with `dispatched_at`, the command's
 *   deadline base) only when the caller's transaction may claim it
 *   (`DispatchVend.initialStatus`): nobody sees the row before the commit,
 *   so this is the `pending → dispensing` transition made in the same
 *   transaction, one statement instead of an INSERT and an UPDATE;
 * - the times in the answer are the stored ones (RETURNING * replaces the
 *   re-read after commit).
 */
export async function insertOrder(trx: TransactionClientContract, order: NewOrder): Promise<Order> {
  const now = dbTimestamp(trx)
  const [row] = rowsOf<Record<string, unknown>>(
    await trx.rawQuery(
      INSERT_ORDER,
      bind([
        order.userId,
        order.machineId,
        order.slotId,
        order.slotNumber,
        order.productId,
        order.pricePaise,
        order.status,
        order.commandId,
        order.idempotencyKey,
        now,
        now,
        order.status === OrderStatus.Dispensing ? now : null,
      ])
    )
  )
  return Order.$createFromAdapterResult(row)!
}

const COMPLETE_BY_COMMAND = `update orders set status = ?, updated_at = ?, completed_at = ?
  where command_id = ? and machine_id = ? and status in (?, ?)
  returning *`

/**
 * Completes the order of command `commandId` on machine `machineId` (its
 * device reported `dropped`) and returns it as stored, or null when no
 * order of this machine awaits a result under that command.
 *
 * Guarantees:
 * - a device settles only its own machine's orders (`machine_id`);
 * - a paid order is settled once: the conditional UPDATE (`status IN
 *   (pending, dispensing)`) lets exactly one of two racing results (or a
 *   result and the sweeper's timeout) win; a repeated result finds
 *   nothing. One statement where finding the order and moving it took two.
 */
export async function completeByCommand(
  client: QueryClientContract,
  machineId: number,
  commandId: string
): Promise<Order | null> {
  const now = dbTimestamp(client)
  const [row] = rowsOf<Record<string, unknown>>(
    await client.rawQuery(COMPLETE_BY_COMMAND, [
      OrderStatus.Completed,
      now,
      now,
      commandId,
      machineId,
      ...AWAITING_RESULT,
    ])
  )
  return row ? Order.$createFromAdapterResult(row)! : null
}

/**
 * One communication monitor entry to write.
 */
export interface DeviceEventRow {
  machineId: number
  direction: string
  event: string
  payload: Record<string, unknown> | null
}

/** The statement for `count` rows, kept: batches come in a few sizes. */
const insertEventsSql = new Map<number, string>()

/**
 * Appends `rows` to the communication monitor (`device_events`) in one
 * INSERT, in the order given.
 *
 * Guarantee: the monitor keeps every event and shows them in the order
 * they happened (ids follow the VALUES order); the caller (`DeviceMonitor`)
 * runs batches in each machine's write order. Nothing else depends on it.
 */
export async function insertDeviceEvents(
  client: QueryClientContract,
  rows: DeviceEventRow[]
): Promise<void> {
  if (rows.length === 0) return
  let sql = insertEventsSql.get(rows.length)
  if (!sql) {
    sql = `insert into device_events (machine_id, direction, event, payload, created_at) values ${Array.from(
      { length: rows.length },
      () => '(?, ?, ?, ?, ?)'
    ).join(', ')}`
    if (insertEventsSql.size < 64) insertEventsSql.set(rows.length, sql)
  }
  const now = dbTimestamp(client)
  await client.rawQuery(
    sql,
    bind(
      rows.flatMap((row) => [
        row.machineId,
        row.direction,
        row.event,
        row.payload ? JSON.stringify(row.payload) : null,
        now,
      ])
    )
  )
}
