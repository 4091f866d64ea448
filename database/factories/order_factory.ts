import { randomUUID } from 'node:crypto'
import factory from '@adonisjs/lucid/factories'
import { OrderStatus } from '#enums/order_status'
import Order from '#models/order'

/**
 * Orders written directly, for lists and reports: give `userId`,
 * `machineId`, `slotId`, `productId` (and usually `createdAt`) with
 * `.merge()`. Completed, ₹25, slot 1 unless told otherwise. No money
 * moves: an order that must agree with the ledger is bought through the
 * API or `BuyProduct` instead.
 */
export const OrderFactory = factory
  .define(Order, () => ({
    slotNumber: 1,
    pricePaise: 2500,
    status: OrderStatus.Completed,
    commandId: randomUUID(),
    idempotencyKey: null,
    failureReason: null,
  }))
  .build()
