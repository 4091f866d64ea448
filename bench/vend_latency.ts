/**
 * Buy → vend command latency at the device.
 *
 * 100 socket.io devices (the real protocol: auth, wait for `hello`, ack'd
 * `vend_result`) connect to the real server (`bin/server.ts`, production
 * settings, its own database). Buys go through the HTTP API, spread over
 * the machines, `concurrency` at a time. Measured on one process clock
 * (`performance.now()` in this process):
 * - buy → vend: from just before the HTTP request is sent to the moment
 *   the device receives `vend`;
 * - buy → settled: to the moment the server acks the device's `dropped`
 *   (the ack is sent after the result is committed);
 * - result → ack: the device's round trip for `vend_result`, which
 *   includes settling the order (the monitor's insert is queued, not
 *   awaited);
 * - connect → hello per device (its monitor insert is awaited).
 * Then the monitor's write on its own (one insert, as
 * `DeviceMonitor.record` does; old events are pruned by the sweep),
 * timed in this process.
 *
 *   node --import=ts-node-maintained/register/esm bench/vend_latency.ts \
 *     [--devices=100] [--buys=2000] [--concurrency=1] [--db=sqlite|pg]
 *     [--floor=1] [--floor-seconds=10]
 *
 * `--floor=1` (the default) first runs `bench/floor.ts` at the same
 * concurrency and prints server CPU per buy and the HTTP answer's p50/p99
 * as ratios to it. The last line is one JSON object of the key figures.
 *
 * Exits 1 only on a correctness failure (an order lost, vended twice, a
 * balance that disagrees with its ledger), never on a slow figure.
 */
import {
  benchPort,
  bootApp,
  machineLine,
  options,
  postJson,
  prepareDatabase,
  printTable,
  processCpuMs,
  startServer,
  summary,
  type BenchDb,
} from './lib/harness.js'
import { serverStats } from './lib/server_stats.js'
import { measureFloor, ratio } from './lib/floor.js'
import { FirmwareDevice } from '#tests/functional/faults/firmware_device'

const settings = options({
  devices: 100,
  buys: 2000,
  concurrency: 1,
  warmup: 50,
  db: 'sqlite' as string,
  floor: 1,
  floorSeconds: 10,
})
const units = Math.ceil((settings.buys + settings.warmup) / settings.devices) + 5
console.log(`vend_latency  ${machineLine()}`)
console.log(`settings: ${JSON.stringify(settings)}`)

// The floor first, at this bench's concurrency, for CPU per buy and the
// HTTP answer's latency as ratios to it.
const floor = settings.floor
  ? await measureFloor({
      seconds: settings.floorSeconds,
      stages: String(settings.concurrency),
      devices: Math.min(settings.devices, 20),
      warmup: 3,
    })
  : undefined

const setup = await prepareDatabase('latency', settings.db as BenchDb)
const app = await bootApp(setup)
// Imported once the app is booted: they use its services.
const {
  checkBooks,
  orderStatuses,
  seedMachines,
  seedShoppers,
  waitForSettled,
  waitForOnline,
  BENCH_DEVICE_KEY,
} = await import('./lib/fleet.js')
const machines = await seedMachines(settings.devices, units, 100)
const shoppers = await seedShoppers(settings.concurrency, 100 * (settings.buys + settings.warmup))
const port = benchPort(0)
const server = await startServer(setup, port)
const url = `http://127.0.0.1:${port}`

const vendAt = new Map<number, number>()
const commandOf = new Map<string, number>()
const settledAt = new Map<number, number>()
const resultRoundTrips: number[] = []
const helloTimes: number[] = []
const devices = await Promise.all(
  machines.map(async (machine) => {
    const started = performance.now()
    const device: FirmwareDevice = new FirmwareDevice(url, machine.code, BENCH_DEVICE_KEY, {
      onVend: (command, at) => {
        if (!vendAt.has(command.order_id)) vendAt.set(command.order_id, at)
        commandOf.set(command.command_id, command.order_id)
      },
      onAck: (commandId, sentAt, ackedAt) => {
        resultRoundTrips.push(ackedAt - sentAt)
        settledAt.set(commandOf.get(commandId)!, ackedAt)
      },
    })
    await device.waitForHello(1, 60_000).catch((error) => {
      console.error(server.output)
      throw error
    })
    helloTimes.push(performance.now() - started)
    return device
  })
)
await waitForOnline(machines.length)

