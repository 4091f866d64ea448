/**
 * Device connections per node, to size a node: `devices` idle socket.io
 * devices on one server process, with real heartbeats, against the goal
 * of under 1 GiB RSS.
 *
 * The server (`bin/server.ts` or the build, see `BENCH_BUILD_DIR` in
 * lib/harness.ts) runs with `DEVICE_PING_INTERVAL_MS` lowered (5 s by
 * default here, against 25 s in production) so heartbeats are really
 * exchanged during the hold. `procs` client processes
 * (bench/lib/idle_clients.mjs) connect the devices, `inFlight` at a time
 * each; every connect costs the server a scrypt check of the device key,
 * which is what bounds the connect rate. Then the fleet idles `hold`
 * seconds. Reported: connect time, server RSS and heap before and after
 * (bytes per device), the server's event-loop delay over the hold (from
 * its `/metrics`), the clients' RSS, and presence: every machine
 * `online` while connected and `offline` after.
 *
 * Each process needs a file descriptor per socket: `ulimit -n` must exceed
 * `devices` for the server and `devices / procs` for each client (20,000
 * on our machine).
 *
 *   node --import=ts-node-maintained/register/esm bench/idle_devices.ts \
 *     [--devices=10000] [--procs=4] [--in-flight=32] [--hold=30] [--ping-ms=5000] \
 *     [--mmap-threshold=0] [--snapshots=tmp/snapshots]
 *
 * `--mmap-threshold=<bytes>` runs the server with glibc's
 * `MALLOC_MMAP_THRESHOLD_` fixed (e.g. 1048576): the scrypt key checks'
 * 16 MiB blocks are then returned to the system after each check instead
 * of staying in the libuv threads' arenas, at about twice the CPU per
 * check (bench/README.md idle_devices). 0, the default, leaves glibc's
 * sliding threshold, as the Dockerfile runs the server.
 *
 * With `--snapshots=<dir>`, the server also writes a V8 heap snapshot
 * there before the devices connect and at the end of the hold
 * (`idle-before.heapsnapshot`, `idle-hold.heapsnapshot`), to compare what
 * each connection keeps (Chrome DevTools' comparison view). Writing one
 * stops the server for seconds and doubles its memory for a moment, so
 * the figures of such a run are not the bench's figures.
 *
 * Exits 1 only when presence is wrong (a machine online with no device, or
 * offline with one).
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync } from 'node:fs'
import { join, resolve as resolvePath } from 'node:path'
import { createInterface } from 'node:readline'
import {
  benchPort,
  bootApp,
  machineLine,
  options,
  prepareDatabase,
  printTable,
  processCpuMs,
  startServer,
} from './lib/harness.js'
import { serverStats } from './lib/server_stats.js'

const settings = options({
  devices: 10_000,
  procs: 4,
  inFlight: 32,
  hold: 30,
  pingMs: 5000,
  snapshots: '',
  mmapThreshold: 0,
})
console.log(`idle_devices  ${machineLine()}`)
console.log(`settings: ${JSON.stringify(settings)}  ulimit -n: see README`)

const setup = await prepareDatabase('idle', 'sqlite')
const app = await bootApp(setup)
const { default: db } = await import('@adonisjs/lucid/services/db')
const { seedMachines, BENCH_DEVICE_KEY } = await import('./lib/fleet.js')
await seedMachines(settings.devices, 1, 100)
const port = benchPort(2)
const snapshotDir = settings.snapshots ? resolvePath(settings.snapshots) : ''
if (snapshotDir) mkdirSync(snapshotDir, { recursive: true })
const server = await startServer(
  setup,
  port,
  {
    DEVICE_PING_INTERVAL_MS: String(settings.pingMs),
    DEVICE_PING_TIMEOUT_MS: String(settings.pingMs * 2),
    // 0: glibc's sliding threshold, as the Dockerfile runs it.
    ...(settings.mmapThreshold > 0
      ? { MALLOC_MMAP_THRESHOLD_: String(settings.mmapThreshold) }
      : {}),
  },
  snapshotDir ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${snapshotDir}`] : []
)
const url = `http://127.0.0.1:${port}`

/**
 * Has the server write a heap snapshot (SIGUSR2) and waits until it is
 * done: the server writes it on its event loop, so once the file exists
 * and `/metrics` answers again, it is complete (a kept-alive connection
 * may time out meanwhile: retried). Renamed to `<name>`.
 */
async function heapSnapshot(name: string) {
  const written = () =>
    readdirSync(snapshotDir).filter(
      (file) => file.startsWith('Heap') && file.endsWith('.heapsnapshot')
    )
  server.child.kill('SIGUSR2')
  while (written().length === 0) await new Promise((wake) => setTimeout(wake, 100))
  for (let tries = 1; ; tries++) {
    try {
      await serverStats(url)
      break
    } catch (error) {
      if (tries === 5) throw error
    }
  }
  const target = join(snapshotDir, name)
  if (existsSync(target)) console.log(`replacing ${target}`)
  renameSync(join(snapshotDir, written()[0]), target)
  console.log(`heap snapshot: ${target}`)
}
const rssOf = (pid: number) =>
  Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024

await new Promise((wake) => setTimeout(wake, 2000))
if (snapshotDir) await heapSnapshot('idle-before.heapsnapshot')
const before = await serverStats(url)
const rssBefore = rssOf(server.child.pid!)
const cpuBefore = processCpuMs(server.child.pid!)

