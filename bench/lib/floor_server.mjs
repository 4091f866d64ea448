/**
 * The floor: the least work a wallet buy can be on this stack, with no
 * framework. `bench/floor.ts` runs it as a child process and drives it
 * with the same load and the same simulated devices as `bench:buys`, so
 * its CPU per buy is the yardstick for the real server's.
 *
 * Plain JavaScript on purpose: run with bare `node`, no TypeScript loader
 * hooks thread is counted in its CPU.
 *
 * What one buy does, and nothing else:
 * - HTTP: node:http, keep-alive, JSON body `{ machine }`, bearer token
 *   checked against `auth_access_tokens` (one indexed read and a SHA-256,
 *   as the access-token guard does);
 * - ONE transaction (better-sqlite3, WAL, `BEGIN IMMEDIATE`): take the unit
 *   (`quantity - 1` only if `> 0`), debit the wallet (only if the balance
 *   covers the price), insert the order (`dispensing`) and its purchase
 *   ledger row;
 * - after commit, socket.io `vend` to the machine's device, and the 201;
 * - the device's `vend_result`: one UPDATE settles the order (only from
 *   `dispensing`, so a replay changes nothing), then the ack.
 *
 * It uses the app's migrated schema (the bench seeds it with the app's
 * factories), so `checkBooks` checks it like the real server's database.
 *
 * Environment: SQLITE_PATH (required), PORT, HOST (127.0.0.1).
 */
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto'
import { createServer } from 'node:http'
import Database from 'better-sqlite3'
import { Server } from 'socket.io'

const db = new Database(process.env.SQLITE_PATH)
// As config/database.ts sets them for the app.
db.pragma('journal_mode = WAL')
db.pragma('synchronous = NORMAL')
db.pragma('busy_timeout = 5000')

const statements = {
  token: db.prepare(
    `SELECT tokenable_id, hash FROM auth_access_tokens WHERE id = ? AND type = 'auth_token'`
  ),
  machineByCode: db.prepare(`SELECT id, status FROM machines WHERE code = ?`),
  // Stock never below zero: the row changes only while it has a unit.
  takeUnit: db.prepare(
    `UPDATE slots SET quantity = quantity - 1
       WHERE id = (SELECT id FROM slots WHERE machine_id = ? AND product_id = ? AND quantity > 0
                   ORDER BY number LIMIT 1)
         AND quantity > 0
       RETURNING id, number,
         coalesce(price_paise, (SELECT price_paise FROM products WHERE products.id = slots.product_id)) AS price`
  ),
  // The wallet never below zero: the row changes only if the balance covers it.
  debit: db.prepare(
    `UPDATE users SET balance_paise = balance_paise - ?
       WHERE id = ? AND balance_paise >= ? RETURNING balance_paise`
  ),
  insertOrder: db.prepare(
    `INSERT INTO orders (user_id, machine_id, slot_id, slot_number, product_id, price_paise,
       status, command_id, created_at, updated_at, dispatched_at)
     VALUES (?, ?, ?, ?, ?, ?, 'dispensing', ?, ?, ?, ?) RETURNING id`
  ),
  insertLedger: db.prepare(
    `INSERT INTO transactions (user_id, kind, amount_paise, balance_after_paise, order_id, note, created_at)
     VALUES (?, 'purchase', ?, ?, ?, ?, ?)`
  ),
  // Only an order still awaiting its result moves: a replayed result is a no-op.
  settle: db.prepare(
    `UPDATE orders SET status = 'completed', completed_at = ?, updated_at = ?
       WHERE command_id = ? AND status = 'dispensing'`
  ),
  setStatus: db.prepare(`UPDATE machines SET status = ?, updated_at = ? WHERE id = ?`),
}

class Refusal extends Error {
  constructor(status, code) {
    super(code)
    this.status = status
  }
}

/** SQLite timestamps as Lucid writes them (`yyyy-MM-dd HH:mm:ss`, UTC). */
function now() {
  return new Date().toISOString().slice(0, 19).replace('T', ' ')
}

