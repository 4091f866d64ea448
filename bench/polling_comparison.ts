/**
 * Side by side, to show what pushing vends saves: the field's old design,
 * an ESP32 polling a Flask server over HTTP every 2 s for pending vends,
 * against Vendora's pushed `vend` over socket.io. The same script shape for
 * both: `devices` machines, `buys` buys one after another with a random
 * pause of 0 to 2 × `gap` ms between them, spread over the machines;
 * measured from just before the buy request is sent to the moment the
 * device has the command (one process clock), and to the moment its
 * `dropped` result is stored.
 *
 * The old server is re-created, not the original (bench/lib/
 * polling_server.py: Python standard library, SQLite, same endpoints'
 * shape); its devices poll every `poll` ms, each starting at a random
 * phase as boards that booted at different times do.
 *
 *   node --import=ts-node-maintained/register/esm bench/polling_comparison.ts \
 *     [--devices=10] [--buys=100] [--poll=2000] [--gap=250]
 *
 * Exits 1 only on a correctness failure on either side (an order lost or
 * vended twice, Vendora's books not exact).
 */
import { spawn } from 'node:child_process'
import { ChildHandle } from '#tests/helpers/processes'
import { FirmwareDevice } from '#tests/functional/faults/firmware_device'
import {
  benchPort,
  bootApp,
  machineLine,
  options,
  postJson,
  prepareDatabase,
  printTable,
  startServer,
  summary,
} from './lib/harness.js'

const settings = options({ devices: 10, buys: 100, poll: 2000, gap: 250 })
console.log(`polling_comparison  ${machineLine()}`)
console.log(`settings: ${JSON.stringify(settings)}`)
const pause = () => new Promise((resolve) => setTimeout(resolve, Math.random() * 2 * settings.gap))
const codes = Array.from(
  { length: settings.devices },
  (_, index) => `bench-${String(index + 1).padStart(5, '0')}`
)
const problems: string[] = []

// ---- The old design: HTTP polling every `poll` ms --------------------------
const pollPort = benchPort(3)
const pollUrl = `http://127.0.0.1:${pollPort}`
const python = new ChildHandle(
  spawn(
    'python3',
    [
      'bench/lib/polling_server.py',
      String(pollPort),
      'tmp/bench-polling-flask.sqlite3',
      String(settings.devices),
      '100000',
      '10',
      '100000000',
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    }
  )
)
process.once('exit', () => python.child.kill('SIGKILL'))
await python.waitForOutput(/polling server on/, 10_000)

const polled = { seen: new Map<number, number>(), stored: new Map<number, number>(), duplicates: 0 }
let polling = true
const pollers = codes.map(async (code) => {
  await new Promise((resolve) => setTimeout(resolve, Math.random() * settings.poll))
  while (polling) {
    const tick = performance.now()
    const response = await fetch(`${pollUrl}/poll?machine=${code}`)
    const { vends } = (await response.json()) as { vends: { order_id: number }[] }
    const at = performance.now()
    for (const vend of vends) {
      if (polled.seen.has(vend.order_id)) polled.duplicates++
      polled.seen.set(vend.order_id, at)
      await fetch(`${pollUrl}/result`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ order_id: vend.order_id, result: 'dropped' }),
      }).then((result) => result.text())
      polled.stored.set(vend.order_id, performance.now())
    }
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, settings.poll - (performance.now() - tick)))
    )
  }
})
const polledSent = new Map<number, number>()
for (let index = 0; index < settings.buys; index++) {
  await pause()
  const started = performance.now()
  const response = await fetch(`${pollUrl}/buy`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: 1 + (index % 10), machine: codes[index % codes.length] }),
  })
  const body = (await response.json()) as { order_id: number }
  if (response.status === 201) polledSent.set(body.order_id, started)
}
for (
  let waited = 0;
  polled.stored.size < polledSent.size && waited < 3 * settings.poll;
  waited += 50
) {
  await new Promise((resolve) => setTimeout(resolve, 50))
}
polling = false
await Promise.all(pollers)
await python.stop()
if (polled.stored.size !== polledSent.size)
  problems.push(`polling: ${polledSent.size - polled.stored.size} orders never reached a device`)
