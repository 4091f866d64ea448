/**
 * Fault: two app nodes lose their Redis connections while
 * shoppers buy and devices vend. Not a CI test (it takes a minute and
 * drives two server processes).
 *
 * Two servers (`bin/server.ts`) share a fresh PostgreSQL database
 * `vendora_bench_redisdrop` (several nodes need PostgreSQL: on one SQLite
 * file, two processes' write transactions fail with SQLITE_BUSY, answered
 * 500, which `--db=sqlite` shows) and
 * `REDIS_URL=redis://127.0.0.1:6379/<db>` (db 9 by default, prefix
 * `vendora-bench-redis-drop:`), so a vend command bought on one node has
 * to cross socket.io's Redis adapter to a device on the other. Devices
 * connect to node A; buys go to node B (and some to A). After `before`
 * seconds every Redis connection of our database number is killed
 * (`CLIENT KILL ID` for each `CLIENT LIST` entry with `db=<db>`: only this
 * bench's connections, not other users of the Redis server), `drops` times
 * one second apart; ioredis reconnects by itself. Buys go on for `after`
 * seconds. Then, with `VEND_TIMEOUT_MS` 10 s (`VEND_RESULT_GRACE_MS` 2 s, `VEND_RESEND_MS` 3 s), every order must settle
 * (completed, or failed and refunded when its command was lost), none left
 * pending or dispensing, the books exact, nothing vended twice.
 *
 *   node --import=ts-node-maintained/register/esm bench/faults_redis_drop.ts \
 *     [--db=pg|sqlite] [--devices=5] [--workers=4] [--before=5] [--after=15] [--drops=3] [--redis-db=9]
 *
 * Exits 1 on a correctness failure.
 */
import { Redis } from 'ioredis'
import { FirmwareDevice } from '#tests/functional/faults/firmware_device'
import {
  benchPort,
  bootApp,
  machineLine,
  options,
  prepareDatabase,
  startServer,
  type BenchDb,
} from './lib/harness.js'
import { buyStream, retrying } from './lib/load.js'

const settings = options({
  db: 'pg' as string,
  devices: 5,
  workers: 4,
  before: 5,
  after: 15,
  drops: 3,
  redisDb: 9,
})
console.log(`faults_redis_drop  ${machineLine()}`)
console.log(`settings: ${JSON.stringify(settings)}`)
const units = 100_000
const redisUrl = `redis://127.0.0.1:6379/${settings.redisDb}`

const setup = await prepareDatabase('redisdrop', settings.db as BenchDb, {
  REDIS_URL: redisUrl,
  REDIS_KEY_PREFIX: 'vendora-bench-redis-drop:',
  VEND_TIMEOUT_MS: '10000',
  // The simulated devices vend in milliseconds: a short wait past the deadline.
  VEND_RESULT_GRACE_MS: '2000',
  // Commands lost with the adapter are sent again well before the timeout.
  VEND_RESEND_MS: '3000',
  VEND_SWEEP_INTERVAL_MS: '1000',
})
// This process only seeds and checks: it needs no Redis.
const app = await bootApp({ ...setup, env: { ...setup.env, REDIS_URL: '' } })
const { default: db } = await import('@adonisjs/lucid/services/db')
const { checkBooks, orderStatuses, seedMachines, seedShoppers, waitForSettled, BENCH_DEVICE_KEY } =
  await import('./lib/fleet.js')
const machines = await seedMachines(settings.devices, units, 100)
const shoppers = await seedShoppers(settings.workers, 100_000_000)
const admin = new Redis(redisUrl)
await admin.flushdb()

const [portA, portB] = [benchPort(7), benchPort(8)]
const nodeA = await startServer(setup, portA, { NODE_ID: 'bench-a' })
const nodeB = await startServer(setup, portB, { NODE_ID: 'bench-b' })
const [urlA, urlB] = [`http://127.0.0.1:${portA}`, `http://127.0.0.1:${portB}`]
const devices = machines.map(
  (machine) =>
    new FirmwareDevice(urlA, machine.code, BENCH_DEVICE_KEY, { reconnect: true, resendMs: 2000 })
)
await Promise.all(devices.map((device) => device.waitForHello(1, 60_000)))

// Three workers of four buy on node B: their commands cross the adapter.
const stream = buyStream(
  [urlB, urlB, urlB, urlA],
  machines,
  shoppers.map((shopper) => shopper.token)
)
await new Promise((resolve) => setTimeout(resolve, settings.before * 1000))
const before = { ...stream.counts }
let killed = 0
for (let drop = 0; drop < settings.drops; drop++) {
  const list = (await admin.call('CLIENT', 'LIST')) as string
  const ownId = Number(await admin.call('CLIENT', 'ID'))
  for (const line of list.split('\n')) {
    const id = Number(/\bid=(\d+)/.exec(line)?.[1])
    if (id && id !== ownId && line.includes(` db=${settings.redisDb} `)) {
      await admin.call('CLIENT', 'KILL', 'ID', String(id)).catch(() => {})
      killed++
    }
  }
  await new Promise((resolve) => setTimeout(resolve, 1000))
}
console.log(`killed ${killed} Redis connections in ${settings.drops} drops`)
await new Promise((resolve) => setTimeout(resolve, settings.after * 1000))
const counts = await stream.stop()
const during = Object.fromEntries(
  Object.entries(counts).map(([key, value]) => [key, value - (before[key] ?? 0)])
)

const open = await retrying(() => waitForSettled(60_000))
const problems = await checkBooks(
  units,
  devices.flatMap((device) => device.dispensed)
)
if (open > 0) problems.push(`${open} orders still pending or dispensing 60 s after the run`)
// Results in flight when the last order settled are acked a moment later.
const unackedCount = () =>
  devices.flatMap((device) => [...device.results.values()]).filter((stored) => !stored.acked).length
for (let waited = 0; unackedCount() > 0 && waited < 15_000; waited += 100)
  await new Promise((resolve) => setTimeout(resolve, 100))
const unacked = unackedCount()
if (unacked > 0) problems.push(`${unacked} device results never acked`)

console.log(`answers before the drops: ${JSON.stringify(before)}`)
console.log(`answers from the drops on: ${JSON.stringify(during)}`)
console.log(`orders: ${JSON.stringify(await orderStatuses())}`)
const [{ refunds }] = await db.from('transactions').where('kind', 'refund').count('* as refunds')
console.log(`refund rows (commands lost with the adapter, refunded by the sweeper): ${refunds}`)
console.log(
  problems.length === 0
    ? 'correctness: OK (every order settled once, books exact)'
    : `CORRECTNESS FAILURES:\n  ${problems.join('\n  ')}`
)

devices.forEach((device) => device.close())
await Promise.all([nodeA.stop(), nodeB.stop()])
await admin.flushdb()
admin.disconnect()
await app.terminate()
// A fault run's figures are its answers and its books, not CPU: no floor.
console.log(
  JSON.stringify({
    bench: 'faults_redis_drop',
    db: settings.db,
    answers_before: before,
    answers_during: during,
    refunds: Number(refunds),
    correct: problems.length === 0,
  })
)
process.exit(problems.length === 0 ? 0 : 1)
