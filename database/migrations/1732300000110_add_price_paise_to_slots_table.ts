import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Prices per machine: `slots.price_paise` overrides the slot's product
 * price for shoppers at this machine (an airport machine charges more).
 * Null means "the product's price"; an override is a positive number of
 * paise, like `products.price_paise`.
 *
 * Raw SQL because knex adds a CHECK to an existing SQLite table by
 * rebuilding it (copy, drop, rename), which would drag every foreign key
 * pointing at `slots` (orders, restocks, payments) through a table swap.
 * A column constraint on `ADD COLUMN` is the same statement on
 * PostgreSQL and SQLite, and SQLite drops it with the column.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.raw(
      'ALTER TABLE slots ADD COLUMN price_paise integer NULL ' +
        'CONSTRAINT slots_price_override_positive CHECK (price_paise IS NULL OR price_paise > 0)'
    )
  }

  async down() {
    this.schema.raw('ALTER TABLE slots DROP COLUMN price_paise')
  }
}
