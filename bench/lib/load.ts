/**
 * A steady stream of buys for the fault benches: `workers` loops, each
 * its own shopper, buying round-robin over `machines` until `stop()`.
 * Every answer is counted by status and error code, so a fault shows as
 * the errors it caused while it lasted.
 */
import { postJson } from './harness.js'

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
