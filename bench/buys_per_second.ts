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
 *     [--db=sqlite|pg] [--seconds=20] [--stages=1,8,32,64] [--devices=20] [--floor=1]
 *     [--warmup=3]
 *
 * `--floor=1` (the default) first runs `bench/floor.ts` with the same
 * stages, seconds and devices, and prints CPU per buy and buys/s as ratios
 * to it; `--floor=0` skips it. `--warmup` seconds of buys at concurrency 8
 * come first and are not counted (lazy imports, the JIT). The last line is one JSON object with the
 * headline figures (concurrency 32, else the highest).
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
  prepareDatabase,
  printTable,
  quantile,
  startServer,
  type BenchDb,
} from './lib/harness.js'
import { serverStats } from './lib/server_stats.js'
import { runBuyStage, warmUp } from './lib/load.js'
import { measureFloor, ratio } from './lib/floor.js'
import { FirmwareDevice } from '#tests/functional/faults/firmware_device'

const settings = options({
  db: 'sqlite' as string,
  seconds: 20,
  stages: '1,8,32,64',
  devices: 20,
  units: 100_000,
  floor: 1,
  warmup: 3,
})
const stages = settings.stages.split(',').map(Number)
console.log(`buys_per_second  ${machineLine()}`)
console.log(`settings: ${JSON.stringify(settings)}`)

// The floor first, same stages and devices, so the ratios compare like with like.
const floor = settings.floor ? await measureFloor(settings) : undefined

const setup = await prepareDatabase(`buys`, settings.db as BenchDb)
const app = await bootApp(setup)
const {
  checkBooks,
  orderStatuses,
  seedMachines,
  seedShoppers,
  waitForSettled,
  waitForOnline,
  BENCH_DEVICE_KEY,
} = await import('./lib/fleet.js')
const price = 100
const machines = await seedMachines(settings.devices, settings.units, price)
const shoppers = await seedShoppers(Math.max(...stages), 1_000_000_000)
const port = benchPort(1)
const server = await startServer(setup, port)
const url = `http://127.0.0.1:${port}`

const devices = machines.map((machine) => new FirmwareDevice(url, machine.code, BENCH_DEVICE_KEY))
await Promise.all(devices.map((device) => device.waitForHello(1, 60_000)))
await waitForOnline(machines.length)

await warmUp(
  url,
  machines,
  shoppers.map((shopper) => shopper.token),
  stages,
  settings.warmup,
  server.child.pid!
)

const rows: Record<string, string | number>[] = []
const results: { concurrency: number; buys_per_s: number; cpu_ms_per_buy: number }[] = []
for (const concurrency of stages) {
  await serverStats(url)
  const stage = await runBuyStage(
    url,
    machines,
    shoppers.map((shopper) => shopper.token),
    concurrency,
    settings.seconds,
    server.child.pid!
  )
  const stats = await serverStats(url)
  // Settling (the devices' results) is counted in too: it is part of a buy.
  const cpuMsPerBuy = stage.ok === 0 ? Number.NaN : stage.serverCpuMs / stage.ok
  const floorStage = floor?.stages.find((candidate) => candidate.concurrency === concurrency)
  results.push({
    concurrency,
    buys_per_s: Math.round(stage.ok / stage.elapsedS),
    cpu_ms_per_buy: Math.round(cpuMsPerBuy * 1000) / 1000,
  })
  rows.push({
    concurrency,
    'buys/s': Math.round(stage.ok / stage.elapsedS),
    'ok': stage.ok,
    'p50 ms': Math.round(quantile(stage.latencies, 0.5)),
    'p99 ms': Math.round(quantile(stage.latencies, 0.99)),
    'server cpu ms/buy': Number.isNaN(cpuMsPerBuy) ? '-' : cpuMsPerBuy.toFixed(2),
    'floor cpu ms/buy': floorStage ? floorStage.cpu_ms_per_buy.toFixed(2) : '-',
    'cpu vs floor': ratio(cpuMsPerBuy, floorStage?.cpu_ms_per_buy),
    'buys/s vs floor': ratio(stage.ok / stage.elapsedS, floorStage?.buys_per_s),
    'server cpu %': Math.round(stage.serverCpuMs / 10 / stage.elapsedS),
    'errors': Object.keys(stage.errors).length === 0 ? '-' : JSON.stringify(stage.errors),
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
const headline = results.find((result) => result.concurrency === 32) ?? results.at(-1)!
const floorHeadline = floor?.stages.find((stage) => stage.concurrency === headline.concurrency)
console.log(
  JSON.stringify({
    bench: 'buys_per_second',
    db: settings.db,
    concurrency: headline.concurrency,
    buys_per_s: headline.buys_per_s,
    cpu_ms_per_buy: headline.cpu_ms_per_buy,
    floor_buys_per_s: floorHeadline?.buys_per_s ?? null,
    floor_cpu_ms_per_buy: floorHeadline?.cpu_ms_per_buy ?? null,
    cpu_vs_floor: floorHeadline
      ? Math.round((headline.cpu_ms_per_buy / floorHeadline.cpu_ms_per_buy) * 100) / 100
      : null,
    best_buys_per_s: Math.max(...results.map((result) => result.buys_per_s)),
    stages: results,
    correct: problems.length === 0,
  })
)
process.exit(problems.length === 0 ? 0 : 1)
