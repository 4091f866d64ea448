/**
 * What a bench's connections keep on the V8 heap: the growth between two
 * heap snapshots (`bench:idle -- --snapshots=<dir>`), by node type and
 * constructor, divided by the number of connections:
 *
 *   node --max-old-space-size=4096 bench/lib/heap_diff.mjs \
 *     tmp/snapshots/idle-before.heapsnapshot tmp/snapshots/idle-hold.heapsnapshot \
 *     --per=500 [--top=40]
 *
 * Sizes are self sizes (bytes each object itself takes, not what it
 * retains), taken after the GC that precedes every snapshot, so garbage
 * is not counted. Compiled code (`code:`) grows with a warming process,
 * not per connection: measure with a few hundred connections at least.
 */
import { readFileSync } from 'node:fs'

const files = process.argv.slice(2).filter((argument) => !argument.startsWith('--'))
const per = Number(/--per=(\d+)/.exec(process.argv.join(' '))?.[1] ?? 1)
const top = Number(/--top=(\d+)/.exec(process.argv.join(' '))?.[1] ?? 40)
if (files.length !== 2) {
  console.error('usage: heap_diff.mjs <before.heapsnapshot> <after.heapsnapshot> --per=N')
  process.exit(2)
}

/**
 * `{ total, groups }` of one snapshot: self bytes in all, and count and
 * self bytes per `type:name` (strings, numbers and code folded into one
 * group each).
 */
function aggregate(file) {
  const snapshot = JSON.parse(readFileSync(file, 'utf8'))
  const meta = snapshot.snapshot.meta
  const width = meta.node_fields.length
  const typeAt = meta.node_fields.indexOf('type')
  const nameAt = meta.node_fields.indexOf('name')
  const sizeAt = meta.node_fields.indexOf('self_size')
  const types = meta.node_types[0]
  const { nodes, strings } = snapshot
  const groups = new Map()
  let total = 0
  for (let index = 0; index < nodes.length; index += width) {
    const type = types[nodes[index + typeAt]]
    const folded = ['string', 'concatenated string', 'sliced string', 'number', 'code']
    const name = folded.includes(type) ? '' : strings[nodes[index + nameAt]].slice(0, 60)
    const key = `${type}:${name}`
    const group = groups.get(key) ?? { count: 0, bytes: 0 }
    group.count++
    group.bytes += nodes[index + sizeAt]
    total += nodes[index + sizeAt]
    groups.set(key, group)
  }
  return { total, groups }
}

const before = aggregate(files[0])
const after = aggregate(files[1])
console.log(
  `heap ${(before.total / 2 ** 20).toFixed(1)} -> ${(after.total / 2 ** 20).toFixed(1)} MiB, ` +
    `${((after.total - before.total) / per).toFixed(0)} bytes per connection (${per})`
)
const none = { count: 0, bytes: 0 }
const rows = [...new Set([...before.groups.keys(), ...after.groups.keys()])]
  .map((key) => {
    const was = before.groups.get(key) ?? none
    const is = after.groups.get(key) ?? none
    return { key, count: (is.count - was.count) / per, bytes: (is.bytes - was.bytes) / per }
  })
  .sort((a, b) => b.bytes - a.bytes)
  .slice(0, top)
console.log('bytes/conn  count/conn  type:constructor')
for (const row of rows) {
  console.log(
    `${row.bytes.toFixed(1).padStart(10)}  ${row.count.toFixed(2).padStart(10)}  ${row.key}`
  )
}
