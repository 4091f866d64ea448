/**
 * Fault: PostgreSQL restarts while shoppers buy and devices
 * vend. Not a CI test: it restarts the machine's PostgreSQL cluster, which
 * breaks every other connection to it (other test runs included), so run
 * it only on a machine nobody else is using.
 *
 * The real server on a fresh `vendora_bench_pgrestart`, `devices` devices
 * that reconnect by themselves and re-send unacked results every 2 s, and
 * a stream of buys. After `before` seconds the cluster is restarted with
 * `pg_ctlcluster --skip-systemctl-redirect <version> main restart` (the
 * version is the one folder under /etc/postgresql); buys go on for
 * `after` seconds. Then, with `VEND_TIMEOUT_MS` short (10 s, `VEND_RESULT_GRACE_MS` 2 s), every order
 * must settle: completed, or failed and refunded, none left pending or
 * dispensing, the books exact, nothing vended twice.
 *
 *   node --import=ts-node-maintained/register/esm bench/faults_pg_restart.ts \
 *     [--devices=5] [--workers=4] [--before=5] [--after=15]
 *
 * Prints errors by code seen during the outage. Exits 1 on a correctness
 * failure.
 */
import { execFileSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { FirmwareDevice } from '#tests/functional/faults/firmware_device'
import {
  benchPort,
  bootApp,
  machineLine,
  options,
  prepareDatabase,
  startServer,
} from './lib/harness.js'
import { buyStream, retrying } from './lib/load.js'

const settings = options({ devices: 5, workers: 4, before: 5, after: 15 })
console.log(`faults_pg_restart  ${machineLine()}`)
console.log(`settings: ${JSON.stringify(settings)}`)
const units = 100_000

const setup = await prepareDatabase('pgrestart', 'pg', {
  VEND_TIMEOUT_MS: '10000',
  VEND_RESULT_GRACE_MS: '2000',
  VEND_SWEEP_INTERVAL_MS: '1000',
})
const app = await bootApp(setup)
const { default: db } = await import('@adonisjs/lucid/services/db')
const { checkBooks, orderStatuses, seedMachines, seedShoppers, waitForSettled, BENCH_DEVICE_KEY } =
  await import('./lib/fleet.js')
const machines = await seedMachines(settings.devices, units, 100)
const shoppers = await seedShoppers(settings.workers, 100_000_000)
const port = benchPort(6)
const server = await startServer(setup, port)
const url = `http://127.0.0.1:${port}`
const devices = machines.map(
  (machine) =>
    new FirmwareDevice(url, machine.code, BENCH_DEVICE_KEY, { reconnect: true, resendMs: 2000 })
)
await Promise.all(devices.map((device) => device.waitForHello(1, 60_000)))

const stream = buyStream(
  [url],
  machines,
  shoppers.map((shopper) => shopper.token)
)
await new Promise((resolve) => setTimeout(resolve, settings.before * 1000))
const before = { ...stream.counts }
const [version] = readdirSync('/etc/postgresql')
const restartStarted = performance.now()
execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'restart'], {
  stdio: 'inherit',
})
console.log(
  `PostgreSQL ${version}/main restarted in ${((performance.now() - restartStarted) / 1000).toFixed(1)} s`
)
await new Promise((resolve) => setTimeout(resolve, settings.after * 1000))
const counts = await stream.stop()
const during = Object.fromEntries(
  Object.entries(counts).map(([key, value]) => [key, value - (before[key] ?? 0)])
)

const open = await retrying(() => waitForSettled(60_000))
const problems = await retrying(() =>
  checkBooks(
    units,
    devices.flatMap((device) => device.dispensed)
  )
)
if (open > 0) problems.push(`${open} orders still pending or dispensing 60 s after the run`)
// Results in flight when the last order settled are acked a moment later.
const unackedCount = () =>
  devices.flatMap((device) => [...device.results.values()]).filter((stored) => !stored.acked).length
for (let waited = 0; unackedCount() > 0 && waited < 15_000; waited += 100)
  await new Promise((resolve) => setTimeout(resolve, 100))
const unacked = unackedCount()
if (unacked > 0) problems.push(`${unacked} device results never acked`)

console.log(`answers before the restart: ${JSON.stringify(before)}`)
console.log(`answers from the restart on: ${JSON.stringify(during)}`)
console.log(`orders: ${JSON.stringify(await retrying(() => orderStatuses()))}`)
const [{ refunds }] = await db.from('transactions').where('kind', 'refund').count('* as refunds')
console.log(`refund rows: ${refunds}`)
console.log(
  problems.length === 0
    ? 'correctness: OK (every order settled once, books exact)'
    : `CORRECTNESS FAILURES:\n  ${problems.join('\n  ')}`
)

devices.forEach((device) => device.close())
await server.stop()
await app.terminate()
// A fault run's figures are its answers and its books, not CPU: no floor.
console.log(
  JSON.stringify({
    bench: 'faults_pg_restart',
    db: 'pg',
    answers_before: before,
    answers_during: during,
    refunds: Number(refunds),
    correct: problems.length === 0,
  })
)
process.exit(problems.length === 0 ? 0 : 1)
