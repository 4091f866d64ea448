import { inject } from '@adonisjs/core'
import { randomUUID } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import { TransactionKind } from '#enums/transaction_kind'
import Machine from '#models/machine'
import Order from '#models/order'
import Ledger from '#services/ledger'
import DispatchVend from '#actions/vends/dispatch_vend'
import { oncePerKey } from '#services/idempotency'
import IdempotencyConflictException from '#exceptions/idempotency_conflict_exception'
import { announceOrderUpdate } from '#services/order_events'
import TakeUnit, { type UnitRequest } from '#actions/orders/take_unit'
import { insertOrder } from '#services/vend_statements'

/**
 * A buy request: one unit as `TakeUnit` describes it, and the client's
 * optional Idempotency-Key.
 */
export interface BuyRequest extends UnitRequest {
  idempotencyKey?: string
}

/**
 * The order, and whether the request replayed an earlier Idempotency-Key
 * (nothing charged again).
 */
export interface BuyOutcome {
  order: Order
  replayed: boolean
}

/**
 * Buys one item with the wallet and sends the vend command.
 *
 * In one database transaction: the machine must be online, one unit of
 * stock is taken (`TakeUnit`: `UPDATE slots ... WHERE quantity > 0`) and the price is
 * read by that same statement (the slot's override, else the product's) and
 * debited (`Ledger.post`, `WHERE balance + amount >= 0`), and the order is
 * written `dispensing` when the machine's device can take it now, else
 * `pending` (`DispatchVend.initialStatus`). Both updates are conditional, so
 * concurrent buys can neither oversell nor overdraw on SQLite or
 * PostgreSQL. After commit the command goes to the device
 * (`DispatchVend.send`); an order left `pending` is sent when the device
 * connects, or refunded by the sweeper.
 *
 * An Idempotency-Key is unique per shopper: a repeat returns the first
 * order. Two racing requests with one key are settled by the unique index.
 */
@inject()
export default class BuyProduct {
  constructor(
    protected dispatchVend: DispatchVend,
    protected takeUnit: TakeUnit,
    protected ledger: Ledger
  ) {}

  /**
   * @throws E_ROW_NOT_FOUND (404) for an unknown product
   * @throws ProductUnavailableException (409) for an inactive product
   * @throws UnknownMachineException, UnknownSlotException,
   *   ProductNotInMachineException, IdempotencyConflictException (422)
   * @throws MachineOfflineException, MachineBusyException, OutOfStockException (409)
   * @throws InvalidDisplayCodeException (422) for a machine requiring its code
   * @throws InsufficientBalanceException (402)
   */
  async handle(request: BuyRequest): Promise<BuyOutcome> {
    const { user, idempotencyKey } = request
    // A replay answers with the first order even if the product has since
    // been deactivated or sold out: the earlier order is looked for first.
    const keyed = await oncePerKey(
      idempotencyKey,
      (key) => Order.query().where('user_id', user.id).where('idempotency_key', key).first(),
      async () => {
        const prepared = await this.takeUnit.prepare(request)
        const { machine } = prepared
        return db.transaction(async (trx) => {
          const { slot, machine: current, pricePaise } = await this.takeUnit.within(trx, prepared)
          // Written `dispensing` at once when the command can leave with
          // this commit (`DispatchVend.initialStatus`): the claim is part of
          // the insert.
          const created = await insertOrder(trx, {
            userId: user.id,
            machineId: machine.id,
            slotId: slot.id,
            slotNumber: slot.number,
            productId: prepared.product.id,
            pricePaise,
            status: this.dispatchVend.initialStatus(current),
            commandId: randomUUID(),
            idempotencyKey: idempotencyKey ?? null,
          })
          await this.ledger.post(trx, {
            userId: user.id,
            kind: TransactionKind.Purchase,
            amountPaise: -pricePaise,
            orderId: created.id,
            note: `${prepared.product.name} from ${machine.code} slot ${slot.number}`,
          })
          return created
        })
      }
    )
    if (keyed.earlier)
      return { order: await this.matchReplay(keyed.earlier, request), replayed: true }
    // As stored (`insertOrder` returns the row), for the answer and the
    // announcement alike: no re-read.
    const order = keyed.created
    // Announced before the command leaves, so the shopper never sees the
    // order's state arrive after the device's result.
    announceOrderUpdate(order)
    this.dispatchVend.send(order)
    return { order, replayed: false }
  }

  /**
   * A replayed key must describe the same purchase.
   *
   * @throws IdempotencyConflictException when it does not
   */
  protected async matchReplay(earlier: Order, request: BuyRequest): Promise<Order> {
    const machine = await Machine.find(earlier.machineId)
    const same =
      earlier.productId === request.productId &&
      machine?.code === request.machineCode &&
      (request.slotNumber === undefined || request.slotNumber === earlier.slotNumber)
    if (!same) throw new IdempotencyConflictException()
    return earlier
  }
}
