import hash from '@adonisjs/core/services/hash'
import factory from '@adonisjs/lucid/factories'
import { MachineStatus } from '#enums/machine_status'
import Machine from '#models/machine'

/**
 * Device key of every factory machine.
 */
export const TEST_DEVICE_KEY = 'test-device-key'

/**
 * scrypt is slow on purpose: hash the shared test key once per process.
 */
let keyHash: Promise<string> | undefined

/**
 * Machines, offline until a device connects (see `connectDevice`), with
 * the device key `TEST_DEVICE_KEY`. State `maintenance`.
 */
export const MachineFactory = factory
  .define(Machine, async ({ faker }) => ({
    code: `m-${faker.string.alphanumeric({ length: 8, casing: 'lower' })}`,
    name: 'Test machine',
    location: null,
    deviceKeyHash: await (keyHash ??= hash.make(TEST_DEVICE_KEY)),
    status: MachineStatus.Offline,
  }))
  .state('maintenance', (machine) => {
    machine.status = MachineStatus.Maintenance
  })
  .build()
