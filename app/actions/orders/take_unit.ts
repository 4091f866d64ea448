import { DateTime } from 'luxon'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import logger from '@adonisjs/core/services/logger'
import db from '@adonisjs/lucid/services/db'
import vendingConfig from '#config/vending'
import { affectedRows, dbTimestamp } from '#services/db_helpers'
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
import InvalidDisplayCodeException from '#exceptions/invalid_display_code_exception'
import MachineBusyException from '#exceptions/machine_busy_exception'
import MachineUpdatingException from '#exceptions/machine_updating_exception'
import MachineSession from '#actions/machines/machine_session'
import { readMachineForVend, takeUnitPriced, type MachineForVend } from '#services/vend_statements'

/**
 * What a shopper wants to take from a machine: one unit of `productId` from
 * machine `machineCode`, optionally from slot `slotNumber` (otherwise the
 * lowest stocked slot holding the product). `displayCode` is the presence
 * code the machine shows, for machines that require it. `claimSession`
 * claims (or extends) the machine's shopper session for this user as part
 * of the buy, as the shopper page does; API buys leave it unset and only
 * respect someone else's session.
 */
export interface UnitRequest {
  user: User
  productId: number
  machineCode: string
  slotNumber?: number
  displayCode?: string
  claimSession?: boolean
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
 * What `TakeUnit.within` took: the slot the unit came from, the machine as
 * read inside the transaction (online, not held by another shopper's
 * session), and `pricePaise`, the unit's price (the slot's override, else
 * the product's) read in that same transaction: the one amount to charge
 * and to record on the order.
 */
export interface TakenUnit {
  slot: Slot
  machine: MachineForVend
  pricePaise: number
}

/**
 * The rules for taking one unit out of a machine for a shopper, shared by
 * every way of paying for it (`BuyProduct` with the wallet,
 * `StartVendPayment` per vend): the product must be active and in the
 * machine, the machine online, the display code quoted when the machine
 * requires it, no other shopper's session holding the machine (so two
 * people at one machine cannot mix up their vends), no firmware update
 * being installed on it, and stock is taken with a conditional decrement
 * (`takeUnitPriced`, as `Slot.takeOne`) so it never goes below zero.
 */
export default class TakeUnit {
  /**
   * Stateless; the session lock's one home, so every way of paying obeys it.
   */
  protected session = new MachineSession()

  /**
   * Read-only checks, outside any transaction.
   *
   * @throws E_ROW_NOT_FOUND (404) for an unknown product
   * @throws ProductUnavailableException (409) for an inactive product
   * @throws MachineOfflineException (409) for a machine requiring its
   *   display code that is not online
   * @throws UnknownMachineException, UnknownSlotException,
   *   ProductNotInMachineException, InvalidDisplayCodeException (422)
   */
  async prepare(request: UnitRequest): Promise<PreparedUnit> {
    const product = await Product.findOrFail(request.productId)
    if (!product.isActive) throw new ProductUnavailableException()

    const machine = await Machine.findBy('code', request.machineCode)
    if (!machine) throw new UnknownMachineException()
    if (machine.requiresDisplayCode) {
      // A machine that is not online shows no code: say so, rather than
      // ask for a code nobody can read.
      this.assertOnline(machine)
      await this.checkDisplayCode(machine, request.displayCode)
    }

    const slots = await this.candidateSlots(machine, product, request.slotNumber)
    return { request, product, machine, slots }
  }

  /**
   * Inside the caller's transaction: re-reads the machine (it must be
   * online and not held by another shopper's session), claims the session
   * when the request asks to, and takes one unit from the first candidate
   * slot that has one. A refusal here rolls the caller's transaction back,
   * claim included.
   *
   * @returns the slot the unit came from, the machine as read here and the
   *   unit's price in paise (returned by the statement that wrote the
   *   slot's row, `takeUnitPriced`, so no change of the slot's price can
   *   slip between the read and the commit on PostgreSQL; SQLite runs one
   *   writer at a time)
   * @throws MachineOfflineException, MachineUpdatingException, MachineBusyException,
   *   OutOfStockException (409)
   * @throws UnknownMachineException (422) when the machine was deleted meanwhile
   */
  async within(trx: TransactionClientContract, prepared: PreparedUnit): Promise<TakenUnit> {
    // One read for the machine's status, session and firmware update
    // (`readMachineForVend`): a machine installing an update starts no
    // vend (PROTOCOL.md §13.1).
    const current = await readMachineForVend(trx, prepared.machine.id)
    if (!current) throw new UnknownMachineException()
    this.assertOnline(current)
    if (current.installing) throw new MachineUpdatingException()

    const { user, claimSession } = prepared.request
    const now = DateTime.now()
    this.session.assertFree(current, user, now)
    // The read above may be stale (another claimer committing meanwhile);
    // the conditional UPDATE is what settles a race.
    if (claimSession && !(await this.session.claimWithin(trx, current.id, user, now))) {
      const holder = await Machine.query({ client: trx }).where('id', current.id).firstOrFail()
      throw new MachineBusyException(holder.sessionExpiresAt, now)
    }

    for (const slot of prepared.slots) {
      // Stock and price in one statement (`takeUnitPriced`: the conditional
      // decrement of `Slot.takeOne` returning `Slot.priceWithin`'s price).
      const pricePaise = await takeUnitPriced(trx, slot.id, slot.productId!)
      if (pricePaise !== null) return { slot, machine: current, pricePaise }
    }
    throw new OutOfStockException()
  }

