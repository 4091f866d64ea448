/*
|--------------------------------------------------------------------------
| npm test: the whole suite, split over parallel workers
|--------------------------------------------------------------------------
|
| Deals the spec files of the unit, functional and browser suites out to
| TEST_WORKERS `node ace test` processes (longest first, by the per-file
| durations in tests/timings.json), each with what it must not share with
| another run: its own HTTP port, SQLite file or PostgreSQL database,
| firmware and upload folders, all under tmp/test-run-<pid>/. Two clones
| (or two runs in one clone) can therefore run at the same time.
|
| Most of the suite waits (sockets, vend timeouts, a twin's reconnect, a
| browser), so workers beyond the core count still shorten the run.
|
| With arguments (`npm test -- --files tests/functional/api/buy.spec.ts`)
| or TEST_WORKERS=1 it runs one plain `node ace test` with them instead.
|
| Each worker's output is printed whole when it ends; the last line is the
| combined `N passed, N failed[, N skipped]` that CI reads. The exit status
| is 1 when any worker failed, printed no summary line, or ran no test.
|
| `--record-timings` rewrites tests/timings.json from this run's durations.
*/
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'

const ROOT = new URL('../', import.meta.url).pathname
const SUITE_DIRS = ['tests/unit', 'tests/functional', 'tests/browser']
const TIMINGS_FILE = join(ROOT, 'tests/timings.json')
const SUMMARY_RE = /^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?$/
// A file missing from tests/timings.json (a new spec) counts as this long.
const UNKNOWN_FILE_MS = 3000

const args = process.argv.slice(2)
const recordTimings = args.includes('--record-timings')
const passThrough = args.filter((arg) => arg !== '--record-timings')
const settings = readSettings()
const workerCount = Number(process.env.TEST_WORKERS ?? defaultWorkers())

if (passThrough.length > 0 || workerCount <= 1) {
  const child = spawn(process.execPath, ['ace', 'test', ...passThrough], {
    cwd: ROOT,
    stdio: 'inherit',
  })
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
} else {
  process.exitCode = await runParallel(workerCount)
}

/**
 * Three workers per two cores, at least two: measured on our 2-core
 * machine, where most of a worker's time is spent waiting.
 */
function defaultWorkers() {
  return Math.max(2, Math.ceil((availableParallelism() * 3) / 2))
}

/**
 * The variables the test process would see: the shell's, then
 * .env.test's, then .env's (AdonisJS's order for NODE_ENV=test).
 */
function readSettings() {
  const merged = {}
  for (const file of ['.env', '.env.test']) {
    const path = join(ROOT, file)
    if (!existsSync(path)) continue
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      const match = /^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/.exec(line)
      if (match) merged[match[1]] = match[2].replace(/^(['"])(.*)\1$/, '$2')
    }
  }
  return { ...merged, ...process.env }
}

/**
 * Every spec file of the three suites, relative to the app root.
 */
function specFiles() {
  return SUITE_DIRS.flatMap((dir) =>
    readdirSync(join(ROOT, dir), { recursive: true })
      .map((entry) => `${dir}/${String(entry).replaceAll('\\', '/')}`)
      .filter((file) => /\.spec\.(ts|js)$/.test(file))
  ).sort()
}

/**
 * Deals `files` to `count` workers, longest first, each to the worker with
 * the least work so far (LPT scheduling). Returns the workers' file lists.
 */
function deal(files, count) {
  const known = existsSync(TIMINGS_FILE) ? JSON.parse(readFileSync(TIMINGS_FILE, 'utf8')) : {}
  const weight = (file) => known[file] ?? UNKNOWN_FILE_MS
  const workers = Array.from({ length: count }, () => ({ files: [], ms: 0 }))
  for (const file of [...files].sort((a, b) => weight(b) - weight(a))) {
    const lightest = workers.reduce((best, worker) => (worker.ms < best.ms ? worker : best))
    lightest.files.push(file)
    lightest.ms += weight(file)
  }
  return workers.filter((worker) => worker.files.length > 0)
}

/**
 * A TCP port of 127.0.0.1 that is free now, below Linux's ephemeral range
 * (32768 and up) so no outgoing connection takes it before the worker's
 * server binds it a few seconds later.
 */
async function freePort(taken) {
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * 12000)
    if (taken.has(port)) continue
    const free = await new Promise((resolve) => {
      const server = createServer()
      server.once('error', () => resolve(false))
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
    })
    if (free) {
      taken.add(port)
      return port
    }
  }
}

/**
 * Drops and creates each worker's PostgreSQL database, named after
 * PG_DATABASE with `_w<n>` appended, through the app's own `pg` driver.
 */
