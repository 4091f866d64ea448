import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * `users.deactivated_at`: when an admin switched a panel user off. Set, the
 * user cannot sign in and their sessions end on their next request
 * (`PanelAccessMiddleware`); null is an active account. `users.role` is a
 * plain `varchar(16)` with no CHECK, so the new roles (`restocker`,
 * `viewer`) need no schema change.
 *
 * Raw SQL: knex alters an existing SQLite table by rebuilding it, which
 * would drag every foreign key pointing at `users` through a table swap;
 * `ADD COLUMN` is the same statement on PostgreSQL and SQLite.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.raw('ALTER TABLE users ADD COLUMN deactivated_at timestamp NULL')
  }

  async down() {
    this.schema.raw('ALTER TABLE users DROP COLUMN deactivated_at')
  }
}
