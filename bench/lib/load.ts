/**
 * A steady stream of buys for the fault benches: `workers` loops, each
 * its own shopper, buying round-robin over `machines` until `stop()`.
 * Every answer is counted by status and error code, so a fault shows as
 * the errors it caused while it lasted.
 */
import { postJson, processesCpuMs } from './harness.js'

export interface BuyTarget {
  code: string
  productId: number
}

export function buyStream(urls: string[], machines: BuyTarget[], tokens: string[], pauseMs = 20) {
  const counts: Record<string, number> = {}
  let running = true
  let index = 0
  const loops = tokens.map(async (token, worker) => {
    while (running) {
      const machine = machines[index++ % machines.length]
      const url = urls[worker % urls.length]
      const response = await postJson(`${url}/api/v1/products/${machine.productId}/buy`, token, {
        machine: machine.code,
      }).catch((error: Error) => ({
        status: 0,
        body: { errors: [{ code: (error.cause as Error)?.message ?? error.message }] },
      }))
      const key =
        response.status === 201
          ? '201'
          : `${response.status} ${response.body?.errors?.[0]?.code ?? ''}`
      counts[key] = (counts[key] ?? 0) + 1
      await new Promise((resolve) => setTimeout(resolve, pauseMs))
    }
  })
  return {
    counts,
    async stop() {
      running = false
      await Promise.all(loops)
      return counts
    },
  }
}

/**
 * Runs `check` until it resolves, retrying for `timeoutMs`: the bench's
 * own database pool also lost its connections in a restart.
 */
export async function retrying<T>(check: () => Promise<T>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      return await check()
    } catch (error) {
      if (Date.now() > deadline) throw error
      await new Promise((resolve) => setTimeout(resolve, 500))
    }
  }
}

/**
 * What one stage of `runBuyStage` saw: `ok` buys answered 201 in
 * `elapsedS` seconds, every request's latency (ms), errors by
 * `"<status> <code>"`, and the CPU the server process used meanwhile (ms).
 */
export interface BuyStage {
  ok: number
  elapsedS: number
  latencies: number[]
  errors: Record<string, number>
  serverCpuMs: number
}

/**
 * Buys for `seconds` at up to 8 workers (fewer when every stage is
 * smaller), not counted: the first buys pay for lazy imports and the JIT,
 * which a short stage would otherwise carry in its CPU per buy. Prints how
 * many went through.
 */
export async function warmUp(
  url: string | string[],
  machines: BuyTarget[],
  tokens: string[],
  stages: number[],
  seconds: number,
  pid: number | number[]
): Promise<void> {
  const concurrency = Math.min(8, Math.max(...stages))
  const warm = await runBuyStage(url, machines, tokens, concurrency, seconds, pid)
  console.log(`warm-up: ${warm.ok} buys in ${seconds} s (not counted)`)
}

/**
 * The load of `bench:buys`, `bench:floor` and `bench:nodes`: `concurrency`
 * workers, each its own shopper (`tokens[worker]`), buying round-robin over
 * `machines` back to back for `seconds`, worker `w` at `url[w % n]` when
 * given several nodes. The CPU of the server processes (`pid`, one or one
 * per node, user + system, summed) is read before and after, so CPU per
 * buy stays comparable on a busy machine.
 */
export async function runBuyStage(
  url: string | string[],
  machines: BuyTarget[],
  tokens: string[],
  concurrency: number,
  seconds: number,
  pid: number | number[]
): Promise<BuyStage> {
  const errors: Record<string, number> = {}
  const latencies: number[] = []
  const urls = [url].flat()
  const pids = [pid].flat()
  const cpu = () => processesCpuMs(pids)
  let ok = 0
  let sent = 0
  const cpuBefore = cpu()
  const started = performance.now()
  const until = started + seconds * 1000
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (performance.now() < until) {
        const machine = machines[sent++ % machines.length]
        const requestStarted = performance.now()
        const response = await postJson(
          `${urls[worker % urls.length]}/api/v1/products/${machine.productId}/buy`,
          tokens[worker],
          { machine: machine.code }
        ).catch((error: Error) => ({ status: 0, body: { errors: [{ code: error.message }] } }))
        latencies.push(performance.now() - requestStarted)
        if (response.status === 201) {
          ok++
        } else {
          const key = `${response.status} ${response.body?.errors?.[0]?.code ?? ''}`
          errors[key] = (errors[key] ?? 0) + 1
        }
      }
    })
  )
  return {
    ok,
    elapsedS: (performance.now() - started) / 1000,
    latencies,
    errors,
    serverCpuMs: cpu() - cpuBefore,
  }
}
