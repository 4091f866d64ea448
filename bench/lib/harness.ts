/**
 * What every bench shares: a fresh database of its own, the real server
 * (`bin/server.ts`) as a child process with production settings, the app
 * booted in this process (console environment: no HTTP server, no gateway,
 * no sweeper) to seed rows with the app's own models and to check the
 * books afterwards, and small helpers for figures and tables.
 *
 * Settings come from the environment:
 *   BENCH_DB      sqlite (default) or pg
 *   PG_HOST, PG_PORT, PG_USER, PG_PASSWORD   as for the app; PG_USER is
 *                 tried first, then postgres, then root
 *   BENCH_PORT    first port to use (default 3580; 3560-3599 is ours)
 *   BENCH_PG_SUFFIX  added to the PostgreSQL database's name
 *                 (`vendora_bench_<name>_<suffix>`), so benches run by
 *                 several people on one PostgreSQL do not drop each
 *                 other's database
 */
import 'reflect-metadata'
import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import pg from 'pg'
import { Ignitor } from '@adonisjs/core'
import type { ApplicationService } from '@adonisjs/core/types'
import { spawn } from 'node:child_process'
import { resolve } from 'node:path'
import { ChildHandle, startProcess } from '#tests/helpers/processes'

export type BenchDb = 'sqlite' | 'pg'

const APP_ROOT = new URL('../../', import.meta.url)

// Stopped by a signal (Ctrl-C, `timeout`, a CI job's end), a bench leaves
// through process.exit, so the 'exit' handlers that kill its servers and
// clients run: a signal's default action would skip them and leave the
// children running, holding their ports.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => process.exit(128 + os.constants.signals[signal]))
}

/**
 * The environment of one bench run: what the server child gets and what
 * this process boots the app with, so both use the same database.
 */
export interface BenchSetup {
  db: BenchDb
  name: string
  env: Record<string, string>
}

/**
 * A fresh database for bench `name` on `db`: SQLite file
 * `tmp/bench-<name>.sqlite3` (deleted first), or PostgreSQL database
 * `vendora_bench_<name>` (with `_<BENCH_PG_SUFFIX>` when set; dropped and
 * created), migrated with
 * `node ace migration:run --force`. `extra` is added to the server's
 * environment (and this process's).
 */
export async function prepareDatabase(
  name: string,
  db: BenchDb,
  extra: Record<string, string> = {}
): Promise<BenchSetup> {
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    // start/env requires one; the server child gets its own (startServer).
    PORT: String(benchPort()),
    APP_KEY: randomBytes(24).toString('hex'),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    SESSION_DRIVER: 'memory',
    PAYMENT_DRIVER: 'demo',
    DISCOVERY_ENABLED: 'false',
    // A load test from one address would trip every per-address limit.
    LIMIT_SHOPPERS_PER_HOUR: '0',
    LIMIT_BUYS_PER_MINUTE: '0',
    LIMIT_TOP_UPS_PER_MINUTE: '0',
    LIMIT_DEVICE_CONNECTS_PER_MINUTE: '0',
    LIMITER_STORE: 'memory',
    REDIS_URL: '',
    DB_CONNECTION: db,
    ...extra,
  }
  if (db === 'sqlite') {
    const path = `tmp/bench-${name}.sqlite3`
    mkdirSync('tmp', { recursive: true })
    for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true })
    // Absolute: a built server resolves it against its own root.
    env.SQLITE_PATH = resolve(path)
  } else {
    const suffix = process.env.BENCH_PG_SUFFIX
    const database = `vendora_bench_${name}${suffix ? `_${suffix}` : ''}`
    env.PG_DATABASE = database
    env.PG_USER = await recreatePgDatabase(database)
  }
  // Without Redis: an ace command with a Redis connection open does not exit.
  const migrate = startProcess('node', ['ace', 'migration:run', '--force'], {
    ...env,
    REDIS_URL: '',
  })
  if ((await migrate.exited) !== 0) throw new Error(`migration failed:\n${migrate.output}`)
  return { db, name, env }
}

/**
 * Drops and creates `database` as the first role that may (as `.ci/run`
 * does), and returns that role.
 */