const sentAt = new Map<number, number>()
const httpTimes: number[] = []
const errors: Record<string, number> = {}
let next = 0
async function worker(shopperIndex: number, total: number, measure: boolean) {
  for (;;) {
    const index = next++
    if (index >= total) return
    const machine = machines[index % machines.length]
    const started = performance.now()
    const response = await postJson(
      `${url}/api/v1/products/${machine.productId}/buy`,
      shoppers[shopperIndex].token,
      { machine: machine.code }
    )
    if (response.status !== 201) {
      const key = `${response.status} ${response.body?.errors?.[0]?.code ?? ''}`
      errors[key] = (errors[key] ?? 0) + 1
      continue
    }
    if (measure) {
      sentAt.set(response.body.order.id, started)
      httpTimes.push(performance.now() - started)
    }
  }
}
await Promise.all(shoppers.map((_, index) => worker(index, settings.warmup, false)))
resultRoundTrips.length = 0
next = 0
const runStarted = performance.now()
const cpuBefore = processCpuMs(server.child.pid!)
await Promise.all(shoppers.map((_, index) => worker(index, settings.buys, true)))
const runSeconds = (performance.now() - runStarted) / 1000
const stillOpen = await waitForSettled(30_000)
// Settling the results is part of a buy: read once every order is settled.
const cpuMsPerBuy = (processCpuMs(server.child.pid!) - cpuBefore) / settings.buys
const stats = await serverStats(url)

const toVend: number[] = []
const toSettled: number[] = []
for (const [orderId, started] of sentAt) {
  if (vendAt.has(orderId)) toVend.push(vendAt.get(orderId)! - started)
  if (settledAt.has(orderId)) toSettled.push(settledAt.get(orderId)! - started)
}

// The monitor's write on its own, as DeviceMonitor queues it per event.
const { default: DeviceEvent } = await import('#models/device_event')
const monitorTimes: number[] = []
for (let index = 0; index < 200; index++) {
  const started = performance.now()
  const machineId = machines[index % machines.length].id
  await DeviceEvent.create({ machineId, direction: 'in', event: 'bench', payload: { index } })
  monitorTimes.push(performance.now() - started)
}

const dispensed = devices.flatMap((device) => device.dispensed)
const problems = await checkBooks(units, dispensed)
if (vendAt.size < sentAt.size)
  problems.push(`${sentAt.size - vendAt.size} bought orders never reached their device`)
if (stillOpen > 0) problems.push(`${stillOpen} orders still open 30 s after the run`)

console.log(
  `\n${settings.buys} buys over ${settings.devices} devices, ${settings.concurrency} at a time, ${settings.db}: ${runSeconds.toFixed(1)} s (${(settings.buys / runSeconds).toFixed(0)} buys/s)`
)
printTable([
  { measure: 'buy -> vend at device (ms)', ...summary(toVend) },
  { measure: 'buy -> HTTP 201 (ms)', ...summary(httpTimes) },
  { measure: 'buy -> result acked (ms)', ...summary(toSettled) },
  { measure: 'vend_result -> ack (ms)', ...summary(resultRoundTrips) },
  { measure: 'connect -> hello (ms)', ...summary(helloTimes) },
  { measure: 'monitor insert alone (ms)', ...summary(monitorTimes) },
])
console.log(`errors: ${JSON.stringify(errors)}  orders: ${JSON.stringify(await orderStatuses())}`)
console.log(`server: ${JSON.stringify(stats)}`)
const http = summary(httpTimes)
console.log(
  `server cpu ms/buy: ${cpuMsPerBuy.toFixed(2)}` +
    (floor
      ? `; floor ${floor.cpu_ms_per_buy.toFixed(2)} (${ratio(cpuMsPerBuy, floor.cpu_ms_per_buy)}); buy -> 201 p50 ${ratio(http.p50, floor.p50_ms)} / p99 ${ratio(http.p99, floor.p99_ms)} the floor's ${floor.p50_ms} / ${floor.p99_ms} ms`
      : '')
)
console.log(`goal p99 buy -> vend < 25 ms: ${summary(toVend).p99 < 25 ? 'met' : 'not met'}`)
console.log(
  problems.length === 0 ? 'correctness: OK' : `CORRECTNESS FAILURES:\n  ${problems.join('\n  ')}`
)

devices.forEach((device) => device.close())
await server.stop()
await app.terminate()
const vend = summary(toVend)
console.log(
  JSON.stringify({
    bench: 'vend_latency',
    db: settings.db,
    concurrency: settings.concurrency,
    vend_p50_ms: vend.p50,
    vend_p99_ms: vend.p99,
    http_p50_ms: http.p50,
    http_p99_ms: http.p99,
    cpu_ms_per_buy: Math.round(cpuMsPerBuy * 1000) / 1000,
    floor_cpu_ms_per_buy: floor?.cpu_ms_per_buy ?? null,
    floor_http_p50_ms: floor?.p50_ms ?? null,
    floor_http_p99_ms: floor?.p99_ms ?? null,
    correct: problems.length === 0,
  })
)
process.exit(problems.length === 0 ? 0 : 1)
