/*
|--------------------------------------------------------------------------
| `npm run demo`: the demo on compiled JavaScript
|--------------------------------------------------------------------------
|
| `node ace demo` runs the TypeScript sources through ts-node's loader, and
| the loader's hooks thread keeps about a sixth of a core busy even while
| the demo sits idle (bench/README.md, "idle_cpu"). So the demo compiles the
| sources once with tsc into `tmp/demo-build` and runs `ace demo` from
| there, in this same process. It compiles again only when a TypeScript
| source, package.json or tsconfig.json changed (their sizes and modified
| times are fingerprinted). Views and public files are linked, not copied,
| so editing them needs no rebuild. When the compiler reports errors the
| demo runs through the loader as before, and says so.
|
| Paths the app resolves against its root (SQLITE_PATH, PRODUCT_UPLOADS_DIR,
| FIRMWARE_DIR) are made absolute against this project, so the compiled
| demo keeps using the same database and files as `node ace demo`.
*/
import { createHash } from 'node:crypto'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { cpSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { isAbsolute, join, relative, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = fileURLToPath(new URL('../', import.meta.url))
const cache = join(root, 'tmp', 'demo-build')
const SOURCE_DIRS = [
  'app',
  'bin',
  'commands',
  'config',
  'database',
  'providers',
  'routes',
  'start',
  'types',
]
const SOURCE_FILES = ['adonisrc.ts', 'package.json', 'tsconfig.json']

/** Sizes and modified times of every input of the build, hashed. */
function fingerprint() {
  const hash = createHash('sha256').update(process.version)
  const add = (path) => {
    const stat = statSync(path)
    hash.update(`${relative(root, path)}\0${stat.size}\0${stat.mtimeMs}\n`)
  }
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name)
    )) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (entry.name.endsWith('.ts') || entry.name.endsWith('.js')) add(path)
    }
  }
  for (const dir of SOURCE_DIRS) if (existsSync(join(root, dir))) walk(join(root, dir))
  for (const file of SOURCE_FILES) add(join(root, file))
  return hash.digest('hex')
}

/**
 * Compiles into a fresh folder and swaps it in, so an interrupted build
 * never leaves a half-written cache. Returns false on compiler errors.
 */
function build(print) {
  const next = `${cache}-next`
  rmSync(next, { recursive: true, force: true })
  mkdirSync(next, { recursive: true })
  // Tests and benches are not part of the demo: leaving them out halves the build.
  const tsconfig = join(root, 'tmp', 'demo-build.tsconfig.json')
  writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: '../tsconfig.json',
      compilerOptions: { rootDir: '..', outDir: './demo-build-next', sourceMap: true },
      include: ['../**/*.ts'],
      exclude: ['../node_modules', '../build', '../tmp', '../firmware', '../tests', '../bench'],
    })
  )
  console.log('Compiling the demo (once; again only after a source change)...')
  const tsc = spawnSync(
    process.execPath,
    [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', tsconfig],
    { cwd: root, stdio: 'inherit' }
  )
  if (tsc.status !== 0) return false
  // #imports resolve against the nearest package.json: it must be this copy.
  cpSync(join(root, 'package.json'), join(next, 'package.json'))
  for (const name of ['node_modules', 'resources', 'public', '.env']) {
    symlinkSync(join('..', '..', name), join(next, name))
  }
  writeFileSync(join(next, '.fingerprint'), print)
  rmSync(cache, { recursive: true, force: true })
  renameSync(next, cache)
  return true
}

/** KEY=value pairs of `.env`, as far as these paths need them. */
function dotenv() {
  const path = join(root, '.env')
  if (!existsSync(path)) return {}
  return Object.fromEntries(
    readFileSync(path, 'utf8')
      .split('\n')
      .map((line) => /^\s*([A-Z_][A-Z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line))
      .filter(Boolean)
      .map((match) => [match[1], match[2].replace(/^(['"])(.*)\1$/, '$2')])
  )
}

const print = fingerprint()
const fresh =
  existsSync(join(cache, '.fingerprint')) &&
  readFileSync(join(cache, '.fingerprint'), 'utf8') === print
const compiled = fresh || build(print)

process.argv.splice(2, 0, 'demo')
if (compiled) {
  const fromEnvFile = dotenv()
  // The defaults of config/database.ts, config/uploads.ts, config/firmware.ts.
  const defaults = {
    SQLITE_PATH: 'tmp/db.sqlite3',
    PRODUCT_UPLOADS_DIR: 'storage/uploads/products',
    FIRMWARE_DIR: 'storage/firmware',
  }
  for (const name of ['SQLITE_PATH', 'PRODUCT_UPLOADS_DIR', 'FIRMWARE_DIR']) {
    const value = process.env[name] || fromEnvFile[name] || defaults[name]
    if (value && !isAbsolute(value)) process.env[name] = resolve(root, value)
  }
  // The event-loop delay metric's 10 ms timer alone is about 1 % of a core
  // (config/metrics.ts); a demo needs no finer reading than 100 ms.
  process.env.METRICS_EVENT_LOOP_PRECISION_MS ||=
    fromEnvFile.METRICS_EVENT_LOOP_PRECISION_MS || '100'
  await import(pathToFileURL(join(cache, 'bin', 'console.js')).href)
} else {
  console.warn('TypeScript errors (above): running the demo through the TypeScript loader instead.')
  await import('../ace.js')
}
