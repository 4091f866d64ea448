/*
|--------------------------------------------------------------------------
| Multi-node test (README "Running several nodes")
|--------------------------------------------------------------------------
|
| Two real app nodes (`bin/server.ts`) on loopback ports, one fresh
| PostgreSQL database, Redis, and Debian's nginx in front with the
| repository's own locations (nginx/vendora_locations.conf). A device
| connects through nginx (long-polling first, as the ESP32 library does),
| which pins it to one node; buys go straight to the other node. Checks:
| every vend delivered once, every order settled (some `no_drop`, refunded
| once), exact stock, balances equal to their ledgers, shopper live updates
| crossing nodes, one device connection per machine across nodes, the
| sweep lock (never two sweeps at once, one per interval for the whole
| cluster), and a graceful shutdown (SIGTERM) of the device's node with a
| request in flight: it completes, the node exits 0 in time, the device is
| told to reconnect and lands on the other node.
|
| Run by .ci/run:  node --import=ts-node-maintained/register/esm tests/cluster/multi_node.ts
| Last line: `N passed, N failed`; exit status 1 when a check failed or
| the setup broke.
|
| Needs: PostgreSQL (PG_HOST, PG_PORT, PG_PASSWORD; role PG_USER, else
| postgres, else root), nginx (/usr/sbin/nginx), and Redis: CLUSTER_REDIS_URL,
| else the one on 127.0.0.1:6379 (db 5), else a private `redis-server`
| started on CLUSTER_REDIS_PORT. Ports: CLUSTER_BASE_PORT (default 3510)
| and the next two. Database: CLUSTER_PG_DATABASE (default vendora_cluster),
| dropped and created afresh, dropped again at the end. Redis keys and
| channels carry a random prefix and are deleted at the end.
*/
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { request } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import knex, { type Knex } from 'knex'
import { Redis } from 'ioredis'
import { io, type Socket } from 'socket.io-client'
import { Scrypt } from '@adonisjs/core/hash/drivers/scrypt'
import { startProcess, type ChildHandle } from '#tests/helpers/processes'

const ROOT = process.cwd()
const BASE_PORT = Number(process.env.CLUSTER_BASE_PORT ?? 3510)
const PORTS = { a: BASE_PORT, b: BASE_PORT + 1, nginx: BASE_PORT + 2 }
const DATABASE = process.env.CLUSTER_PG_DATABASE ?? 'vendora_cluster'
const PG_HOST = process.env.PG_HOST ?? '127.0.0.1'
const PG_PORT = Number(process.env.PG_PORT ?? 5432)
const PREFIX = `vendora-test-${randomBytes(4).toString('hex')}:`
const SWEEP_INTERVAL_MS = 500
const SHUTDOWN_TIMEOUT_MS = 5000
const DEVICE_KEY = 'cluster-device-key'
const MACHINE = 'cluster-1'
const PRICE = 1000
const STOCK = 100
const SHOPPERS = 10
const BUYS_EACH = 5
const TOP_UP = 100_000

/* ------------------------------------------------------------------ checks */

let passed = 0
let failed = 0
function check(name: string, ok: boolean, detail: unknown = '') {
  if (ok) {
    passed++
    console.log(`  ✔ ${name}`)
  } else {
    failed++
    console.log(
      `  ✖ ${name}${detail === '' ? '' : `: ${typeof detail === 'string' ? detail : JSON.stringify(detail)}`}`
    )
  }
}

async function eventually<T>(
  probe: () => Promise<T | undefined | false>,
  timeoutMs: number,
  what: string
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value) return value
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await sleep(100)
  }
}

/* ---------------------------------------------------------------- services */

/** Drops and creates the database as the first role that may; returns that role. */
async function freshDatabase(): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/.test(DATABASE)) throw new Error(`unsafe database name ${DATABASE}`)
  const failures: string[] = []
  for (const user of [
    ...new Set([process.env.PG_USER, 'postgres', 'root'].filter(Boolean) as string[]),
  ]) {
    const client = connect(user, 'postgres')
    try {
      await client.raw(`DROP DATABASE IF EXISTS "${DATABASE}" WITH (FORCE)`)
      await client.raw(`CREATE DATABASE "${DATABASE}"`)
      return user
    } catch (error) {
      failures.push(`${user}: ${(error as Error).message}`)
    } finally {
      await client.destroy()
    }
  }
  throw new Error(`cannot create ${DATABASE}: ${failures.join('; ')}`)
}