async function recreatePgDatabase(database: string): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/.test(database)) throw new Error(`unsafe database name: ${database}`)
  const users = [
    ...new Set(
      [process.env.PG_USER, 'postgres', 'root'].filter((user): user is string => Boolean(user))
    ),
  ]
  const failures: string[] = []
  for (const user of users) {
    const client = new pg.Client({
      host: process.env.PG_HOST ?? '127.0.0.1',
      port: Number(process.env.PG_PORT ?? 5432),
      user,
      password: process.env.PG_PASSWORD,
      database: 'postgres',
    })
    try {
      await client.connect()
      await client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`)
      await client.query(`CREATE DATABASE "${database}"`)
      await client.end()
      return user
    } catch (error) {
      failures.push(`${user}: ${(error as Error).message}`)
      await client.end().catch(() => {})
    }
  }
  throw new Error(`could not create ${database}: ${failures.join('; ')}`)
}

/**
 * Boots the app in this process on the bench database, for seeding and
 * checking with the app's models. Only once per process (the app's
 * services are module singletons).
 */
export async function bootApp(setup: BenchSetup): Promise<ApplicationService> {
  Object.assign(process.env, setup.env)
  const importer = (filePath: string) =>
    filePath.startsWith('./') || filePath.startsWith('../')
      ? import(new URL(filePath, APP_ROOT).href)
      : import(filePath)
  const app = new Ignitor(APP_ROOT, { importer })
    .tap((booting) => booting.booting(async () => void (await import('#start/env'))))
    .createApp('console')
  await app.init()
  await app.boot()
  await app.start(async () => {})
  return app
}

/**
 * The real server on `port` with NODE_ENV=production and LOG_LEVEL=warn,
 * resolved once socket.io answers. By default `bin/server.ts` through the
 * ts-node loader, as the tests start it; with `BENCH_BUILD_DIR` set, the
 * built server (`node ace build` output, with a `node_modules` link) run
 * as the Dockerfile runs it, `node bin/server.js` in that folder: the
 * loader costs CPU on every request (each `import()` goes through its
 * hooks thread), so production figures come from the build. `extra` is
 * added to the bench's environment; `nodeArgs` go to node (e.g.
 * `--cpu-prof` to see where a buy's CPU goes).
 */
export async function startServer(
  setup: BenchSetup,
  port: number,
  extra: Record<string, string> = {},
  nodeArgs: string[] = []
): Promise<ChildHandle> {
  // Ready when socket.io answers its handshake (it attaches just after
  // the HTTP server starts); LOG_LEVEL=warn prints no start line to wait for.
  const env = { ...process.env, ...setup.env, PORT: String(port), ...extra }
  nodeArgs = [...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []), ...nodeArgs]
  const built = process.env.BENCH_BUILD_DIR
  const server = built
    ? new ChildHandle(
        spawn('node', [...nodeArgs, 'bin/server.js'], {
          cwd: resolve(built),
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
        })
      )
    : startProcess(
        'node',
        [...nodeArgs, '--import', 'ts-node-maintained/register/esm', 'bin/server.ts'],
        env
      )
  // A bench that throws must not leave its server holding the port.
  process.once('exit', () => server.child.kill('SIGKILL'))
  // BENCH_SERVER_LOG=file keeps what the server printed, for a look after.
  const log = process.env.BENCH_SERVER_LOG
  if (log) server.exited.then(() => writeFileSync(log, server.output))
  const deadline = Date.now() + 60_000
  for (;;) {
    const response = await fetch(
      `http://127.0.0.1:${port}/socket.io/?EIO=4&transport=polling`
    ).catch(() => null)
    await response?.text()
    if (response?.ok && server.running) return server
    if (!server.running || Date.now() > deadline)
      throw new Error(`server did not start on ${port}:\n${server.output}`)
    await new Promise((wake) => setTimeout(wake, 100))
  }
}

/**
 * The first port of the bench range (3560-3599), `BENCH_PORT` or 3580.
 */
export function benchPort(offset = 0): number {
  return Number(process.env.BENCH_PORT ?? 3580) + offset
}

/**
 * The `q` quantile (0..1) of `values` (nearest rank), or NaN when empty.
 */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]
}

/**
 * `{ n, p50, p95, p99, max }` of `values` in ms, rounded to 0.1 ms.
 */
export function summary(values: number[]) {
  const round = (value: number) => Math.round(value * 10) / 10
  return {
    n: values.length,
    p50: round(quantile(values, 0.5)),
    p95: round(quantile(values, 0.95)),
    p99: round(quantile(values, 0.99)),
    max: round(quantile(values, 1)),
  }
}

/**
 * Prints rows as an aligned text table.
 */
export function printTable(rows: Record<string, string | number>[]) {
  if (rows.length === 0) return
  const columns = Object.keys(rows[0])
  const widths = columns.map((column) =>
    Math.max(column.length, ...rows.map((row) => String(row[column] ?? '').length))
  )
  const line = (cells: string[]) =>
    cells.map((cell, index) => cell.padStart(widths[index])).join('  ')
  console.log(line(columns))
  console.log(line(widths.map((width) => '-'.repeat(width))))
  for (const row of rows) console.log(line(columns.map((column) => String(row[column] ?? ''))))
}

/**
 * The machine and the load on it, printed with every result: figures from
 * a busy machine are not comparable.
 */
export function machineLine(): string {
  const [one, five] = os.loadavg()
  const quiet = one < 1 ? 'quiet' : 'BUSY (figures are noisy)'
  return `${new Date().toISOString()}  node ${process.version}  ${os.cpus().length} cpus  ${Math.round(os.totalmem() / 2 ** 30)} GiB  load ${one.toFixed(2)}/${five.toFixed(2)}: ${quiet}`
}

/**
 * `--name=value` command-line options, numbers where they parse.
 */
export function options<T extends Record<string, string | number>>(defaults: T): T {
  const parsed: Record<string, string | number> = { ...defaults }
  for (const argument of process.argv.slice(2)) {
    const match = /^--([\w-]+)=(.*)$/.exec(argument)
    if (!match) continue
    const key = match[1].replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase())
    parsed[key] = typeof defaults[key] === 'number' ? Number(match[2]) : match[2]
  }
  return parsed as T
}

/**
 * POSTs JSON with a bearer token; resolves with the status and body.
 * Node's fetch keeps connections alive per origin.
 */
export async function postJson(url: string, token: string, body: unknown) {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'authorization': `Bearer ${token}`,
      'content-type': 'application/json',
      'accept': 'application/json',
    },
    body: JSON.stringify(body),
  })
  const text = await response.text()
  let parsed: any = null
  try {
    parsed = JSON.parse(text)
  } catch {}
  return { status: response.status, body: parsed }
}

/**
 * CPU time (user + system, ms) a process has used so far, from
 * /proc/<pid>/stat (Linux; clock ticks of 10 ms). On a busy machine wall
 * times stretch but CPU per operation does not, so the benches report it.
 */
export function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 10
}

/**
 * `processCpuMs` summed over several processes (the nodes of a cluster).
 */
export function processesCpuMs(pids: number[]): number {
  return pids.reduce((sum, pid) => sum + processCpuMs(pid), 0)
}
