import { randomUUID } from 'node:crypto'
import logger from '@adonisjs/core/services/logger'
import redis from '@adonisjs/redis/services/main'
import { cluster } from '#config/redis'

/**
 * Options of one locked run.
 *
 * - `ttlMs`: how long the lock outlives a node that dies holding it. While
 *   `work` runs the lock is renewed every `ttlMs / 3`, so a slow run keeps
 *   it however long it takes.
 * - `holdMs`: the lock is kept at least this long after it was taken (then
 *   expires by itself), so a periodic job run by every node's timer runs
 *   at most once per `holdMs` across the cluster, not once per node. 0
 *   releases it as soon as `work` ends.
 */
export interface LockOptions {
  ttlMs: number
  holdMs?: number
}

/** Outcome of `ClusterLock.run`: `ran` is false when another node held the lock. */
export type LockedRun<T> = { ran: true; value: T } | { ran: false }

/**
 * Deletes the lock only if it still holds our token: a lock that expired
 * and was taken by another node meanwhile must not be released by us.
 */
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`

/** Sets a new expiry (ms) on the lock only if it still holds our token. */
const EXTEND = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`

/**
 * What several app nodes share in Redis besides socket.io (README
 * "Running several nodes"):
 *
 * - **Locks** for work that must run on one node at a time: `run()` takes
 *   `<prefix>lock:<name>` with `SET key token NX PX ttl`, renews it while
 *   the work runs and releases it with a compare-and-delete script (the
 *   usual single-instance Redis lock; Redis is one server here, not
 *   Redlock's five).
 * - **The node registry**: a sorted set `<prefix>nodes` of node ids scored
 *   by their last heartbeat (Redis server time, ms), written every
 *   `cluster.heartbeatMs`; a node silent for `cluster.nodeTtlMs` is gone,
 *   and the machines it held are set offline (MachinePresence).
 *
 * Without `REDIS_URL` this process is the only node: `run()` runs the work
 * at once and the registry holds just this node.
 */
export default class ClusterLock {
  #heartbeat?: NodeJS.Timeout

  constructor(protected options: typeof cluster = cluster) {}

  /** Whether this process is one of several nodes (`REDIS_URL` is set). */
  get enabled(): boolean {
    return this.options.enabled
  }

  /** This process's node id (`NODE_ID`). */
  get nodeId(): string {
    return this.options.nodeId
  }

  /**
   * Runs `work` if no other node holds the lock `name`, holding it
   * meanwhile (see LockOptions).
   *
   * @throws whatever `work` throws (the lock is released or held as
   *   usual), or the Redis error when the lock cannot be asked for: the
   *   work is then not run, since running it unguarded is what the lock is
   *   for
   */
  async run<T>(
    name: string,
    work: () => Promise<T>,
    { ttlMs, holdMs = 0 }: LockOptions
  ): Promise<LockedRun<T>> {
    if (!this.enabled) return { ran: true, value: await work() }

    const client = this.client()
    const key = `lock:${name}`
    const token = `${this.nodeId}:${randomUUID()}`
    const takenAt = Date.now()
    if ((await client.set(key, token, 'PX', ttlMs, 'NX')) !== 'OK') return { ran: false }

    const renew = setInterval(
      () => {
        client
          .eval(EXTEND, 1, key, token, String(ttlMs))
          .then((extended) => {
            if (extended !== 1)
              logger.warn(
                { lock: name, node: this.nodeId },
                'cluster lock lost while its work was running'
              )
          })
          .catch((error) => logger.warn({ err: error, lock: name }, 'cluster lock not renewed'))
      },
      Math.max(1, Math.floor(ttlMs / 3))
    )
    renew.unref()

    try {
      return { ran: true, value: await work() }
    } finally {
      clearInterval(renew)
      const left = holdMs - (Date.now() - takenAt)
      await (
        left > 0
          ? client.eval(EXTEND, 1, key, token, String(left))
          : client.eval(RELEASE, 1, key, token)
      ).catch((error: Error) =>
        logger.warn({ err: error, lock: name }, 'cluster lock not released; it expires by itself')
      )
    }
  }

  /**
   * Records this node as alive now, and again every `cluster.heartbeatMs`
   * until `leave()`. A failed heartbeat is logged; the next one retries.
   */
  async join(): Promise<void> {
    if (!this.enabled) return
    await this.beat()
    if (this.#heartbeat) return
    this.#heartbeat = setInterval(() => {
      this.beat().catch((error) =>
        logger.warn({ err: error, node: this.nodeId }, 'cluster heartbeat failed')
      )
    }, this.options.heartbeatMs)
    this.#heartbeat.unref()
  }

  /**
   * Stops the heartbeat and removes this node from the registry (graceful
   * shutdown), so its neighbours need not wait `nodeTtlMs` to know.
   */
  async leave(): Promise<void> {
    // Only a node that joined has anything to remove: an ace command's
    // shutdown must not open a Redis connection just for this.
    if (!this.#heartbeat) return
    clearInterval(this.#heartbeat)
    this.#heartbeat = undefined
    await this.client()
      .zrem('nodes', this.nodeId)
      .catch((error) => logger.warn({ err: error }, 'leaving the cluster registry failed'))
  }

  /**
   * Ids of the nodes that sent a heartbeat within `cluster.nodeTtlMs`
   * (this node included once it joined). Prunes the ones that did not.
   */
  async liveNodes(): Promise<string[]> {
    if (!this.enabled) return [this.nodeId]
    const client = this.client()
    const since = (await this.serverTimeMs()) - this.options.nodeTtlMs
    await client.zremrangebyscore('nodes', '-inf', `(${since}`)
    return client.zrangebyscore('nodes', since, '+inf')
  }

  protected async beat() {
    await this.client().zadd('nodes', await this.serverTimeMs(), this.nodeId)
  }

  /** Redis's clock (ms): every node compares heartbeats on one clock. */
  protected async serverTimeMs(): Promise<number> {
    const [seconds, micros] = await this.client().time()
    return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000)
  }

  /** The `main` connection of config/redis.ts: its keys carry `REDIS_KEY_PREFIX`. */
  protected client() {
    return redis.connection().ioConnection
  }
}
