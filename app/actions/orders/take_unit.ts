import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { MachineStatus } from '#enums/machine_status'
import type User from '#models/user'
import Machine from '#models/machine'
import Product from '#models/product'
import Slot from '#models/slot'
import MachineOfflineException from '#exceptions/machine_offline_exception'
import OutOfStockException from '#exceptions/out_of_stock_exception'
import ProductNotInMachineException from '#exceptions/product_not_in_machine_exception'
import ProductUnavailableException from '#exceptions/product_unavailable_exception'
import UnknownMachineException from '#exceptions/unknown_machine_exception'
import UnknownSlotException from '#exceptions/unknown_slot_exception'

/**
 * What a shopper wants to take from a machine: one unit of `productId` from
 * machine `machineCode`, optionally from slot `slotNumber` (otherwise the
 * lowest stocked slot holding the product). `displayCode` is the presence
 * code the machine shows, for machines that require it.
 */
export interface UnitRequest {
  user: User
  productId: number
  machineCode: string
  slotNumber?: number
  displayCode?: string
}

/**
 * A request checked against the catalogue, before any write: the product,
 * the machine and the slots to try, in order.
 */
export interface PreparedUnit {
  request: UnitRequest
  product: Product
  machine: Machine
  slots: Slot[]
}

/**
 * The rules for taking one unit out of a machine for a shopper, shared by
 * every way of paying for it (`BuyProduct` with the wallet,
 * `StartVendPayment` per vend): the product must be active and in the
 * machine, the machine online, and stock is taken with a conditional
 * decrement (`Slot.takeOne`) so it never goes below zero.
 */
export default class TakeUnit {
  /**
   * Read-only checks, outside any transaction.
   *
   * @throws E_ROW_NOT_FOUND (404) for an unknown product
   * @throws ProductUnavailableException (409) for an inactive product
   * @throws UnknownMachineException, UnknownSlotException,
   *   ProductNotInMachineException (422)
   */
  async prepare(request: UnitRequest): Promise<PreparedUnit> {
    const product = await Product.findOrFail(request.productId)
    if (!product.isActive) throw new ProductUnavailableException()

    const machine = await Machine.findBy('code', request.machineCode)
    if (!machine) throw new UnknownMachineException()

    const slots = await this.candidateSlots(machine, product, request.slotNumber)
    return { request, product, machine, slots }
  }

  /**
   * Inside the caller's transaction: re-reads the machine (it must be
   * online) and takes one unit from the first candidate slot that has one.
   *
   * @returns the slot the unit came from
   * @throws MachineOfflineException, OutOfStockException (409)
   */
  async within(trx: TransactionClientContract, prepared: PreparedUnit): Promise<Slot> {
    const current = await Machine.query({ client: trx }).where('id', prepared.machine.id).firstOrFail()
    if (current.status !== MachineStatus.Online) {
      throw new MachineOfflineException(
        current.status === MachineStatus.Maintenance ? 'This machine is in maintenance.' : undefined
      )
    }

    for (const slot of prepared.slots) {
      if (await Slot.takeOne(trx, slot)) return slot
    }
    throw new OutOfStockException()
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
}
