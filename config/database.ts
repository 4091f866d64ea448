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

const dbConfig = defineConfig({
  connection: env.get('DB_CONNECTION', 'sqlite'),
  connections: {
    sqlite: {
      client: 'sqlite3',
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
        afterCreate: (conn: any, done: (error: Error | null, conn: any) => void) => {
          conn.run('PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000;', (error: Error | null) => done(error, conn))
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
