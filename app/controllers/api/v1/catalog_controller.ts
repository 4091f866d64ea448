import type { HttpContext } from '@adonisjs/core/http'
import Machine from '#models/machine'
import Product from '#models/product'
import { presentMachine, presentProduct, presentSlot } from '#services/presenters'

/**
 * What can be bought where: machines, their planograms and products.
 */
export default class CatalogController {
  /**
   * GET /api/v1/machines
   */
  async machines() {
    const machines = await Machine.query().orderBy('code')
    return { data: machines.map(presentMachine) }
  }

  /**
   * GET /api/v1/machines/:code/products — the machine's planogram
   */
  async planogram({ params }: HttpContext) {
    const machine = await Machine.query()
      .where('code', params.code)
      .preload('slots', (slots) => slots.orderBy('number').preload('product'))
      .firstOrFail()
    return {
      machine: presentMachine(machine),
      data: machine.slots.map((slot) => presentSlot(slot, machine)),
    }
  }

  /**
   * GET /api/v1/products — active products
   */
  async products() {
    const products = await Product.query().where('is_active', true).orderBy('name')
    return { data: products.map(presentProduct) }
  }
}
