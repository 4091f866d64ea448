import { randomBytes } from 'node:crypto'
import { test } from '@japa/runner'
import { Redis } from 'ioredis'
import { truncateAll } from '#tests/helpers/database'
import {
  freeTcpPort,
  SERVER_BOOT_TIMEOUT_MS,
  startProcess,
  type ChildHandle,
} from '#tests/helpers/processes'

const REDIS_URL = process.env.TEST_LIMITS_REDIS_URL ?? 'redis://127.0.0.1:6379/6'

/**
 * This run's own key prefix: another test run on the same Redis (a second
 * clone, a parallel worker) has another, so neither sees nor deletes the
 * other's counters. Its keys are deleted before and after each test.
 */
const KEY_PREFIX = `vendora-test-${randomBytes(6).toString('hex')}:`

async function deleteOwnKeys(redis: Redis) {
  const keys = await redis.keys(`${KEY_PREFIX}*`)
  if (keys.length > 0) await redis.del(...keys)
}

/**
 * A real app node (`bin/server.ts`) on a free port with `REDIS_URL` set
 * and no `LIMITER_STORE`, so config/limiter.ts must pick the Redis store
 * by itself. Stopped when the test ends.
 */
async function startNode(
  cleanup: (handler: () => Promise<void>) => void,
  env: Record<string, string>
) {
  const port = await freeTcpPort()
  const node: ChildHandle = startProcess(
    'node',
    ['--import', 'ts-node-maintained/register/esm', 'bin/server.ts'],
    {
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'info',
      DISCOVERY_ENABLED: 'false',
      REDIS_URL,
      REDIS_KEY_PREFIX: KEY_PREFIX,
      LIMITER_STORE: '',
      ...env,
    }
  )
  cleanup(async () => {
    await node.stop()
  })
  await node.waitForOutput(/started HTTP server/, SERVER_BOOT_TIMEOUT_MS)
  return `http://127.0.0.1:${port}`
}

function createShopperOn(base: string) {
  return fetch(`${base}/api/v1/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'accept': 'application/json' },
    body: '{}',
  })
}

test.group('Rate limits: Redis store for several nodes', (group) => {
  group.each.setup(truncateAll)
  group.each.setup(async () => {
    const redis = new Redis(REDIS_URL)
    await deleteOwnKeys(redis)
    return async () => {
      await deleteOwnKeys(redis)
      redis.disconnect()
    }
  })

  test('two app processes share the shopper-creation counters in Redis when REDIS_URL is set', async ({
    assert,
    cleanup,
  }) => {
    const env = { LIMIT_SHOPPERS_PER_MINUTE: '100', LIMIT_SHOPPERS_PER_HOUR: '3' }
    const [first, second] = await Promise.all([startNode(cleanup, env), startNode(cleanup, env)])

    assert.equal((await createShopperOn(first)).status, 201)
    assert.equal((await createShopperOn(second)).status, 201)
    assert.equal((await createShopperOn(first)).status, 201)
    const refused = await createShopperOn(second)

    assert.equal(refused.status, 429)
    assert.isAtLeast(Number(refused.headers.get('retry-after')), 1)
    assert.equal(
      ((await refused.json()) as { errors: { code: string }[] }).errors[0].code,
      'too_many_requests'
    )

    const redis = new Redis(REDIS_URL)
    cleanup(() => void redis.disconnect())
    // One shared counter per limit: the minute's burst and the hour's cap.
    const keys = (await redis.keys(`${KEY_PREFIX}*shopper_creation*`)).sort()
    assert.lengthOf(keys, 2, keys.join(', '))
    assert.match(keys[0], /shopper_creation_burst_ip_/)
    assert.match(keys[1], /shopper_creation_ip_/)
  }).timeout(150_000)
})
