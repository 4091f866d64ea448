import { existsSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { randomUUID } from 'node:crypto'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { freeTcpPort, startProcess } from '#tests/helpers/processes'

/**
 * The tables in the SQLite file at `path`, or none when there is no file.
 */
async function tablesIn(path: string): Promise<string[]> {
  // Opening a missing file would create it.
  if (!existsSync(path)) return []
  db.manager.add('demo_refusal', {
    client: 'better-sqlite3',
    connection: { filename: path },
    useNullAsDefault: true,
  })
  try {
    const rows = await db
      .connection('demo_refusal')
      .rawQuery(`select name from sqlite_master where type = 'table'`)
    return (rows as { name: string }[]).map((row) => row.name)
  } finally {
    await db.manager.close('demo_refusal', true)
  }
}

/**
 * `node ace demo` seeds an admin with a published password and machines
 * with a published device key: it must never run in production. The real
 * command runs in a child process on a throwaway SQLite file.
 */
test.group('Demo command', () => {
  test('refuses NODE_ENV=production with a non-zero exit and seeds nothing', async ({
    assert,
    cleanup,
  }) => {
    const relative = `tmp/demo-refusal-${randomUUID()}.sqlite3`
    const path = app.makePath(relative)
    cleanup(() =>
      Promise.all(['', '-wal', '-shm'].map((suffix) => rm(path + suffix, { force: true }))).then(
        () => {}
      )
    )
    const port = await freeTcpPort()

    const demo = startProcess('node', ['ace', 'demo'], {
      NODE_ENV: 'production',
      DB_CONNECTION: 'sqlite',
      SQLITE_PATH: relative,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'info',
      DISCOVERY_ENABLED: 'false',
    })
    cleanup(async () => {
      await demo.stop('SIGKILL')
    })
    // Exits by itself when it refuses; a demo that started keeps running.
    const code = await Promise.race([
      demo.exited,
      demo.waitForOutput(/demo is running/, 60_000).then(() => 'running' as const),
    ])

    assert.notEqual(code, 'running', `the demo started in production:\n${demo.output}`)
    assert.notEqual(code, 0)
    assert.match(demo.output, /refuses to run with NODE_ENV=production/)
    assert.notMatch(demo.output, /vendora-admin|demo-device-key/)
    assert.deepEqual(await tablesIn(path), [], 'nothing was migrated or seeded')
    const health = await fetch(`http://127.0.0.1:${port}/health`).catch(() => null)
    assert.isNull(health, 'no server was started')
  }).timeout(90_000)
})
