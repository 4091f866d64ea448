/**
 * Sustained buys per second with zero oversell and an exact ledger, on
 * SQLite or PostgreSQL.
 *
 * The real server (`bin/server.ts`, production settings, a fresh database
 * `tmp/bench-buys.sqlite3` or `vendora_bench_buys`) with `devices` machines
 * connected whose devices report `dropped` at once. Buys go through the
 * HTTP API from `concurrency` workers (Node's fetch, keep-alive), each
 * worker its own shopper, for `seconds` at each concurrency in turn. Then
 * the books are checked: no slot below zero, stock taken equals the orders
 * that hold a unit, every balance equals its ledger sum, one purchase row
 * per order, no command dispensed twice.
 *
 *   node --import=ts-node-maintained/register/esm bench/buys_per_second.ts \
 *     [--db=sqlite|pg] [--seconds=20] [--stages=1,8,32,64] [--devices=20]
 *
 * A small `--units` makes slots run out mid-run, to exercise the oversell
 * check (409 out_of_stock shows in the error counts). Exits 1 only on a
 * correctness failure.
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
  quantile,
  startServer,
  type BenchDb,
} from './lib/harness.js'
import { serverStats } from './lib/server_stats.js'
import { FirmwareDevice } from '#tests/functional/faults/firmware_device'

const settings = options({
  db: 'sqlite' as string,
  seconds: 20,
  stages: '1,8,32,64',
  devices: 20,
  units: 100_000,
})
const stages = settings.stages.split(',').map(Number)
console.log(`buys_per_second  ${machineLine()}`)
console.log(`settings: ${JSON.stringify(settings)}`)

const setup = await prepareDatabase(`buys`, settings.db as BenchDb)
const app = await bootApp(setup)
const { default: db } = await import('@adonisjs/lucid/services/db')
const { checkBooks, orderStatuses, seedMachines, seedShoppers, waitForSettled, BENCH_DEVICE_KEY } =
  await import('./lib/fleet.js')
const price = 100
const machines = await seedMachines(settings.devices, settings.units, price)
const shoppers = await seedShoppers(Math.max(...stages), 1_000_000_000)
const port = benchPort(1)
const server = await startServer(setup, port)
const url = `http://127.0.0.1:${port}`

const devices = machines.map((machine) => new FirmwareDevice(url, machine.code, BENCH_DEVICE_KEY))
await Promise.all(devices.map((device) => device.waitForHello(1, 60_000)))
for (;;) {
  const [{ online }] = await db.from('machines').where('status', 'online').count('* as online')
  if (Number(online) === machines.length) break
  await new Promise((resolve) => setTimeout(resolve, 50))
}

const rows: Record<string, string | number>[] = []
for (const concurrency of stages) {
  const errors: Record<string, number> = {}
  const latencies: number[] = []
  let ok = 0
  let sent = 0
  await serverStats(url)
  const cpuBefore = processCpuMs(server.child.pid!)
  const started = performance.now()
  const until = started + settings.seconds * 1000
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (performance.now() < until) {
        const machine = machines[sent++ % machines.length]
        const requestStarted = performance.now()
        const response = await postJson(
          `${url}/api/v1/products/${machine.productId}/buy`,
          shoppers[worker].token,
          {
            machine: machine.code,
          }
        ).catch((error: Error) => ({ status: 0, body: { errors: [{ code: error.message }] } }))
        latencies.push(performance.now() - requestStarted)
        if (response.status === 201) {
          ok++
        } else {
          const key = `${response.status} ${response.body?.errors?.[0]?.code ?? ''}`
          errors[key] = (errors[key] ?? 0) + 1
        }
      }
    })
  )
  const elapsed = (performance.now() - started) / 1000
  const serverCpuMs = processCpuMs(server.child.pid!) - cpuBefore
  const stats = await serverStats(url)
  rows.push({
    concurrency,
    'buys/s': Math.round(ok / elapsed),
    'ok': ok,
    'p50 ms': Math.round(quantile(latencies, 0.5)),
    'p99 ms': Math.round(quantile(latencies, 0.99)),
    // Settling (the devices' results) is counted in too: it is part of a buy.
    'server cpu ms/buy': ok === 0 ? '-' : (serverCpuMs / ok).toFixed(1),
    'server cpu %': Math.round(serverCpuMs / 10 / elapsed),
    'errors': Object.keys(errors).length === 0 ? '-' : JSON.stringify(errors),
    'server loop lag p99 ms': stats.eventloop_lag_p99_ms,
    'server rss MiB': stats.rss_mib,
  })
}

const stillOpen = await waitForSettled(60_000)
const problems = await checkBooks(
  settings.units,
  devices.flatMap((device) => device.dispensed)
)
if (stillOpen > 0) problems.push(`${stillOpen} orders still open 60 s after the run`)

console.log(`\n${settings.db}, ${settings.devices} devices, ${settings.seconds} s per stage`)
printTable(rows)
console.log(`orders: ${JSON.stringify(await orderStatuses())}`)
const best = Math.max(...rows.map((row) => Number(row['buys/s'])))
console.log(`goal 500 buys/s: ${best >= 500 ? 'met' : 'not met'} (best ${best})`)
console.log(
  problems.length === 0
    ? 'correctness: OK (no oversell, ledger exact, nothing vended twice)'
    : `CORRECTNESS FAILURES:\n  ${problems.join('\n  ')}`
)

devices.forEach((device) => device.close())
await server.stop()
await app.terminate()
process.exit(problems.length === 0 ? 0 : 1)
