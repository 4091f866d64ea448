import { test } from '@japa/runner'
import { io, type Socket } from 'socket.io-client'
import app from '@adonisjs/core/services/app'
import SetMaintenance from '#actions/machines/set_maintenance'
import { MachineStatus } from '#enums/machine_status'
import { issueLiveTicket } from '#services/live_tickets'
import { truncateAll } from '#tests/helpers/database'
import { createShopper } from '#tests/helpers/shopper'
import { connectDevice, createMachine, eventually } from '#tests/helpers/device'
import { closeAfter, waitForMachineStatus } from '#tests/helpers/device_session'
import { baseUrl } from '#tests/helpers/server'

/**
 * The `/orders` socket of a shopper's page at `machine`, as the page's
 * script opens it, recording every `machine_status` it hears.
 */
async function watchMachine(userId: number, machine: string) {
  const socket: Socket = io(`${baseUrl()}/orders`, {
    auth: { ticket: issueLiveTicket(userId, 'shopper-live'), machine },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  })
  const heard: { code: string; status: string }[] = []
  socket.on('machine_status', (event: { code: string; status: string }) => heard.push(event))
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve())
    socket.once('connect_error', reject)
  })
  return {
    heard,
    statuses: () => heard.map((event) => event.status),
    /** Resolves once `count` events arrived. */
    until: (count: number) => eventually(async () => heard.length >= count),
    close: () => {
      socket.close()
    },
  }
}

test.group('Shopper page: the machine status, live', (group) => {
  group.each.setup(truncateAll)

  test('a page watching a machine hears its status on joining and each change: connect, maintenance, disconnect', async ({
    assert,
    cleanup,
  }) => {
    const opened = closeAfter(cleanup)
    const { machine, key } = await createMachine()
    const other = await createMachine()
    const { user } = await createShopper()
    const { user: admin } = await createShopper({ admin: true })

    const page = opened(await watchMachine(user.id, machine.code))
    const elsewhere = opened(await watchMachine(user.id, other.machine.code))
    await page.until(1)
    assert.deepEqual(page.heard, [{ code: machine.code, status: MachineStatus.Offline }])

    const device = opened(await connectDevice(machine.code, key))
    await page.until(2)
    const setMaintenance = await app.container.make(SetMaintenance)
    await setMaintenance.handle(admin, machine.id, true)
    await page.until(3)
    await setMaintenance.handle(admin, machine.id, false)
    await page.until(4)
    device.close()
    await waitForMachineStatus(machine.id, MachineStatus.Offline)
    await page.until(5)

    assert.deepEqual(page.statuses(), [
      MachineStatus.Offline,
      MachineStatus.Online,
      MachineStatus.Maintenance,
      MachineStatus.Online,
      MachineStatus.Offline,
    ])
    // Only the machine it named.
    assert.deepEqual(elsewhere.statuses(), [MachineStatus.Offline])
  })
})
