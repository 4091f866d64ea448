import factory from '@adonisjs/lucid/factories'
import Slot from '#models/slot'

/**
 * Slots: give `machineId`, `productId` and `number` with `.merge()`;
 * 5 units of a capacity of 10 unless told otherwise.
 */
export const SlotFactory = factory
  .define(Slot, () => ({
    number: 1,
    quantity: 5,
    capacity: 10,
  }))
  .build()
