/**
 * The coordination tax: server CPU per buy on one node against two nodes
 * sharing PostgreSQL and Redis, at the same load.
 *
 * One fresh PostgreSQL database `vendora_bench_nodes` (several nodes need
 * PostgreSQL) and the same seeded machines and shoppers for both phases:
 *
 * 1. one node (`bin/server.ts`, production settings, no `REDIS_URL`: how a
 *    single node runs), every device on it, `concurrency` workers buying
 *    for `seconds`;
 * 2. two nodes with `REDIS_URL` (socket.io's Redis adapter, shared rate
 *    limits and sweep lock, `REDIS_KEY_PREFIX` of this run), half the
 *    devices on each, the workers alternating between the nodes as a load
 *    balancer would, so about half the `vend` commands cross the adapter.
 *
 * CPU per buy is the servers' CPU (user + system, both nodes summed) over
 * the buys answered 201, settling included. The goal is two nodes within
 * 15 % of one: then nodes scale with cores. Redis's own CPU is printed
 * beside it (`INFO cpu`, the whole Redis server: other users of it count
 * too), and so is what the nodes burn idle (3 s with no buys before each
 * stage) and CPU per buy net of it: at a few buys per second on a busy
 * machine, a second node's timers weigh on every buy. Then the books are
 * checked as in `bench:buys`.
 *
 *   node --import=ts-node-maintained/register/esm bench/two_nodes.ts \
 *     [--seconds=10] [--concurrency=32] [--devices=20] [--warmup=3] [--redis-db=10]
 *
 * The last line is one JSON object with the figures. Exits 1 only on a
 * correctness failure.
 */
import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import { FirmwareDevice } from '#tests/functional/faults/firmware_device'
import {
  benchPort,
  bootApp,
  machineLine,
  options,
  prepareDatabase,
  printTable,
  processesCpuMs,
  quantile,
  startServer,
} from './lib/harness.js'
import { runBuyStage, warmUp, type BuyStage } from './lib/load.js'

const settings = options({
  seconds: 10,
  concurrency: 32,
  devices: 20,
  warmup: 3,
  redisDb: 10,
})
console.log(`two_nodes  ${machineLine()}`)
console.log(`settings: ${JSON.stringify(settings)}`)
const units = 1_000_000
const redisUrl = `redis://127.0.0.1:6379/${settings.redisDb}`
const keyPrefix = `vendora-bench-nodes-${randomBytes(4).toString('hex')}:`

const setup = await prepareDatabase('nodes', 'pg', {
  REDIS_URL: redisUrl,
  REDIS_KEY_PREFIX: keyPrefix,
})
// This process only seeds and checks: it needs no Redis.
const app = await bootApp({ ...setup, env: { ...setup.env, REDIS_URL: '' } })
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
const tokens = (await seedShoppers(settings.concurrency, 1_000_000_000)).map(
  (shopper) => shopper.token
)
const redis = new Redis(redisUrl)
const dispensed: string[] = []

/**
 * Connects every device, half to each of `urls` in turn, and waits until
 * the database has them all online.
 */
async function connectDevices(urls: string[]): Promise<FirmwareDevice[]> {
  const devices = machines.map(
    (machine, index) =>
      new FirmwareDevice(urls[index % urls.length], machine.code, BENCH_DEVICE_KEY)
  )
  await Promise.all(devices.map((device) => device.waitForHello(1, 60_000)))
  await waitForOnline(machines.length)
  return devices
}

/** Redis server CPU so far, in ms (user + system, `INFO cpu`). */
async function redisCpuMs(): Promise<number> {
  const info = await redis.info('cpu')
  const field = (name: string) => Number(new RegExp(`${name}:([0-9.]+)`).exec(info)?.[1] ?? 0)
  return (field('used_cpu_user') + field('used_cpu_sys')) * 1000
}

/** Idle time measured before each phase's stage, ms. */
const IDLE_MS = 3000

interface Phase {
  stage: BuyStage
  /** Redis server CPU during the stage, ms (0 with one node). */
  redisCpuMs: number
  /** The nodes' CPU with no buys, ms per second, summed. */
  idleCpuMsPerS: number
}

/**
 * One phase: `nodes` servers (ports from the bench range), devices spread
 * over them, a warm-up, then the measured stage. Settles every order and
 * stops the servers before it returns.
 */
