/**
 * CPU the idle demo uses: starts `npm run demo` (or `--command`) on its own
 * port and SQLite file, waits until it prints that it is running and the
 * simulated machine `demo-1` connected, lets it settle, then sums user +
 * system CPU of the whole process tree (npm, node, workers: every
 * descendant, all threads) from `/proc/<pid>/stat` over `--seconds`, and
 * prints it as % of one core, per process and in all.
 *
 *   node --import=ts-node-maintained/register/esm bench/idle_cpu.ts \
 *     [--seconds=30] [--settle=10] [--command="npm run demo"]
 *
 * Environment: BENCH_PORT (the demo's PORT). The goal is < 1 % of a core.
 * Ends with one JSON line. Exits 1 when the demo does not start.
 */
import { spawn } from 'node:child_process'
import { readdirSync, readFileSync, rmSync } from 'node:fs'
import { resolve } from 'node:path'
import { benchPort, machineLine, options, printTable } from './lib/harness.js'
import { ChildHandle } from '#tests/helpers/processes'

const settings = options({ seconds: 30, settle: 10, command: 'npm run demo' })
console.log(`idle_cpu  ${machineLine()}`)
console.log(`settings: ${JSON.stringify(settings)}`)

/** pid → { ppid, name, cpu ms } for every process now running. */
function processes() {
  const all = new Map<number, { ppid: number; name: string; cpuMs: number }>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      // utime + stime of all the process's threads, in 10 ms clock ticks.
      all.set(Number(entry), {
        ppid: Number(fields[1]),
        name,
        cpuMs: (Number(fields[11]) + Number(fields[12])) * 10,
      })
    } catch {
      // Gone between the listing and the read.
    }
  }
  return all
}

/** CPU ms of `root` and each of its descendants, by pid. */
function treeCpu(root: number): Map<number, { name: string; cpuMs: number }> {
  const all = processes()
  const tree = new Map<number, { name: string; cpuMs: number }>()
  const queue = [root]
  while (queue.length > 0) {
    const pid = queue.shift()!
    const process = all.get(pid)
    if (!process) continue
    tree.set(pid, { name: process.name, cpuMs: process.cpuMs })
    for (const [child, info] of all) if (info.ppid === pid) queue.push(child)
  }
  return tree
}

const sqlite = resolve('tmp/bench-idle-cpu.sqlite3')
for (const suffix of ['', '-wal', '-shm']) rmSync(sqlite + suffix, { force: true })
const port = benchPort(0)
const [program, ...args] = settings.command.split(' ')
const demo = new ChildHandle(
  spawn(program, args, {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', SQLITE_PATH: sqlite },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so the whole tree can be stopped at the end.
    detached: true,
  })
)
const stopDemo = () => {
  try {
    process.kill(-demo.child.pid!, 'SIGTERM')
  } catch {}
}
process.once('exit', stopDemo)

const startedAt = performance.now()
try {
  await demo.waitForOutput(/Vendora demo is running/, 300_000)
  await demo.waitForOutput(/device connected/, 30_000)
} catch (error) {
  console.error((error as Error).message)
  process.exit(1)
}
const readySeconds = (performance.now() - startedAt) / 1000
console.log(`ready in ${readySeconds.toFixed(1)} s; settling ${settings.settle} s`)
await new Promise((wake) => setTimeout(wake, settings.settle * 1000))

const before = treeCpu(demo.child.pid!)
const sampleStarted = performance.now()
await new Promise((wake) => setTimeout(wake, settings.seconds * 1000))
const after = treeCpu(demo.child.pid!)
const elapsedMs = performance.now() - sampleStarted

const rows = [...after].map(([pid, { name, cpuMs }]) => ({
  pid,
  'process': name,
  'cpu ms': cpuMs - (before.get(pid)?.cpuMs ?? 0),
  '% of a core': (((cpuMs - (before.get(pid)?.cpuMs ?? 0)) / elapsedMs) * 100).toFixed(2),
}))
const totalMs = rows.reduce((sum, row) => sum + row['cpu ms'], 0)
const percent = Math.round((totalMs / elapsedMs) * 100 * 100) / 100
console.log(
  `\nidle demo (\`${settings.command}\`), ${settings.seconds} s after ${settings.settle} s settling`
)
printTable(rows)
console.log(
  `total: ${totalMs} ms of CPU in ${(elapsedMs / 1000).toFixed(1)} s = ${percent} % of one core`
)
console.log(`goal < 1 % of a core: ${percent < 1 ? 'met' : 'not met'}`)

stopDemo()
await demo.exited
console.log(
  JSON.stringify({
    bench: 'idle_cpu',
    command: settings.command,
    seconds: settings.seconds,
    idle_cpu_pct: percent,
    processes: rows.length,
    ready_s: Math.round(readySeconds * 10) / 10,
  })
)
process.exit(0)
