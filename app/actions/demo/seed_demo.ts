import hash from '@adonisjs/core/services/hash'
import db from '@adonisjs/lucid/services/db'
import { Role } from '#enums/role'
import { MachineStatus } from '#enums/machine_status'
import Machine from '#models/machine'
import Product from '#models/product'
import Slot from '#models/slot'
import User from '#models/user'

/**
 * Demo settings: the admin's login and the device key shared by the demo
 * machines.
 */
export interface DemoCredentials {
  adminEmail: string
  adminPassword: string
  deviceKey: string
}

/**
 * Demo catalogue (prices in paise).
 */
const PRODUCTS = [
  {
    name: 'Masala Chips',
    description: 'Crunchy potato chips, 52 g',
    pricePaise: 2000,
    isRefundable: false,
  },
  {
    name: 'Cold Coffee',
    description: 'Chilled coffee, 180 ml can',
    pricePaise: 4500,
    isRefundable: true,
  },
  {
    name: 'Dark Chocolate',
    description: '55% cocoa bar, 40 g',
    pricePaise: 6000,
    isRefundable: true,
  },
  { name: 'Mineral Water', description: '500 ml bottle', pricePaise: 2000, isRefundable: false },
  {
    name: 'Protein Bar',
    description: 'Peanut butter, 20 g protein',
    pricePaise: 8000,
    isRefundable: true,
  },
]

const MACHINES = [
  { code: 'demo-1', name: 'Lobby (simulated)', location: 'Ground floor lobby' },
  { code: 'demo-2', name: 'Cafeteria (real device)', location: 'Second floor cafeteria' },
]

/**
 * Makes the demo data exist, and can run any number of times: an admin,
 * five products, and machines `demo-1` and `demo-2` with five slots each,
 * stocked to capacity on first creation. Re-running keeps existing stock
 * and orders, and resets the admin password and the machines' device key
 * to the given ones so the printed credentials always work.
 */
export default class SeedDemo {
  async handle(credentials: DemoCredentials): Promise<void> {
    const keyHash = await hash.make(credentials.deviceKey)

    await db.transaction(async (trx) => {
      // The auth mixin hashes `password` when it is saved.
      const admin =
        (await User.findBy('email', credentials.adminEmail, { client: trx })) ?? new User()
      admin.useTransaction(trx)
      admin.merge({
        role: Role.Admin,
        email: credentials.adminEmail,
        password: credentials.adminPassword,
      })
      if (!admin.$isPersisted) admin.merge({ username: 'admin', balancePaise: 0 })
      await admin.save()

      const products: Product[] = []
      for (const spec of PRODUCTS) {
        const existing = await Product.findBy('name', spec.name, { client: trx })
        products.push(
          existing ?? (await Product.create({ ...spec, isActive: true }, { client: trx }))
        )
      }

      for (const spec of MACHINES) {
        let machine = await Machine.findBy('code', spec.code, { client: trx })
        if (!machine) {
          machine = await Machine.create(
            { ...spec, deviceKeyHash: keyHash, status: MachineStatus.Offline },
            { client: trx }
          )
        } else {
          machine.useTransaction(trx)
          machine.deviceKeyHash = keyHash
          await machine.save()
        }

        for (const [index, product] of products.entries()) {
          const number = index + 1
          const slot = await Slot.query({ client: trx })
            .where('machine_id', machine.id)
            .where('number', number)
            .first()
          if (!slot) {
            await Slot.create(
              { machineId: machine.id, number, productId: product.id, quantity: 8, capacity: 8 },
              { client: trx }
            )
          }
        }
      }
    })
  }
}
