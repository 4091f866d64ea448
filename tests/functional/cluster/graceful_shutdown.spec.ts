import { request } from 'node:http'
import { test } from '@japa/runner'
import { io } from 'socket.io-client'
import Machine from '#models/machine'
import { MachineStatus } from '#enums/machine_status'
import { createMachine, eventually } from '#tests/helpers/device'
import { createShopper } from '#tests/helpers/shopper'
import { balanceOf, ledgerDiscrepancies } from '#tests/helpers/api'
import { truncateAll } from '#tests/helpers/database'
import {
  freeTcpPort,
  SERVER_BOOT_TIMEOUT_MS,
  startProcess,
  type ChildHandle,
} from '#tests/helpers/processes'

const SHUTDOWN_TIMEOUT_MS = 4000

/**
 * The real web server (`bin/server.ts`) in a child process on the suite's
 * database, one node (no REDIS_URL); resolves once socket.io answers.
 */
async function startNode(cleanup: (handler: () => Promise<void>) => void) {
  const port = await freeTcpPort()
  const server: ChildHandle = startProcess(
    'node',
    ['--import', 'ts-node-maintained/register/esm', 'bin/server.ts'],
    {
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'info',
      DISCOVERY_ENABLED: 'false',
      NODE_ID: 'graceful-test',
      SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
    }
  )
  cleanup(async () => {
    await server.stop('SIGKILL')
  })
  await server.waitForOutput(/started HTTP server/, SERVER_BOOT_TIMEOUT_MS)
  await eventually(async () => {
    const response = await fetch(
      `http://127.0.0.1:${port}/socket.io/?EIO=4&transport=polling`
    ).catch(() => null)
    await response?.text()
    return response?.ok
  }, 10_000)
  return { server, port }
}

/**
 * POSTs `body` in two parts; the request is in flight until `finish()`.
 */
function slowPost(port: number, path: string, token: string, body: unknown) {
  const payload = Buffer.from(JSON.stringify(body))
  let finish = () => {}
  const done = new Promise<number>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        headers: {
          'accept': 'application/json',
          'content-type': 'application/json',
          'content-length': String(payload.length),
          'authorization': `Bearer ${token}`,
        },
      },
      (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode ?? 0))
      }
    )
    req.on('error', reject)
    req.write(payload.subarray(0, 5))
    finish = () => req.end(payload.subarray(5))
  })
  return { done, finish: () => finish() }
}

/*
 * Graceful shutdown, so a deploy or a scale-down loses no request and
 * strands no device: SIGTERM lets a request in flight finish, tells the
 * device to reconnect elsewhere and closes its connection, leaves the
 * machine offline (not `online` with nobody behind it) and exits 0 within
 * SHUTDOWN_TIMEOUT_MS. The multi-node version, where the device lands on
 * another node, is tests/cluster/multi_node.ts.
 */
test.group('Graceful shutdown (SIGTERM)', (group) => {
  group.each.setup(truncateAll)

  test('finishes the request in flight, tells the device to reconnect, leaves the machine offline, exits 0 in time', async ({
    assert,
    cleanup,
  }) => {
    const { machine, key } = await createMachine()
    const { user, token } = await createShopper({ balancePaise: 1000 })
    const { server, port } = await startNode(cleanup)

    const device = io(`http://127.0.0.1:${port}/devices`, {
      auth: { machine: machine.code, key },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    })
    cleanup(async () => {
      device.disconnect()
    })
    const hints: unknown[] = []
    const disconnects: string[] = []
    device.on('reconnect', (hint: unknown) => hints.push(hint))
    device.on('disconnect', (reason) => disconnects.push(reason))
    await new Promise<void>((resolve, reject) => {
      device.once('hello', () => resolve())
      device.once('connect_error', reject)
    })
    const online = await eventually(async () => {
      const row = await Machine.find(machine.id)
      return row?.status === MachineStatus.Online ? row : null
    })
    assert.equal(online.connectedNode, 'graceful-test')

    const inFlight = slowPost(port, `/api/v1/users/${user.id}/add_balance`, token, {
      amount_paise: 500,
    })
    await new Promise((resolve) => setTimeout(resolve, 200))
    const termAt = Date.now()
    server.child.kill('SIGTERM')
    await eventually(async () => disconnects.length > 0, SHUTDOWN_TIMEOUT_MS)
    inFlight.finish()

    assert.equal(await inFlight.done, 201)
    const code = await Promise.race([
      server.exited,
      new Promise((resolve) =>
        setTimeout(() => resolve('still running'), SHUTDOWN_TIMEOUT_MS + 3000)
      ),
    ])
    assert.equal(code, 0, server.output.slice(-3000))
    assert.isBelow(Date.now() - termAt, SHUTDOWN_TIMEOUT_MS + 2000)

    assert.deepEqual(hints, [{ reason: 'shutdown' }])
    // A transport close, not a namespace disconnect: socket.io clients reconnect by themselves after it.
    assert.deepEqual(disconnects, ['transport close'])
    const after = await Machine.findOrFail(machine.id)
    assert.equal(after.status, MachineStatus.Offline)
    assert.isNull(after.connectedNode)
    assert.equal(await balanceOf(user.id), 1500)
    assert.deepEqual(await ledgerDiscrepancies(), [])
  }).timeout(90_000)
})
