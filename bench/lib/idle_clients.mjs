/**
 * One client process of bench/idle_devices.ts: connects machines
 * `bench-<first>` .. `bench-<first+count-1>` to `url` as devices (auth,
 * wait for `hello`), at most `inFlight` connects at a time, then holds
 * them idle, answering the server's heartbeats (socket.io-client does).
 * Plain JavaScript, so 2,500 sockets cost only what socket.io-client costs.
 *
 * Prints one JSON line per event on stdout:
 *   {"connected":n,"failed":n,"ms":n,"rss":bytes}  when every connect ended
 *   {"disconnects":n,"rss":bytes}                  on SIGTERM, then exits
 *
 *   node bench/lib/idle_clients.mjs <url> <first> <count> <inFlight> <key>
 */
import { io } from 'socket.io-client'

const [url, first, count, inFlight, key] = process.argv.slice(2)
const sockets = []
let disconnects = 0
let failed = 0
const started = Date.now()

function connectOne(index) {
  return new Promise((resolve) => {
    const socket = io(`${url}/devices`, {
      auth: { machine: `bench-${String(index).padStart(5, '0')}`, key },
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      timeout: 120_000,
    })
    const done = (ok) => {
      if (!ok) failed++
      resolve()
    }
    socket.once('hello', () => done(true))
    socket.once('connect_error', () => done(false))
    socket.on('disconnect', () => disconnects++)
    sockets.push(socket)
  })
}

let next = Number(first)
const last = Number(first) + Number(count)
await Promise.all(
  Array.from({ length: Number(inFlight) }, async () => {
    while (next < last) await connectOne(next++)
  })
)
console.log(
  JSON.stringify({
    connected: Number(count) - failed,
    failed,
    ms: Date.now() - started,
    rss: process.memoryUsage().rss,
  })
)

process.on('SIGTERM', () => {
  const lost = disconnects
  sockets.forEach((socket) => socket.disconnect())
  console.log(JSON.stringify({ disconnects: lost, rss: process.memoryUsage().rss }))
  setTimeout(() => process.exit(0), 200)
})
