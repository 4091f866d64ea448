import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Par level of a slot: the units a restock fills it to. Null means "its
 * capacity"; a par above the capacity is read as the capacity
 * (`Slot.effectiveParLevel`), so a later capacity cut needs no par fix.
 *
 * Raw SQL for the same reason as `slots.price_paise`
 * (1732300000110): knex adds a CHECK to an existing SQLite table by
 * rebuilding it, dragging every foreign key to `slots` through a table
 * swap; a column constraint on `ADD COLUMN` is one statement on both.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.raw(
      'ALTER TABLE slots ADD COLUMN par_level integer NULL ' +
        'CONSTRAINT slots_par_level_not_negative CHECK (par_level IS NULL OR par_level >= 0)'
    )
  }

  async down() {
    this.schema.raw('ALTER TABLE slots DROP COLUMN par_level')
  }
}
