import { inject } from '@adonisjs/core'
import { randomUUID } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { MachineStatus } from '#enums/machine_status'
import { OrderStatus } from '#enums/order_status'
import { TransactionKind } from '#enums/transaction_kind'
import type User from '#models/user'
import Machine from '#models/machine'
import Order from '#models/order'
import Product from '#models/product'
import Slot from '#models/slot'
import Ledger from '#services/ledger'
import DeviceGateway from '#services/device_gateway'
import { isUniqueViolation } from '#services/db_helpers'
import IdempotencyConflictException from '#exceptions/idempotency_conflict_exception'
import MachineOfflineException from '#exceptions/machine_offline_exception'
import OutOfStockException from '#exceptions/out_of_stock_exception'
import ProductNotInMachineException from '#exceptions/product_not_in_machine_exception'
import ProductUnavailableException from '#exceptions/product_unavailable_exception'
import UnknownMachineException from '#exceptions/unknown_machine_exception'
import UnknownSlotException from '#exceptions/unknown_slot_exception'
import { announceOrderUpdate } from '#services/order_events'

/**
 * A buy request: one unit of `productId` from machine `machineCode`,
 * optionally from a given slot number (otherwise the lowest stocked slot
 * holding the product).
 */
export interface BuyRequest {
  user: User
  productId: number
  machineCode: string
  slotNumber?: number
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
 * stock is taken (`UPDATE slots ... WHERE quantity > 0`) and the price is
 * debited (`Ledger.post`, `WHERE balance + amount >= 0`), and the order is
 * written `pending`. Both updates are conditional, so concurrent buys can
 * neither oversell nor overdraw on SQLite or PostgreSQL. After commit the
 * command goes to the device (`DeviceGateway.dispatch`).
 *
 * An Idempotency-Key is unique per shopper: a repeat returns the first
 * order. Two racing requests with one key are settled by the unique index.
 */
@inject()
export default class BuyProduct {
  constructor(protected gateway: DeviceGateway) {}

  /**
   * @throws E_ROW_NOT_FOUND (404) for an unknown product
   * @throws ProductUnavailableException (409) for an inactive product
   * @throws UnknownMachineException, UnknownSlotException,
   *   ProductNotInMachineException, IdempotencyConflictException (422)
   * @throws MachineOfflineException, OutOfStockException (409)
   * @throws InsufficientBalanceException (402)
   */
  async handle(request: BuyRequest): Promise<BuyOutcome> {
    const { user, idempotencyKey } = request
    const product = await Product.findOrFail(request.productId)

    if (idempotencyKey) {
      const earlier = await Order.query().where('user_id', user.id).where('idempotency_key', idempotencyKey).first()
      if (earlier) return { order: await this.matchReplay(earlier, request), replayed: true }
    }

    if (!product.isActive) throw new ProductUnavailableException()

    const machine = await Machine.findBy('code', request.machineCode)
    if (!machine) throw new UnknownMachineException()

    const slots = await this.candidateSlots(machine, product, request.slotNumber)

    let order: Order
    try {
      order = await db.transaction(async (trx) => {
        const current = await Machine.query({ client: trx }).where('id', machine.id).firstOrFail()
        if (current.status !== MachineStatus.Online) {
          throw new MachineOfflineException(
            current.status === MachineStatus.Maintenance ? 'This machine is in maintenance.' : undefined
          )
        }

        const slot = await this.takeOneUnit(trx, slots)
        const created = await Order.create(
          {
            userId: user.id,
            machineId: machine.id,
            slotId: slot.id,
            slotNumber: slot.number,
            productId: product.id,
            pricePaise: product.pricePaise,
            status: OrderStatus.Pending,
            commandId: randomUUID(),
            idempotencyKey: idempotencyKey ?? null,
          },
          { client: trx }
        )
        await Ledger.post(trx, {
          userId: user.id,
          kind: TransactionKind.Purchase,
          amountPaise: -product.pricePaise,
          orderId: created.id,
          note: `${product.name} from ${machine.code} slot ${slot.number}`,
        })
        return created
      })
    } catch (error) {
      if (idempotencyKey && isUniqueViolation(error)) {
        const earlier = await Order.query().where('user_id', user.id).where('idempotency_key', idempotencyKey).firstOrFail()
        return { order: await this.matchReplay(earlier, request), replayed: true }
      }
      throw error
    }

    announceOrderUpdate(order)
    await this.gateway.dispatch(order)
    return { order, replayed: false }
  }

  /**
   * The machine's slots holding the product, in the order to try them.
   */
  protected async candidateSlots(machine: Machine, product: Product, slotNumber?: number): Promise<Slot[]> {
    const query = Slot.query().where('machine_id', machine.id).where('product_id', product.id).orderBy('number')
    if (slotNumber !== undefined) query.where('number', slotNumber)
    const slots = await query

    if (slots.length === 0) {
      if (slotNumber === undefined) throw new ProductNotInMachineException()
      const exists = await Slot.query().where('machine_id', machine.id).where('number', slotNumber).first()
      throw new UnknownSlotException(
        exists ? `Slot ${slotNumber} of this machine does not hold this product.` : `This machine has no slot ${slotNumber}.`
      )
    }
    return slots
  }

  /**
   * Takes one unit from the first slot that still has one, with a
   * conditional decrement that cannot go below zero.
   *
   * @throws OutOfStockException when every candidate slot is empty
   */
  protected async takeOneUnit(trx: TransactionClientContract, slots: Slot[]): Promise<Slot> {
    for (const slot of slots) {
      if (await Slot.takeOne(trx, slot)) return slot
    }
    throw new OutOfStockException()
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