  /**
   * @throws MachineOfflineException (409) unless `machine` is online
   */
  protected assertOnline(machine: Pick<Machine, 'status'>) {
    if (machine.status !== MachineStatus.Online) {
      throw new MachineOfflineException(
        machine.status === MachineStatus.Maintenance ? 'This machine is in maintenance.' : undefined
      )
    }
  }

  /**
   * The presence check, which proves the shopper stands at the machine:
   * `code` must be the code on the machine's display, or the one it
   * replaced. A code is accepted from when it is issued until
   * `DISPLAY_CODE_GRACE_MS` after it expires, whether or not the rotation
   * has replaced it yet (the sweeper rotates a few seconds after expiry; a
   * shopper typing in that gap is not refused). A plain comparison is
   * enough: a 4-digit code has 10,000 values, so timing would leak nothing
   * that guessing does not.
   *
   * @throws InvalidDisplayCodeException (422) for a missing, wrong or
   *   expired code
   */
  protected async checkDisplayCode(
    machine: Machine,
    code: string | undefined,
    now: DateTime = DateTime.now()
  ) {
    const graceMs = vendingConfig.displayCodeGraceMs
    const current =
      machine.displayCode !== null &&
      machine.displayCodeExpiresAt !== null &&
      now < machine.displayCodeExpiresAt.plus({ milliseconds: graceMs }) &&
      code === machine.displayCode
    const previous =
      machine.previousDisplayCode !== null &&
      machine.previousDisplayCodeUntil !== null &&
      now < machine.previousDisplayCodeUntil &&
      code === machine.previousDisplayCode
    if (current || previous) return
    if (code) await this.countWrongCode(machine, now)
    throw new InvalidDisplayCodeException(
      code
        ? "This code does not match the machine's display. Enter the code it shows now."
        : undefined
    )
  }

  /**
   * Counts a wrong code against the machine; the `DISPLAY_CODE_MAX_FAILURES`th
   * burns its codes (current and previous expire now, the next sweep shows
   * a new one), so nobody can find a code by trying them all from afar.
   * Shoppers at the machine just read the new code.
   */
  protected async countWrongCode(machine: Machine, now: DateTime) {
    const connection = db.connection()
    await connection.from('machines').where('id', machine.id).increment('display_code_failures', 1)
    const burnt = await connection
      .from('machines')
      .where('id', machine.id)
      .where('display_code_failures', '>=', vendingConfig.displayCodeMaxFailures)
      .update({
        display_code_expires_at: dbTimestamp(
          connection,
          now.minus({ milliseconds: vendingConfig.displayCodeGraceMs })
        ),
        previous_display_code_until: dbTimestamp(connection, now),
        display_code_failures: 0,
      })
    if (affectedRows(burnt) > 0)
      logger.warn({ machine: machine.code }, 'too many wrong display codes: code burnt')
  }

  /**
   * The machine's slots holding the product, in the order to try them.
   */
  protected async candidateSlots(
    machine: Machine,
    product: Product,
    slotNumber?: number
  ): Promise<Slot[]> {
    const query = Slot.query()
      .where('machine_id', machine.id)
      .where('product_id', product.id)
      .orderBy('number')
    if (slotNumber !== undefined) query.where('number', slotNumber)
    const slots = await query

    if (slots.length === 0) {
      if (slotNumber === undefined) throw new ProductNotInMachineException()
      const exists = await Slot.query()
        .where('machine_id', machine.id)
        .where('number', slotNumber)
        .first()
      throw new UnknownSlotException(
        exists
          ? `Slot ${slotNumber} of this machine does not hold this product.`
          : `This machine has no slot ${slotNumber}.`
      )
    }
    return slots
  }
}
