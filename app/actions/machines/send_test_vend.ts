import { inject } from '@adonisjs/core'
import { randomUUID } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import { MachineStatus } from '#enums/machine_status'
import { OrderStatus } from '#enums/order_status'
import FirmwareRolloutTarget from '#models/firmware_rollout_target'
import Machine from '#models/machine'
import Order from '#models/order'
import Slot from '#models/slot'
import type User from '#models/user'
import AuditTrail from '#services/audit_trail'
import DispatchVend from '#actions/vends/dispatch_vend'
import DeviceChannel from '#services/device_channel'
import { announceOrderUpdate } from '#services/order_events'
import VendingException from '#exceptions/vending_exception'

/**
 * Why a test vend was refused (409, code `test_vend_refused`), in words
 * for the operator.
 */
export class TestVendRefused extends VendingException {
  constructor(message: string) {
    super(message, { code: 'test_vend_refused', status: 409 })
  }
}

/**
 * An operator's test vend: the machine dispenses one item of a slot and
 * nobody is charged.
 *
 * It is an order like a shopper's, so every vend rule holds unchanged: a
 * unique command id (re-sent on reconnect, a repeated result changes
 * nothing), one unit of stock taken with the same conditional decrement
 * (given back or flagged for a check by `SettleVend` as for any vend),
 * settled by `SettleVend` and timed out by the sweeper. It differs in three
 * ways: `isTest`, `pricePaise` 0 (nothing is ever posted to the ledger: a
 * failed one stays `failed`, and it is no sale in any report), and it is
 * the operator's order. It may go to a machine in maintenance
 * (`DispatchVend`).
 */
@inject()
export default class SendTestVend {
  constructor(
    protected channel: DeviceChannel,
    protected dispatchVend: DispatchVend,
    protected auditTrail: AuditTrail
  ) {}

  /**
   * @throws TestVendRefused when the slot does not exist, holds no product
   *   or no units, or the machine's device is not connected
   */
  async handle(actor: User, machine: Machine, slotNumber: number): Promise<Order> {
    const slot = await Slot.query()
      .where('machine_id', machine.id)
      .where('number', slotNumber)
      .first()
    if (!slot) throw new TestVendRefused(`This machine has no slot ${slotNumber}.`)
    if (!slot.productId) throw new TestVendRefused(`Slot ${slotNumber} has no product to dispense.`)
    if (!(await this.channel.isConnected(machine.id))) {
      throw new TestVendRefused('The machine’s device is not connected, so it cannot dispense now.')
    }

    const order = await db.transaction(async (trx) => {
      const current = await Machine.query({ client: trx }).where('id', machine.id).firstOrFail()
      if (current.status === MachineStatus.Offline) {
        throw new TestVendRefused('The machine is offline.')
      }
      // The device starts no vend while it installs an update (PROTOCOL.md §13.1).
      if (await FirmwareRolloutTarget.isInstalling(current.id, trx)) {
        throw new TestVendRefused(
          'The machine is installing a firmware update. Try again once it finished.'
        )
      }
      if (!(await Slot.takeOne(trx, slot)))
        throw new TestVendRefused(`Slot ${slotNumber} is empty. Restock it first.`)

      const created = await Order.create(
        {
          userId: actor.id,
          machineId: machine.id,
          slotId: slot.id,
          slotNumber: slot.number,
          productId: slot.productId!,
          pricePaise: 0,
          status: OrderStatus.Pending,
          commandId: randomUUID(),
          isTest: true,
        },
        { client: trx }
      )
      await this.auditTrail.record(
        {
          actor,
          action: 'machine.test_vend',
          subjectType: 'machine',
          subjectId: machine.id,
          after: {
            order_id: created.id,
            slot: slot.number,
            product_id: slot.productId,
            command_id: created.commandId,
          },
          note: `Test vend from slot ${slot.number}, free of charge`,
        },
        trx
      )
      return created
    })

    announceOrderUpdate(order)
    return this.dispatchVend.handle(order)
  }
}