async function dropDatabase(user: string) {
  const client = connect(user, 'postgres')
  await client
    .raw(`DROP DATABASE IF EXISTS "${DATABASE}" WITH (FORCE)`)
    .finally(() => client.destroy())
}

function connect(user: string, database: string): Knex {
  return knex({
    client: 'pg',
    connection: { host: PG_HOST, port: PG_PORT, user, password: process.env.PG_PASSWORD, database },
    pool: { min: 0, max: 2 },
  })
}

type Row = Record<string, any>

/** Rows of a query on the test database (`?` placeholders). */
async function rows(db: Knex, sql: string, bindings: readonly unknown[] = []): Promise<Row[]> {
  return (await db.raw(sql, bindings as Knex.RawBinding[])).rows
}

/** A Redis URL to use, and the redis-server this script started (if any). */
async function redisFor(dir: string): Promise<{ url: string; server?: ChildHandle }> {
  if (process.env.CLUSTER_REDIS_URL) return { url: process.env.CLUSTER_REDIS_URL }
  const local = new Redis({
    host: '127.0.0.1',
    port: 6379,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  })
  local.on('error', () => {})
  try {
    await local.connect()
    await local.ping()
    return { url: 'redis://127.0.0.1:6379/5' }
  } catch {
    const port = Number(process.env.CLUSTER_REDIS_PORT ?? BASE_PORT + 3)
    const server = startProcess('redis-server', [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
    ])
    await server.waitForOutput(/Ready to accept connections/, 10_000)
    return { url: `redis://127.0.0.1:${port}/5`, server }
  } finally {
    local.disconnect()
  }
}