if (polled.duplicates > 0) problems.push(`polling: ${polled.duplicates} vends delivered twice`)

// ---- Vendora: the command is pushed over socket.io -------------------------
const setup = await prepareDatabase('polling', 'sqlite')
const app = await bootApp(setup)
const { checkBooks, seedMachines, seedShoppers, waitForSettled, waitForOnline, BENCH_DEVICE_KEY } =
  await import('./lib/fleet.js')
const machines = await seedMachines(settings.devices, settings.buys + 10, 100)
const shoppers = await seedShoppers(10, 100_000_000)
const port = benchPort(4)
const server = await startServer(setup, port)
const url = `http://127.0.0.1:${port}`
const pushed = {
  seen: new Map<number, number>(),
  stored: new Map<number, number>(),
  commands: new Map<string, number>(),
}
const devices = machines.map(
  (machine) =>
    new FirmwareDevice(url, machine.code, BENCH_DEVICE_KEY, {
      onVend: (command, at) => {
        if (!pushed.seen.has(command.order_id)) pushed.seen.set(command.order_id, at)
        pushed.commands.set(command.command_id, command.order_id)
      },
      onAck: (commandId, _sent, at) => pushed.stored.set(pushed.commands.get(commandId)!, at),
    })
)
await Promise.all(devices.map((device) => device.waitForHello(1, 60_000)))
await waitForOnline(machines.length)
const pushedSent = new Map<number, number>()
for (let index = 0; index < settings.buys; index++) {
  await pause()
  const machine = machines[index % machines.length]
  const started = performance.now()
  const response = await postJson(
    `${url}/api/v1/products/${machine.productId}/buy`,
    shoppers[index % shoppers.length].token,
    {
      machine: machine.code,
    }
  )
  if (response.status === 201) pushedSent.set(response.body.order.id, started)
}
if ((await waitForSettled(30_000)) > 0)
  problems.push('vendora: orders still open 30 s after the run')
problems.push(
  ...(
    await checkBooks(
      settings.buys + 10,
      devices.flatMap((device) => device.dispensed)
    )
  ).map((problem) => `vendora: ${problem}`)
)

const delays = (sent: Map<number, number>, at: Map<number, number>) =>
  [...sent]
    .filter(([orderId]) => at.has(orderId))
    .map(([orderId, started]) => at.get(orderId)! - started)
console.log(
  `\n${settings.buys} buys over ${settings.devices} devices, one at a time with 0-${2 * settings.gap} ms pauses`
)
printTable([
  {
    design: `HTTP polling every ${settings.poll} ms (re-created Flask design)`,
    measure: 'buy -> device has command (ms)',
    ...summary(delays(polledSent, polled.seen)),
  },
  {
    design: `HTTP polling every ${settings.poll} ms (re-created Flask design)`,
    measure: 'buy -> result stored (ms)',
    ...summary(delays(polledSent, polled.stored)),
  },
  {
    design: 'Vendora socket.io push',
    measure: 'buy -> device has command (ms)',
    ...summary(delays(pushedSent, pushed.seen)),
  },
  {
    design: 'Vendora socket.io push',
    measure: 'buy -> result stored (ms)',
    ...summary(delays(pushedSent, pushed.stored)),
  },
])
console.log(
  problems.length === 0
    ? 'correctness: OK on both'
    : `CORRECTNESS FAILURES:\n  ${problems.join('\n  ')}`
)

devices.forEach((device) => device.close())
await server.stop()
await app.terminate()
// Its yardstick is the polling design, not the floor: figures are ms of
// delay, one buy at a time, where the floor's CPU per buy says nothing.
const polledSummary = summary(delays(polledSent, polled.seen))
const pushedSummary = summary(delays(pushedSent, pushed.seen))
console.log(
  JSON.stringify({
    bench: 'polling_comparison',
    buys: settings.buys,
    polling_p50_ms: polledSummary.p50,
    polling_p99_ms: polledSummary.p99,
    push_p50_ms: pushedSummary.p50,
    push_p99_ms: pushedSummary.p99,
    correct: problems.length === 0,
  })
)
process.exit(problems.length === 0 ? 0 : 1)
