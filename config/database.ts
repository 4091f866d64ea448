import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { defineConfig } from '@adonisjs/lucid'

const sqlitePath = app.makePath(env.get('SQLITE_PATH', 'tmp/db.sqlite3'))

/*
 * SQLite cannot create the file's folder itself.
 */
if ((env.get('DB_CONNECTION') ?? 'sqlite') === 'sqlite') {
  mkdirSync(dirname(sqlitePath), { recursive: true })
}

/*
 * Set on each new SQLite connection.
 * - WAL: readers (a second process, the bench's checker) do not block the
 *   writer, and a commit appends to one file instead of rewriting pages
 *   through a rollback journal.
 * - synchronous = NORMAL: in WAL mode a commit is durable against a crash
 *   of the process; only a power loss can lose the last commits, never
 *   corrupt the file (sqlite.org/pragma.html#pragma_synchronous).
 *   SQLITE_SYNCHRONOUS=FULL fsyncs every commit as well.
 * - busy_timeout: another process holding the write lock (an ace command
 *   run beside the server) is waited for, up to 5 s, instead of failing at
 *   once with SQLITE_BUSY. The wait blocks this process (better-sqlite3 is
 *   synchronous): one SQLite file serves one node (README).
 */
const SQLITE_PRAGMAS = [
  'PRAGMA foreign_keys = ON',
  'PRAGMA journal_mode = WAL',
  `PRAGMA synchronous = ${env.get('SQLITE_SYNCHRONOUS', 'NORMAL')}`,
  'PRAGMA busy_timeout = 5000',
].join(';\n')

/**
 * The part of a better-sqlite3 connection that knex uses here.
 */
interface SqliteConnection {
  exec(sql: string): unknown
  prepare(sql: string): unknown
}

/**
 * knex prepares every statement it runs anew, and with better-sqlite3
 * preparing (parsing the SQL, planning) costs more than running most of
 * our statements. The app sends the same few dozen SQL texts over and
 * over (values are bound separately), so one connection keeps each
 * prepared statement for reuse. SQLite re-prepares a kept statement by
 * itself after a schema change. At most `max` texts are kept (queries
 * with `IN (?, ?, …)` lists vary); past that the cache starts over.
 */
function cachePreparedStatements(conn: SqliteConnection, max = 500) {
  const prepare = conn.prepare.bind(conn)
  const statements = new Map<string, unknown>()
  conn.prepare = (sql: string) => {
    let statement = statements.get(sql)
    if (statement === undefined) {
      if (statements.size >= max) statements.clear()
      statement = prepare(sql)
      statements.set(sql, statement)
    }
    return statement
  }
}

const dbConfig = defineConfig({
  connection: env.get('DB_CONNECTION', 'sqlite'),
  connections: {
    sqlite: {
      /*
       * better-sqlite3: synchronous calls into SQLite on the main thread. A
       * statement here takes microseconds, so a buy's dozen statements cost
       * less than one round trip each through node-sqlite3's thread pool
       * (bench/README.md: about twice the buys per second).
       */
      client: 'better-sqlite3',
      connection: {
        filename: sqlitePath,
      },
      /*
       * One connection: SQLite has a single writer, and one connection makes
       * every transaction serialize instead of failing with SQLITE_BUSY.
       */
      pool: {
        min: 1,
        max: 1,
        afterCreate: (
          conn: SqliteConnection,
          done: (error: Error | null, conn: unknown) => void
        ) => {
          try {
            conn.exec(SQLITE_PRAGMAS)
            cachePreparedStatements(conn)
            done(null, conn)
          } catch (error) {
            done(error as Error, conn)
          }
        },
      },
      useNullAsDefault: true,
      migrations: {
        naturalSort: true,
        paths: ['database/migrations'],
      },
    },
    pg: {
      client: 'pg',
      connection: {
        host: env.get('PG_HOST', '127.0.0.1'),
        port: env.get('PG_PORT', 5432),
        user: env.get('PG_USER', 'postgres'),
        password: env.get('PG_PASSWORD'),
        database: env.get('PG_DATABASE', 'vendora'),
      },
      pool: { min: 0, max: 10 },
      migrations: {
        naturalSort: true,
        paths: ['database/migrations'],
      },
    },
  },
})

export default dbConfig