const buy = db.transaction((userId, productId, machine) => {
  const slot = statements.takeUnit.get(machine.id, productId)
  if (!slot) throw new Refusal(409, 'out_of_stock')
  const debited = statements.debit.get(slot.price, userId, slot.price)
  if (!debited) throw new Refusal(402, 'insufficient_balance')
  const at = now()
  const commandId = randomUUID()
  const order = statements.insertOrder.get(
    userId,
    machine.id,
    slot.id,
    slot.number,
    productId,
    slot.price,
    commandId,
    at,
    at,
    at
  )
  statements.insertLedger.run(
    userId,
    -slot.price,
    debited.balance_paise,
    order.id,
    `from machine ${machine.id} slot ${slot.number}`,
    at
  )
  return { id: order.id, commandId, slot: slot.number, price: slot.price, at }
})

/** The shopper's id for a `vnd_<id>.<secret>` bearer token, or null. */
function authenticate(header) {
  const match = /^Bearer vnd_([^.]+)\.(.+)$/.exec(header ?? '')
  if (!match) return null
  const row = statements.token.get(Buffer.from(match[1], 'base64url').toString())
  if (!row) return null
  const secret = Buffer.from(match[2], 'base64url').toString()
  const hash = Buffer.from(createHash('sha256').update(secret).digest('hex'))
  const stored = Buffer.from(row.hash)
  return hash.length === stored.length && timingSafeEqual(hash, stored) ? row.tokenable_id : null
}

function send(response, status, body) {
  const text = JSON.stringify(body)
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  })
  response.end(text)
}

/** machine id → its device's socket */
const devices = new Map()

const http = createServer((request, response) => {
  const route = /^\/api\/v1\/products\/(\d+)\/buy$/.exec(request.url ?? '')
  if (request.method !== 'POST' || !route)
    return send(response, 404, { errors: [{ code: 'not_found' }] })
  const userId = authenticate(request.headers.authorization)
  if (userId === null) return send(response, 401, { errors: [{ code: 'unauthorized' }] })
  const chunks = []
  request.on('data', (chunk) => chunks.push(chunk))
  request.on('end', () => {
    let payload
    try {
      payload = JSON.parse(Buffer.concat(chunks).toString())
    } catch {
      return send(response, 422, { errors: [{ code: 'invalid_json' }] })
    }
    if (typeof payload?.machine !== 'string')
      return send(response, 422, { errors: [{ code: 'validation', field: 'machine' }] })
    const machine = statements.machineByCode.get(payload.machine)
    if (!machine) return send(response, 422, { errors: [{ code: 'unknown_machine' }] })
    const socket = devices.get(machine.id)
    if (!socket) return send(response, 409, { errors: [{ code: 'machine_offline' }] })
    let order
    try {
      order = buy(userId, Number(route[1]), machine)
    } catch (error) {
      if (error instanceof Refusal)
        return send(response, error.status, { errors: [{ code: error.message }] })
      throw error
    }
    socket.emit('vend', { command_id: order.commandId, order_id: order.id, slot: order.slot })
    send(response, 201, {
      order: {
        id: order.id,
        status: 'dispensing',
        command_id: order.commandId,
        price_paise: order.price,
        slot: order.slot,
        created_at: order.at,
      },
      replayed: false,
    })
  })
})

const io = new Server(http, { transports: ['websocket', 'polling'] })
const namespace = io.of('/devices')
// Connecting is not what the floor measures: a known machine code is
// enough here (the app checks the device key with scrypt once per connect).
namespace.use((socket, next) => {
  const machine = statements.machineByCode.get(String(socket.handshake.auth?.machine ?? ''))
  if (!machine) return next(new Error('invalid_credentials'))
  socket.data.machineId = machine.id
  next()
})
namespace.on('connection', (socket) => {
  const machineId = socket.data.machineId
  devices.set(machineId, socket)
  statements.setStatus.run('online', now(), machineId)
  socket.on('vend_result', (payload, ack) => {
    if (typeof payload?.command_id !== 'string')
      return ack?.({ ok: false, error: 'invalid_payload' })
    const at = now()
    statements.settle.run(at, at, payload.command_id)
    ack?.({ ok: true })
  })
  socket.on('disconnect', () => {
    if (devices.get(machineId) !== socket) return
    devices.delete(machineId)
    statements.setStatus.run('offline', now(), machineId)
  })
  socket.emit('hello', {})
})

http.keepAliveTimeout = 65_000
http.listen(Number(process.env.PORT ?? 3680), process.env.HOST ?? '127.0.0.1')
process.on('SIGTERM', () => {
  io.close()
  http.close(() => {
    db.close()
    process.exit(0)
  })
})