function startNginx(dir: string): ChildHandle {
  const template = readFileSync(join(ROOT, 'nginx/cluster_test.conf.template'), 'utf8')
  const config = template
    .replaceAll('{{DIR}}', dir)
    .replaceAll('{{USER}}', process.getuid?.() === 0 ? 'user root;' : '')
    .replaceAll('{{PORT}}', String(PORTS.nginx))
    .replaceAll('{{NODE_A}}', String(PORTS.a))
    .replaceAll('{{NODE_B}}', String(PORTS.b))
    .replaceAll('{{LOCATIONS}}', join(ROOT, 'nginx/vendora_locations.conf'))
    .replaceAll('{{PUBLIC}}', join(ROOT, 'public'))
  writeFileSync(join(dir, 'nginx.conf'), config)
  mkdirSync(join(dir, 'logs'), { recursive: true })
  const nginx = process.env.NGINX ?? '/usr/sbin/nginx'
  return startProcess(nginx, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'])
}

function nodeEnv(id: string, port: number, role: string, redisUrl: string): Record<string, string> {
  return {
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: String(port),
    NODE_ID: id,
    LOG_LEVEL: 'debug',
    DB_CONNECTION: 'pg',
    PG_HOST,
    PG_PORT: String(PG_PORT),
    PG_USER: role,
    PG_DATABASE: DATABASE,
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: PREFIX,
    VEND_SWEEP_INTERVAL_MS: String(SWEEP_INTERVAL_MS),
    SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
    SESSION_DRIVER: 'cookie',
    PAYMENT_DRIVER: 'demo',
    DISCOVERY_ENABLED: 'false',
    LIMITER_STORE: 'memory',
    LIMIT_SHOPPERS_PER_HOUR: '0',
    LIMIT_BUYS_PER_MINUTE: '0',
    LIMIT_TOP_UPS_PER_MINUTE: '0',
    LIMIT_DEVICE_CONNECTS_PER_MINUTE: '0',
  }
}

/**
 * Resolves once the node listens and its socket.io answers (attached in
 * the provider's ready hook, just after "started HTTP server").
 */
async function ready(node: ChildHandle, port: number) {
  await node.waitForOutput(/started HTTP server/, 90_000)
  await eventually(
    async () => {
      if (!node.running) throw new Error(`node on ${port} exited:\n${node.output}`)
      const response = await fetch(
        `http://127.0.0.1:${port}/socket.io/?EIO=4&transport=polling`
      ).catch(() => null)
      await response?.text()
      return response?.ok
    },
    15_000,
    `socket.io on ${port}`
  )
}

function startNode(env: Record<string, string>): ChildHandle {
  return startProcess('node', ['--import', 'ts-node-maintained/register/esm', 'bin/server.ts'], env)
}

/* ------------------------------------------------------------------ device */

interface VendCommand {
  command_id: string
  order_id: number
  slot: number
}

/**
 * The device: a socket.io client through nginx, polling first. It reports
 * `no_drop` for every fifth order id and `dropped` otherwise, resending
 * until acked, and records everything it receives.
 */
class Device {
  readonly commands: VendCommand[] = []
  readonly hints: unknown[] = []
  readonly disconnects: string[] = []
  hellos = 0
  readonly socket: Socket

  constructor(url: string) {
    this.socket = io(`${url}/devices`, {
      auth: { machine: MACHINE, key: DEVICE_KEY },
      transports: ['polling', 'websocket'],
      reconnectionDelay: 300,
      reconnectionDelayMax: 1000,
    })
    this.socket.on('hello', () => this.hellos++)
    this.socket.on('reconnect', (hint: unknown) => this.hints.push(hint))
    this.socket.on('disconnect', (reason) => this.disconnects.push(reason))
    this.socket.on('vend', (command: VendCommand) => {
      this.commands.push(command)
      void this.report(command)
    })
  }

  static resultFor(orderId: number) {
    return orderId % 5 === 0 ? 'no_drop' : 'dropped'
  }

  async report(command: VendCommand) {
    await sleep(20)
    for (let attempt = 0; attempt < 30; attempt++) {
      try {
        const ack = await this.socket.timeout(2000).emitWithAck('vend_result', {
          command_id: command.command_id,
          result: Device.resultFor(command.order_id),
        })
        if (ack?.ok) return
      } catch {}
      await sleep(300)
    }
  }

  waitForHello(count: number, timeoutMs = 15_000) {
    return eventually(async () => this.hellos >= count, timeoutMs, `hello #${count}`)
  }
}

/* --------------------------------------------------------------------- API */

async function api(
  port: number,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
  headers: Record<string, string> = {}
) {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: {
      'accept': 'application/json',
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await response.text()
  return { status: response.status, body: text ? JSON.parse(text) : null }
}

/**
 * A POST whose body arrives in two parts: the request is in flight from
 * the first byte until `finish()` sends the rest.
 */
function slowPost(port: number, path: string, token: string, body: unknown) {
  const payload = Buffer.from(JSON.stringify(body))
  const split = Math.floor(payload.length / 2)
  let finish: () => void = () => {}
  const done = new Promise<{ status: number; body: string }>((resolvePromise, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        headers: {
          'accept': 'application/json',
          'content-type': 'application/json',
          'content-length': String(payload.length),
          'authorization': `Bearer ${token}`,
        },
      },
      (res) => {
        let text = ''
        res.on('data', (chunk) => (text += chunk))
        res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, body: text }))
      }
    )
    req.on('error', reject)
    req.write(payload.subarray(0, split))
    finish = () => req.end(payload.subarray(split))
  })
  return { done, finish: () => finish() }
}

/* ------------------------------------------------------------------- main */

interface SweepLine {
  node: string
  started_at: string
  finished_at: string
}

function sweepsIn(output: string): SweepLine[] {
  return output
    .split('\n')
    .filter((line) => line.includes('"sweep ran"'))
    .map((line) => JSON.parse(line) as SweepLine)
}

