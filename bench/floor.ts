/**
 * The floor: CPU per buy and buys/s of a framework-free server
 * (`bench/lib/floor_server.mjs`: node:http, better-sqlite3 prepared
 * statements in WAL mode, one transaction per buy, socket.io `vend`, one
 * UPDATE to settle) under the same load (`runBuyStage`) and the same
 * simulated devices (`FirmwareDevice`) as `bench:buys`. The real server's
 * figures are read as ratios to it: what the framework, the ORM and the
 * app's extra rules cost on top of the work a buy cannot avoid.
 *
 *   node --import=ts-node-maintained/register/esm bench/floor.ts \
 *     [--seconds=20] [--stages=1,8,32,64] [--devices=20] [--units=100000] [--warmup=3]
 *
 * `--warmup` seconds of buys at concurrency 8 come first and are not
 * counted (lazy imports and the JIT), as in `bench:buys`.
 *
 * Seeds a fresh SQLite database (`tmp/bench-floor.sqlite3`) with the app's
 * migrations and factories, then checks its books with `checkBooks` (no
 * oversell, every balance equals its ledger, one purchase row per order,
 * nothing vended twice). Ends with one JSON line (`"bench":"floor"`) that
 * `measureFloor` (bench/lib/floor.ts) reads. Exits 1 only on a correctness
 * failure.
 */
import { spawn } from 'node:child_process'
import {
  benchPort,
  bootApp,
  machineLine,
  options,
  prepareDatabase,
  printTable,
  quantile,
} from './lib/harness.js'
import { runBuyStage, warmUp } from './lib/load.js'
import { FirmwareDevice } from '#tests/functional/faults/firmware_device'
import { ChildHandle } from '#tests/helpers/processes'

const settings = options({
  seconds: 20,
  stages: '1,8,32,64',
  devices: 20,
  units: 100_000,
  warmup: 3,
})
const stages = settings.stages.split(',').map(Number)
console.log(`floor  ${machineLine()}`)
console.log(`settings: ${JSON.stringify(settings)}`)

const setup = await prepareDatabase('floor', 'sqlite')
const app = await bootApp(setup)
const { checkBooks, orderStatuses, seedMachines, seedShoppers, waitForSettled, BENCH_DEVICE_KEY } =
  await import('./lib/fleet.js')
const machines = await seedMachines(settings.devices, settings.units, 100)
const shoppers = await seedShoppers(Math.max(...stages), 1_000_000_000)

const port = benchPort(1)
const url = `http://127.0.0.1:${port}`
const server = new ChildHandle(
  spawn('node', ['bench/lib/floor_server.mjs'], {
    env: { ...process.env, SQLITE_PATH: setup.env.SQLITE_PATH, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
)
process.once('exit', () => server.child.kill('SIGKILL'))
for (const deadline = Date.now() + 30_000; ;) {
  const response = await fetch(`${url}/socket.io/?EIO=4&transport=polling`).catch(() => null)
  await response?.text()
  if (response?.ok) break
  if (!server.running || Date.now() > deadline)
    throw new Error(`floor server did not start:\n${server.output}`)
  await new Promise((wake) => setTimeout(wake, 100))
}

const devices = machines.map((machine) => new FirmwareDevice(url, machine.code, BENCH_DEVICE_KEY))
await Promise.all(devices.map((device) => device.waitForHello(1, 60_000)))

await warmUp(
  url,
  machines,
  shoppers.map((shopper) => shopper.token),
  stages,
  settings.warmup,
  server.child.pid!
)

const results: {
  concurrency: number
  buys_per_s: number
  cpu_ms_per_buy: number
  p50_ms: number
  p99_ms: number
}[] = []
const rows: Record<string, string | number>[] = []
for (const concurrency of stages) {
  const stage = await runBuyStage(
    url,
    machines,
    shoppers.map((shopper) => shopper.token),
    concurrency,
    settings.seconds,
    server.child.pid!
  )
  const cpuMsPerBuy = stage.ok === 0 ? Number.NaN : stage.serverCpuMs / stage.ok
  results.push({
    concurrency,
    buys_per_s: Math.round(stage.ok / stage.elapsedS),
    cpu_ms_per_buy: Math.round(cpuMsPerBuy * 1000) / 1000,
    p50_ms: Math.round(quantile(stage.latencies, 0.5) * 10) / 10,
    p99_ms: Math.round(quantile(stage.latencies, 0.99) * 10) / 10,
  })
  rows.push({
    concurrency,
    'buys/s': Math.round(stage.ok / stage.elapsedS),
    'ok': stage.ok,
    'p50 ms': quantile(stage.latencies, 0.5).toFixed(1),
    'p99 ms': quantile(stage.latencies, 0.99).toFixed(1),
    'floor cpu ms/buy': cpuMsPerBuy.toFixed(3),
    'floor cpu %': Math.round(stage.serverCpuMs / 10 / stage.elapsedS),
    'errors': Object.keys(stage.errors).length === 0 ? '-' : JSON.stringify(stage.errors),
  })
}

const stillOpen = await waitForSettled(30_000)
const problems = await checkBooks(
  settings.units,
  devices.flatMap((device) => device.dispensed)
)
if (stillOpen > 0) problems.push(`${stillOpen} orders still open 30 s after the run`)

console.log(`\nfloor (sqlite), ${settings.devices} devices, ${settings.seconds} s per stage`)
printTable(rows)
console.log(`orders: ${JSON.stringify(await orderStatuses())}`)
console.log(
  problems.length === 0
    ? 'correctness: OK (no oversell, ledger exact, nothing vended twice)'
    : `CORRECTNESS FAILURES:\n  ${problems.join('\n  ')}`
)

devices.forEach((device) => device.close())
await server.stop()
await app.terminate()
const headline = results.find((result) => result.concurrency === 32) ?? results.at(-1)!
console.log(
  JSON.stringify({
    bench: 'floor',
    db: 'sqlite',
    concurrency: headline.concurrency,
    buys_per_s: headline.buys_per_s,
    cpu_ms_per_buy: headline.cpu_ms_per_buy,
    p50_ms: headline.p50_ms,
    p99_ms: headline.p99_ms,
    stages: results,
    correct: problems.length === 0,
  })
)
process.exit(problems.length === 0 ? 0 : 1)