type Report = {
  connected?: number
  failed?: number
  ms?: number
  rss: number
  disconnects?: number
}
const perProc = Math.ceil(settings.devices / settings.procs)
const clients = Array.from({ length: settings.procs }, (_, index) => {
  const first = index * perProc + 1
  const count = Math.max(0, Math.min(perProc, settings.devices - index * perProc))
  const child = spawn(
    'node',
    [
      'bench/lib/idle_clients.mjs',
      url,
      String(first),
      String(count),
      String(settings.inFlight),
      BENCH_DEVICE_KEY,
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    }
  )
  process.once('exit', () => child.kill('SIGKILL'))
  const reports: Report[] = []
  const waiters: (() => void)[] = []
  createInterface({ input: child.stdout! }).on('line', (line) => {
    reports.push(JSON.parse(line))
    waiters.splice(0).forEach((wake) => wake())
  })
  const nextReport = async (nth: number) => {
    while (reports.length < nth) await new Promise<void>((resolve) => waiters.push(resolve))
    return reports[nth - 1]
  }
  return { child, nextReport }
})

const connectStarted = performance.now()
const connected = await Promise.all(clients.map((client) => client.nextReport(1)))
const connectSeconds = (performance.now() - connectStarted) / 1000
const connectCpuMs = processCpuMs(server.child.pid!) - cpuBefore
const totalConnected = connected.reduce((sum, report) => sum + (report.connected ?? 0), 0)
const totalFailed = connected.reduce((sum, report) => sum + (report.failed ?? 0), 0)

// Online writes trail the `hello`s a little.
let online = 0
for (let tries = 0; tries < 100; tries++) {
  online = Number(
    (await db.from('machines').where('status', 'online').count('* as online'))[0].online
  )
  if (online === totalConnected) break
  await new Promise((resolve) => setTimeout(resolve, 200))
}

await serverStats(url) // starts the event-loop window of the hold
const holdCpuBefore = processCpuMs(server.child.pid!)
await new Promise((wake) => setTimeout(wake, settings.hold * 1000))
const during = await serverStats(url)
const holdCpuMs = processCpuMs(server.child.pid!) - holdCpuBefore
const rssAfter = rssOf(server.child.pid!)
if (snapshotDir) await heapSnapshot('idle-hold.heapsnapshot')

clients.forEach((client) => client.child.kill('SIGTERM'))
const finals = await Promise.all(clients.map((client) => client.nextReport(2)))
const lostDuringHold = finals.reduce((sum, report) => sum + (report.disconnects ?? 0), 0)
let stillOnline = -1
for (let tries = 0; tries < 150; tries++) {
  stillOnline = Number(
    (await db.from('machines').where('status', 'online').count('* as online'))[0].online
  )
  if (stillOnline === 0) break
  await new Promise((resolve) => setTimeout(resolve, 200))
}

const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1)
console.log(
  `\n${totalConnected} of ${settings.devices} devices connected in ${connectSeconds.toFixed(1)} s (${totalFailed} refused), ${settings.procs} client processes`
)
printTable([
  { figure: 'server RSS before (MiB)', value: mib(rssBefore) },
  { figure: 'server RSS with devices (MiB)', value: mib(rssAfter) },
  {
    figure: 'server RSS per device (KiB)',
    value: ((rssAfter - rssBefore) / Math.max(1, totalConnected) / 1024).toFixed(1),
  },
  {
    figure: 'server heap used before/after (MiB)',
    value: `${before.heap_used_mib} / ${during.heap_used_mib}`,
  },
  {
    figure: `server event-loop delay over ${settings.hold} s hold, p50/p99/max (ms)`,
    value: `${during.eventloop_lag_p50_ms} / ${during.eventloop_lag_p99_ms} / ${during.eventloop_lag_max_ms}`,
  },
  {
    figure: 'server CPU while connecting, ms per device',
    value: (connectCpuMs / Math.max(1, totalConnected)).toFixed(1),
  },
  {
    figure: 'server CPU while idle (% of one core)',
    value: (holdCpuMs / 10 / settings.hold).toFixed(1),
  },
  {
    figure: 'client RSS, all processes (MiB)',
    value: mib(connected.reduce((sum, report) => sum + report.rss, 0)),
  },
  { figure: 'devices dropped during hold', value: lostDuringHold },
  { figure: 'machines online while connected', value: online },
  { figure: 'machines online after disconnect', value: stillOnline },
])
console.log(
  `goal < 1 GiB RSS with ${settings.devices} devices: ${rssAfter < 2 ** 30 && totalConnected === settings.devices ? 'met' : 'not met'}`
)
const problems: string[] = []
if (online !== totalConnected)
  problems.push(`${online} machines online but ${totalConnected} devices connected`)
if (stillOnline !== 0) problems.push(`${stillOnline} machines still online after every device left`)
console.log(
  problems.length === 0 ? 'presence: OK' : `PRESENCE FAILURES:\n  ${problems.join('\n  ')}`
)

await server.stop()
await app.terminate()
// No floor here: the floor measures buys, and this bench makes none.
console.log(
  JSON.stringify({
    bench: 'idle_devices',
    devices: settings.devices,
    connected: totalConnected,
    rss_mib: Number(mib(rssAfter)),
    rss_kib_per_device:
      Math.round(((rssAfter - rssBefore) / Math.max(1, totalConnected) / 1024) * 10) / 10,
    idle_cpu_pct: Math.round((holdCpuMs / 10 / settings.hold) * 10) / 10,
    connect_cpu_ms_per_device: Math.round((connectCpuMs / Math.max(1, totalConnected)) * 10) / 10,
    eventloop_lag_p99_ms: during.eventloop_lag_p99_ms,
    dropped: lostDuringHold,
    correct: problems.length === 0,
  })
)
process.exit(problems.length === 0 ? 0 : 1)
