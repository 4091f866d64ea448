/**
 * The top self-time items of a V8 `.cpuprofile` (from `node --cpu-prof`),
 * by function and by package, to read where a bench's CPU went:
 *
 *   node bench/lib/profile_top.mjs tmp/prof/CPU.*.cpuprofile [--top=25] [--skip=0]
 *
 * Self time is the time a function ran its own code (not its callees),
 * from the profile's samples and their time deltas.
 */
import { readFileSync } from 'node:fs'

const files = process.argv.slice(2).filter((argument) => !argument.startsWith('--'))
const top = Number(/--top=(\d+)/.exec(process.argv.join(' '))?.[1] ?? 25)
// --skip=S leaves out the first S seconds (start-up), e.g. for an idle process.
const skipMicros = Number(/--skip=([\d.]+)/.exec(process.argv.join(' '))?.[1] ?? 0) * 1e6
const byFunction = new Map()
const byPackage = new Map()
let total = 0
for (const file of files) {
  const profile = JSON.parse(readFileSync(file, 'utf8'))
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]))
  const self = new Map()
  let at = 0
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0
    at += delta
    if (at < skipMicros) return
    self.set(id, (self.get(id) ?? 0) + delta)
  })
  for (const [id, micros] of self) {
    const { callFrame } = nodes.get(id)
    total += micros
    const where = callFrame.url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, '~/')
    const name = `${callFrame.functionName || '(anonymous)'}  ${where}:${callFrame.lineNumber + 1}`
    byFunction.set(name, (byFunction.get(name) ?? 0) + micros)
    const pkg = callFrame.url.includes('/node_modules/')
      ? /\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(callFrame.url)[1]
      : callFrame.url === ''
        ? callFrame.functionName || '(native)'
        : callFrame.url.startsWith('node:')
          ? 'node:' + callFrame.url.slice(5).split('/')[0]
          : '(app)'
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + micros)
  }
}
const print = (title, map) => {
  console.log(`\n${title} (self time, % of ${(total / 1000).toFixed(0)} ms sampled)`)
  for (const [name, micros] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`${((micros / total) * 100).toFixed(1).padStart(5)}%  ${name}`)
}
print('by function', byFunction)
print('by package', byPackage)