async function main() {
  const started = Date.now()
  const dir = mkdtempSync(join(tmpdir(), 'vendora-cluster-'))
  const children: ChildHandle[] = []
  const sockets: Socket[] = []
  let role: string | undefined
  let redisUrl: string | undefined
  let db: Knex | undefined

  try {
    console.log(
      `Multi-node test: nodes on ${PORTS.a} and ${PORTS.b}, nginx on ${PORTS.nginx}, database ${DATABASE}`
    )
    role = await freshDatabase()
    const redis = await redisFor(dir)
    redisUrl = redis.url
    if (redis.server) children.push(redis.server)

    const envA = nodeEnv('node-a', PORTS.a, role, redisUrl)
    const migrate = startProcess('node', ['ace', 'migration:run', '--force'], envA)
    if ((await migrate.exited) !== 0) throw new Error(`migrations failed:\n${migrate.output}`)

    db = connect(role, DATABASE)
    const query = (sql: string, bindings: readonly unknown[] = []) => rows(db!, sql, bindings)
    const keyHash = await new Scrypt({}).make(DEVICE_KEY)
    const now = new Date()
    const product = await query(
      `INSERT INTO products (name, price_paise, is_refundable, is_active, created_at) VALUES ('Cluster Chips', ?, false, true, ?) RETURNING id`,
      [PRICE, now]
    )
    const productId: number = product[0].id
    const machine = await query(
      `INSERT INTO machines (code, name, device_key_hash, status, created_at) VALUES (?, 'Cluster machine', ?, 'offline', ?) RETURNING id`,
      [MACHINE, keyHash, now]
    )
    const machineId: number = machine[0].id
    await query(
      `INSERT INTO slots (machine_id, number, product_id, quantity, capacity, created_at) VALUES (?, 1, ?, ?, ?, ?)`,
      [machineId, productId, STOCK, STOCK, now]
    )

    const nodeA = startNode(envA)
    const nodeB = startNode(nodeEnv('node-b', PORTS.b, role, redisUrl))
    children.push(nodeA, nodeB)
    await Promise.all([ready(nodeA, PORTS.a), ready(nodeB, PORTS.b)])
    const nodes: Record<string, { handle: ChildHandle; port: number }> = {
      'node-a': { handle: nodeA, port: PORTS.a },
      'node-b': { handle: nodeB, port: PORTS.b },
    }

    const nginx = startNginx(dir)
    children.push(nginx)
    await eventually(
      async () => (await fetch(`http://127.0.0.1:${PORTS.nginx}/health`).catch(() => null))?.ok,
      10_000,
      `nginx on ${PORTS.nginx}:\n${nginx.output}`
    )
    const css = await fetch(`http://127.0.0.1:${PORTS.nginx}/css/admin.css`)
    check(
      'nginx serves the public folder itself (/css/, cached)',
      css.ok && /max-age=3600/.test(css.headers.get('cache-control') ?? ''),
      css.status
    )

    /* ---- a device through nginx, buys through the other node ---- */
    const device = new Device(`http://127.0.0.1:${PORTS.nginx}`)
    sockets.push(device.socket)
    await device.waitForHello(1)
    const deviceNode: string = await eventually(
      async () =>
        (await query('SELECT connected_node, status FROM machines WHERE id = ?', [machineId])).find(
          (row) => row.status === 'online'
        )?.connected_node,
      10_000,
      'the machine online'
    )
    const buyNode = deviceNode === 'node-a' ? 'node-b' : 'node-a'
    const buyPort = nodes[buyNode].port
    const devicePort = nodes[deviceNode].port
    console.log(`  device on ${deviceNode} (through nginx), buys through ${buyNode}`)
    check(
      'the device connected through nginx (polling, then websocket) and is online on one node',
      Boolean(deviceNode)
    )
    await eventually(
      async () => device.socket.io.engine?.transport?.name === 'websocket',
      10_000,
      'the websocket upgrade'
    ).catch(() => false)
    check(
      'the device upgraded to websocket through nginx',
      device.socket.io.engine?.transport?.name === 'websocket'
    )

    const shoppers: { id: number; token: string }[] = []
    for (let index = 0; index < SHOPPERS; index++) {
      const created = await api(buyPort, 'POST', '/api/v1/users')
      const topUp = await api(
        buyPort,
        'POST',
        `/api/v1/users/${created.body.id}/add_balance`,
        created.body.token,
        { amount_paise: TOP_UP }
      )
      if (created.status !== 201 || topUp.status !== 201)
        throw new Error(`shopper setup failed: ${JSON.stringify([created, topUp])}`)
      shoppers.push({ id: created.body.id, token: created.body.token })
    }

    // Shopper 0 watches on the device's node (sees the buy node's `dispensing`),
    // shopper 1 on the buy node (sees the device node's results).
    const live: Record<number, { order: { id: number; status: string } }[]> = { 0: [], 1: [] }
    for (const [index, port] of [
      [0, devicePort],
      [1, buyPort],
    ] as const) {
      const socket = io(`http://127.0.0.1:${port}/orders`, {
        auth: { token: shoppers[index].token },
        transports: ['websocket'],
      })
      sockets.push(socket)
      socket.on('order_updated', (order: { id: number; status: string }) =>
        live[index].push({ order })
      )
      await new Promise<void>((resolveConnect, reject) => {
        socket.once('connect', () => resolveConnect())
        socket.once('connect_error', reject)
      })
    }

    const sweepWindowStart = Date.now()
    const buys = await Promise.all(
      shoppers.flatMap((shopper, index) =>
        Array.from({ length: BUYS_EACH }, (_, n) =>
          api(
            buyPort,
            'POST',
            `/api/v1/products/${productId}/buy`,
            shopper.token,
            { machine: MACHINE, slot: 1 },
            { 'Idempotency-Key': `buy-${index}-${n}` }
          )
        )
      )
    )
    const total = SHOPPERS * BUYS_EACH
    check(
      `${total} concurrent buys through ${buyNode} answered 201`,
      buys.every((buy) => buy.status === 201),
      buys.filter((buy) => buy.status !== 201).slice(0, 3)
    )

    await eventually(
      async () =>
        Number(
          (await query(`SELECT count(*) FROM orders WHERE status IN ('completed', 'refunded')`))[0]
            .count
        ) === total,
      30_000,
      'every order settled'
    ).catch((error) => check('every order settled within 30 s', false, error.message))

    const orders = await query(
      'SELECT id, user_id, status, command_id, failure_reason FROM orders ORDER BY id'
    )
    const commandIds = device.commands.map((command) => command.command_id)
    check(
      `every vend command reached the device on ${deviceNode} exactly once`,
      commandIds.length === total &&
        new Set(commandIds).size === total &&
        orders.every((order) => commandIds.includes(order.command_id)),
      { received: commandIds.length, unique: new Set(commandIds).size, orders: orders.length }
    )
    const wrong = orders.filter((order) =>
      Device.resultFor(order.id) === 'dropped'
        ? order.status !== 'completed'
        : order.status !== 'refunded' || order.failure_reason !== 'no_drop'
    )
    check(
      'every order settled: dropped completed, no_drop refunded',
      orders.length === total && wrong.length === 0,
      wrong.slice(0, 3)
    )

    const refunds = await query(
      `SELECT order_id, count(*)::int AS n, sum(amount_paise)::int AS paise FROM transactions WHERE kind = 'refund' GROUP BY order_id`
    )
    const refunded = orders.filter((order) => order.status === 'refunded')
    check(
      'each failed vend refunded exactly once, the full price',
      refunds.length === refunded.length &&
        refunds.every((row) => row.n === 1 && row.paise === PRICE),
      { refunds: refunds.length, refunded: refunded.length }
    )
    const stock = (
      await query('SELECT quantity FROM slots WHERE machine_id = ? AND number = 1', [machineId])
    )[0].quantity
    // A no_drop puts its unit back (firmware/PROTOCOL.md, 5): one unit per dropped vend.
    const dropped = orders.filter((order) => order.status === 'completed').length
    check('stock is exact (one unit per dropped vend)', stock === STOCK - dropped, {
      stock,
      expected: STOCK - dropped,
    })

    const ledgers = await query(
      `SELECT u.id, u.balance_paise::bigint AS balance, COALESCE(SUM(t.amount_paise), 0)::bigint AS ledger
         FROM users u LEFT JOIN transactions t ON t.user_id = u.id GROUP BY u.id, u.balance_paise`
    )
    const completedBy = (userId: number) =>
      orders.filter((order) => order.user_id === userId && order.status === 'completed').length
    const off = ledgers.filter(
      (row) =>
        row.balance !== row.ledger || Number(row.balance) !== TOP_UP - PRICE * completedBy(row.id)
    )
    check(
      'every balance equals its ledger and what its shopper got',
      off.length === 0,
      off.slice(0, 3)
    )

    const finalOf = (index: number) => (order: Row) =>
      order.user_id !== shoppers[index].id ||
      (live[index].some(
        (event) => event.order.id === order.id && event.order.status === 'dispensing'
      ) &&
        live[index].some(
          (event) => event.order.id === order.id && event.order.status === order.status
        ))
    await sleep(200)
    check(
      `a shopper watching on ${deviceNode} got dispensing (from ${buyNode}) and the result of each order`,
      orders.every(finalOf(0)),
      live[0].length
    )
    check(
      `a shopper watching on ${buyNode} got dispensing and the result (from ${deviceNode}) of each order`,
      orders.every(finalOf(1)),
      live[1].length
    )

    /* ---- sweeps: one node at a time, one per interval for the cluster ---- */
    await sleep(3000)
    const windowEnd = Date.now()
    const sweeps = [...sweepsIn(nodeA.output), ...sweepsIn(nodeB.output)]
      .map((line) => ({
        node: line.node,
        start: Date.parse(line.started_at),
        end: Date.parse(line.finished_at),
      }))
      .sort((one, other) => one.start - other.start)
    const overlaps = sweeps.filter(
      (sweep, index) =>
        index > 0 && sweep.start < sweeps[index - 1].end && sweep.node !== sweeps[index - 1].node
    )
    check(
      'the sweep lock: no two nodes ever swept at the same time',
      sweeps.length > 0 && overlaps.length === 0,
      { sweeps: sweeps.length, overlaps: overlaps.slice(0, 2) }
    )
    const inWindow = sweeps.filter(
      (sweep) => sweep.start >= sweepWindowStart && sweep.start <= windowEnd
    ).length
    const intervals = (windowEnd - sweepWindowStart) / SWEEP_INTERVAL_MS
    check(
      'the sweep lock: about one sweep per interval for the whole cluster, not one per node',
      inWindow >= intervals / 3 && inWindow <= intervals + 3,
      {
        sweeps: inWindow,
        intervals: Math.round(intervals),
        byNode: {
          a: sweeps.filter((s) => s.node === 'node-a').length,
          b: sweeps.filter((s) => s.node === 'node-b').length,
        },
      }
    )

    /* ---- one connection per machine across nodes ---- */
    const second = io(`http://127.0.0.1:${buyPort}/devices`, {
      auth: { machine: MACHINE, key: DEVICE_KEY },
      transports: ['websocket'],
      reconnection: false,
    })
    sockets.push(second)
    await new Promise<void>((resolveHello, reject) => {
      second.once('hello', () => resolveHello())
      second.once('connect_error', reject)
    })
    await eventually(
      async () => device.disconnects.length > 0,
      5000,
      'the first connection closed'
    ).catch(() => {})
    check(
      `a second connection on ${buyNode} closed the first one on ${deviceNode}`,
      device.disconnects[0] === 'io server disconnect',
      device.disconnects
    )
    const moved = await eventually(
      async () =>
        (await query('SELECT connected_node, status FROM machines WHERE id = ?', [machineId])).find(
          (row) => row.connected_node === buyNode && row.status === 'online'
        ),
      5000,
      'presence moved'
    ).catch(() => null)
    check(
      `presence followed it: online on ${buyNode}, not set offline by ${deviceNode}`,
      Boolean(moved)
    )
    second.disconnect()
    await eventually(
      async () =>
        (await query('SELECT status FROM machines WHERE id = ?', [machineId]))[0].status ===
        'offline',
      5000,
      'offline after the second connection closed'
    ).catch(() => check('offline once its only connection closed', false))

    /* ---- graceful shutdown of the device's node ---- */
    device.socket.connect()
    await device.waitForHello(2)
    const back = (await query('SELECT connected_node FROM machines WHERE id = ?', [machineId]))[0]
      .connected_node
    check(`nginx put the device back on ${deviceNode}`, back === deviceNode, back)

    const leaving = nodes[deviceNode].handle
    const payer = shoppers[2]
    const inFlight = slowPost(devicePort, `/api/v1/users/${payer.id}/add_balance`, payer.token, {
      amount_paise: 500,
    })
    await sleep(300)
    const termAt = Date.now()
    leaving.child.kill('SIGTERM')
    await sleep(500)
    inFlight.finish()
    const held = await inFlight.done.catch((error: Error) => ({ status: 0, body: error.message }))
    check('SIGTERM: a request in flight completed (201)', held.status === 201, held)
    const code = await Promise.race([
      leaving.exited,
      sleep(SHUTDOWN_TIMEOUT_MS + 4000).then(() => 'timeout' as const),
    ])
    const took = Date.now() - termAt
    check(
      `SIGTERM: ${deviceNode} exited 0 within SHUTDOWN_TIMEOUT_MS (${took} ms)`,
      code === 0 && took <= SHUTDOWN_TIMEOUT_MS + 1500,
      { code, output: code === 0 ? '' : leaving.output.slice(-2000) }
    )
    check(
      'SIGTERM: the device got the reconnect hint',
      device.hints.some((hint) => (hint as { reason?: string })?.reason === 'shutdown'),
      device.hints
    )
    await device.waitForHello(3).catch(() => {})
    const after = await eventually(
      async () =>
        (await query('SELECT connected_node, status FROM machines WHERE id = ?', [machineId])).find(
          (row) => row.connected_node === buyNode && row.status === 'online'
        ),
      10_000,
      'the device on the other node'
    ).catch(() => null)
    check(
      `SIGTERM: the device reconnected through nginx to ${buyNode}, online there`,
      Boolean(after) && device.disconnects.at(-1) === 'transport close',
      {
        disconnects: device.disconnects,
        hellos: device.hellos,
      }
    )
    const balance = (
      await query(
        'SELECT balance_paise::bigint AS b, (SELECT sum(amount_paise) FROM transactions WHERE user_id = ?)::bigint AS l FROM users WHERE id = ?',
        [payer.id, payer.id]
      )
    )[0]
    check(
      'SIGTERM: the in-flight top-up was recorded once, ledger intact',
      balance.b === balance.l,
      balance
    )

    const before = device.commands.length
    const afterBuy = await api(
      buyPort,
      'POST',
      `/api/v1/products/${productId}/buy`,
      shoppers[3].token,
      { machine: MACHINE, slot: 1 },
      { 'Idempotency-Key': 'after-shutdown' }
    )
    const settled = await eventually(
      async () =>
        (
          await query(
            `SELECT status FROM orders WHERE id = ? AND status IN ('completed', 'refunded')`,
            [afterBuy.body?.order?.id]
          )
        )[0],
      10_000,
      'the buy after failover settled'
    ).catch(() => null)
    check(
      'after failover a buy reaches the device once and settles',
      afterBuy.status === 201 && Boolean(settled) && device.commands.length === before + 1,
      {
        status: afterBuy.status,
        commands: device.commands.length - before,
      }
    )
    // Logs reach us through pino's transport thread, a little late.
    const goesOn = await eventually(
      async () =>
        sweepsIn(nodes[buyNode].handle.output).some(
          (sweep) => Date.parse(sweep.started_at) > termAt + 1000
        ),
      8000,
      'a later sweep'
    ).catch(() => false)
    check(`the sweeper goes on on ${buyNode} once ${deviceNode} left`, goesOn)
  } finally {
    if (failed > 0) {
      // The nodes' logs, for whoever reads a failed CI run.
      for (const [index, child] of children.entries())
        writeFileSync(join(tmpdir(), `vendora-cluster-${index}.log`), child.output)
      console.log(`  logs of the failed run: ${join(tmpdir(), 'vendora-cluster-*.log')}`)
    }
    for (const socket of sockets) socket.disconnect()
    await db?.destroy().catch(() => {})
    for (const child of children.reverse()) await child.stop('SIGTERM', 8000).catch(() => {})
    if (redisUrl) {
      const client = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 })
      client.on('error', () => {})
      try {
        await client.connect()
        const keys = await client.keys(`${PREFIX}*`)
        if (keys.length > 0) await client.del(...keys)
      } catch {}
      client.disconnect()
    }
    if (role) await dropDatabase(role).catch(() => {})
    rmSync(dir, { recursive: true, force: true })
    console.log(`  (${Math.round((Date.now() - started) / 1000)} s)`)
  }
}

await main().catch((error) => {
  failed++
  console.log(
    `  ✖ the multi-node test could not run: ${error instanceof Error ? error.stack : error}`
  )
})
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed > 0 || passed === 0 ? 1 : 0)
