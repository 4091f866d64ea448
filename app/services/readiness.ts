import db from '@adonisjs/lucid/services/db'
import env from '#start/env'

/**
 * One dependency's state: `ok`, `failed` (error or no answer within the
 * timeout), or `not_configured` (an optional one that is switched off).
 */
export type CheckState = 'ok' | 'failed' | 'not_configured'

/**
 * What `GET /ready` reports: `ready` is true when no check `failed`.
 */
export interface ReadinessReport {
  ready: boolean
  checks: { database: CheckState; redis: CheckState }
}

/**
 * A probe resolves when its dependency answered and rejects otherwise.
 */
export type Probe = () => Promise<unknown>

/**
 * Whether this process can serve traffic (the load balancer's and
 * Kubernetes' readiness question, unlike `/health`, which only says the
 * process is alive): the database answers `select 1` and, when `REDIS_URL`
 * is set, Redis answers `PING`. Each probe has `timeoutMs` (1 s) to answer,
 * and both run at once, so the check never takes much longer than that.
 *
 * Constructed by the container with no arguments (the app's database and
 * Redis connection); tests give their own probes with `container.swap`.
 */
export default class Readiness {
  constructor(
    protected probes: { database: Probe; redis: Probe | null } = {
      database: () => db.rawQuery('select 1'),
      redis: env.get('REDIS_URL') ? pingAppRedis : null,
    },
    protected timeoutMs = 1000
  ) {}

  async check(): Promise<ReadinessReport> {
    const [database, redis] = await Promise.all([
      this.run(this.probes.database),
      this.probes.redis
        ? this.run(this.probes.redis)
        : Promise.resolve<CheckState>('not_configured'),
    ])
    return { ready: database !== 'failed' && redis !== 'failed', checks: { database, redis } }
  }

  /**
   * Runs one probe against the timeout. A probe that lost the race may
   * still settle later (ioredis keeps a queued PING until it reconnects):
   * its rejection is swallowed, never an unhandled rejection.
   */
  protected async run(probe: Probe): Promise<CheckState> {
    let timer: NodeJS.Timeout | undefined
    const answer = Promise.resolve()
      .then(probe)
      .then(() => 'ok' as const)
    answer.catch(() => {})
    const timeout = new Promise<'failed'>((resolve) => {
      timer = setTimeout(() => resolve('failed'), this.timeoutMs)
    })
    try {
      return await Promise.race([answer, timeout])
    } catch {
      return 'failed'
    } finally {
      clearTimeout(timer)
    }
  }
}

/**
 * PING on the app's Redis connection (config/redis.ts). Imported only when
 * `REDIS_URL` is set, so a single node never loads or opens Redis.
 */
async function pingAppRedis(): Promise<unknown> {
  const { default: redis } = await import('@adonisjs/redis/services/main')
  return redis.ping()
}