async function preparePostgres(names) {
  const { default: pg } = await import('pg')
  const client = new pg.Client({
    host: settings.PG_HOST ?? '127.0.0.1',
    port: Number(settings.PG_PORT ?? 5432),
    user: settings.PG_USER ?? 'postgres',
    password: settings.PG_PASSWORD,
    database: 'postgres',
  })
  await client.connect()
  try {
    for (const name of names) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unsafe database name: ${name}`)
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
      await client.query(`CREATE DATABASE "${name}"`)
    }
  } finally {
    await client.end()
  }
}

/**
 * Runs the suite over `count` workers and prints their output and the
 * combined summary line. Resolves with the exit status.
 */
async function runParallel(count) {
  const started = Date.now()
  const runDir = join('tmp', `test-run-${process.pid}`)
  rmSync(join(ROOT, runDir), { recursive: true, force: true })
  const workers = deal(specFiles(), count)
  const onPostgres = settings.DB_CONNECTION === 'pg'
  const baseDatabase = settings.PG_DATABASE ?? 'vendora_test'
  if (onPostgres) {
    await preparePostgres(workers.map((_, index) => `${baseDatabase}_w${index + 1}`))
  }

  const ports = new Set()
  const children = []
  const stopAll = (signal) => {
    for (const child of children) {
      // Each worker leads its own process group: this reaches its
      // Chromium, twins and child servers too.
      if (child.exitCode === null) {
        try {
          process.kill(-child.pid, signal)
        } catch {}
      }
    }
  }
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      process.stderr.write(`\n${signal}: stopping the test workers\n`)
      stopAll('SIGTERM')
      setTimeout(() => stopAll('SIGKILL'), 5000).unref()
    })
  }

  process.stderr.write(
    `Running ${workers.length} test workers on ${onPostgres ? 'PostgreSQL' : 'SQLite'} (TEST_WORKERS to change)\n`
  )
  const results = await Promise.all(
    workers.map(async (worker, index) => {
      const n = index + 1
      const dir = join(runDir, `w${n}`)
      mkdirSync(join(ROOT, dir), { recursive: true })
      const env = {
        ...process.env,
        PORT: String(await freePort(ports)),
        SQLITE_PATH: join(dir, 'test.sqlite3'),
        FIRMWARE_DIR: join(dir, 'firmware'),
        PRODUCT_UPLOADS_DIR: join(dir, 'uploads'),
        TEST_TIMINGS_PATH: join(ROOT, dir, 'timings.json'),
        TEST_WORKER: String(n),
        ...(onPostgres ? { PG_DATABASE: `${baseDatabase}_w${n}` } : {}),
        ...(process.stdout.isTTY ? { FORCE_COLOR: '1' } : {}),
      }
      const child = spawn(
        process.execPath,
        ['ace', 'test', ...worker.files.flatMap((file) => ['--files', file])],
        { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] }
      )
      children.push(child)
      let output = ''
      let partial = ''
      const collect = (chunk) => {
        const text = chunk.toString('utf8')
        output += text
        // A live line per file started, so a long run shows it is moving.
        const lines = (partial + text).split('\n')
        partial = lines.pop()
        for (const line of lines) {
          const plain = stripColours(line)
          if (/^(unit|functional|browser) \/ .*\(tests\/.*\)$/.test(plain)) {
            process.stderr.write(`[w${n} ${elapsed(started)}] ${plain}\n`)
          } else if (/^\s*✖/.test(plain)) {
            process.stderr.write(`[w${n} ${elapsed(started)}] ${plain.trim()}\n`)
          }
        }
      }
      child.stdout.on('data', collect)
      child.stderr.on('data', collect)
      const status = await new Promise((resolve) => {
        child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)))
      })
      return { n, worker, output, status, dir }
    })
  )

  let passed = 0
  let failed = 0
  let skipped = 0
  let exitStatus = 0
  const timings = {}
  for (const { n, worker, output, status, dir } of results) {
    process.stdout.write(`\n━━ worker ${n}: ${worker.files.length} files ━━\n`)
    process.stdout.write(output.endsWith('\n') ? output : `${output}\n`)
    const line = stripColours(output)
      .split('\n')
      .map((text) => text.trim())
      .filter((text) => SUMMARY_RE.test(text))
      .pop()
    if (line) {
      const [, p, f, s] = SUMMARY_RE.exec(line)
      passed += Number(p)
      failed += Number(f)
      skipped += Number(s ?? 0)
    } else {
      failed += 1
      process.stdout.write(`worker ${n} printed no summary line (exit status ${status})\n`)
    }
    if (status !== 0 || !line) exitStatus = 1
    const timingsPath = join(ROOT, dir, 'timings.json')
    if (existsSync(timingsPath))
      Object.assign(timings, JSON.parse(readFileSync(timingsPath, 'utf8')))
  }
  if (recordTimings) {
    const sorted = Object.fromEntries(
      Object.entries(timings).sort(([a], [b]) => a.localeCompare(b))
    )
    writeFileSync(TIMINGS_FILE, JSON.stringify(sorted, null, 2) + '\n')
    process.stdout.write(
      `\nwrote ${Object.keys(sorted).length} file durations to tests/timings.json\n`
    )
  }
  if (exitStatus === 0) rmSync(join(ROOT, runDir), { recursive: true, force: true })
  else process.stdout.write(`\nworker folders kept for a look: ${runDir}\n`)
  if (passed + failed === 0) exitStatus = 1

  process.stdout.write(`\n${workers.length} workers, ${elapsed(started)} in all\n`)
  process.stdout.write(
    `${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}\n`
  )
  return exitStatus
}

function stripColours(text) {
  return text.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').replace(/\r/g, '')
}

function elapsed(since) {
  const seconds = Math.round((Date.now() - since) / 1000)
  return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`
}