async function phase(nodes: 1 | 2): Promise<Phase> {
  const extra: Record<string, string> = nodes === 1 ? { REDIS_URL: '' } : {}
  const servers = []
  for (let node = 0; node < nodes; node++) {
    servers.push(
      await startServer(setup, benchPort(10 + node), {
        ...extra,
        NODE_ID: `bench-node-${node + 1}`,
      })
    )
  }
  const urls = servers.map((_, node) => `http://127.0.0.1:${benchPort(10 + node)}`)
  const pids = servers.map((server) => server.child.pid!)
  const devices = await connectDevices(urls)
  await warmUp(urls, machines, tokens, [settings.concurrency], settings.warmup, pids)
  // What the nodes burn with no buys (sweeper, timers, heartbeats, the
  // adapter): at low rates on a busy machine it weighs on every buy.
  await waitForSettled(30_000)
  const idleBefore = processesCpuMs(pids)
  await new Promise((resolve) => setTimeout(resolve, IDLE_MS))
  const idleCpuMsPerS = ((processesCpuMs(pids) - idleBefore) * 1000) / IDLE_MS
  const redisBefore = await redisCpuMs()
  const stage = await runBuyStage(
    urls,
    machines,
    tokens,
    settings.concurrency,
    settings.seconds,
    pids
  )
  const redisUsed = (await redisCpuMs()) - redisBefore
  const open = await waitForSettled(60_000)
  if (open > 0) throw new Error(`${open} orders still open 60 s after the ${nodes}-node phase`)
  dispensed.push(...devices.flatMap((device) => device.dispensed))
  devices.forEach((device) => device.close())
  for (const server of servers) await server.stop()
  return { stage, redisCpuMs: nodes === 1 ? 0 : redisUsed, idleCpuMsPerS }
}

const one = await phase(1)
const two = await phase(2)

const perBuy = (stage: BuyStage) => stage.serverCpuMs / stage.ok
// CPU per buy less what the nodes would have spent idle meanwhile.
const netPerBuy = (result: Phase) =>
  (result.stage.serverCpuMs - result.idleCpuMsPerS * result.stage.elapsedS) / result.stage.ok
const row = (name: string, result: Phase) => ({
  'nodes': name,
  'buys/s': Math.round(result.stage.ok / result.stage.elapsedS),
  'ok': result.stage.ok,
  'p50 ms': Math.round(quantile(result.stage.latencies, 0.5)),
  'p99 ms': Math.round(quantile(result.stage.latencies, 0.99)),
  'server cpu ms/buy': perBuy(result.stage).toFixed(2),
  'idle cpu ms/s': result.idleCpuMsPerS.toFixed(1),
  'net of idle ms/buy': netPerBuy(result).toFixed(2),
  'redis cpu ms/buy': result.redisCpuMs ? (result.redisCpuMs / result.stage.ok).toFixed(3) : '-',
  'errors':
    Object.keys(result.stage.errors).length === 0 ? '-' : JSON.stringify(result.stage.errors),
})
const problems = await checkBooks(units, dispensed)
const overheadPct = Math.round((perBuy(two.stage) / perBuy(one.stage) - 1) * 1000) / 10

console.log(
  `\nPostgreSQL, ${settings.devices} devices, concurrency ${settings.concurrency}, ${settings.seconds} s`
)
printTable([row('1 (no Redis)', one), row('2 (Redis)', two)])
console.log(`orders: ${JSON.stringify(await orderStatuses())}`)
console.log(
  `two nodes cost ${overheadPct} % more server CPU per buy than one: goal ≤ 15 %, ${overheadPct <= 15 ? 'met' : 'not met'}`
)
console.log(
  problems.length === 0
    ? 'correctness: OK (no oversell, ledger exact, nothing vended twice)'
    : `CORRECTNESS FAILURES:\n  ${problems.join('\n  ')}`
)

const ownKeys = await redis.keys(`${keyPrefix}*`)
if (ownKeys.length > 0) await redis.del(...ownKeys)
redis.disconnect()
await app.terminate()
console.log(
  JSON.stringify({
    bench: 'two_nodes',
    db: 'pg',
    concurrency: settings.concurrency,
    one_node_cpu_ms_per_buy: Math.round(perBuy(one.stage) * 1000) / 1000,
    two_nodes_cpu_ms_per_buy: Math.round(perBuy(two.stage) * 1000) / 1000,
    overhead_pct: overheadPct,
    one_node_buys_per_s: Math.round(one.stage.ok / one.stage.elapsedS),
    two_nodes_buys_per_s: Math.round(two.stage.ok / two.stage.elapsedS),
    one_node_idle_cpu_ms_per_s: Math.round(one.idleCpuMsPerS * 10) / 10,
    two_nodes_idle_cpu_ms_per_s: Math.round(two.idleCpuMsPerS * 10) / 10,
    net_overhead_pct: Math.round((netPerBuy(two) / netPerBuy(one) - 1) * 1000) / 10,
    redis_cpu_ms_per_buy: Math.round((two.redisCpuMs / two.stage.ok) * 1000) / 1000,
    correct: problems.length === 0,
  })
)
process.exit(problems.length === 0 ? 0 : 1)
