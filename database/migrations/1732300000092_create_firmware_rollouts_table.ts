import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Firmware rollouts: a release offered to a set of machines in stages (a
 * canary stage 0, then stage 1 for the rest). One target row per machine
 * with where its update stands (`RolloutTargetState`), the firmware it ran
 * before and runs after, and why it failed. `machines.tags` lets a rollout
 * (and an operator) pick machines by tag.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('firmware_rollouts', (table) => {
      table.increments('id')
      table
        .integer('firmware_release_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('firmware_releases')
        .onDelete('RESTRICT')
      table.string('status', 16).notNullable()
      // How the machines were chosen, for people: "machines demo-1, demo-2",
      // "10% of the fleet", "tag airport".
      table.string('selector', 255).notNullable()
      table.integer('stage').notNullable().defaultTo(0)
      table.integer('failure_threshold').notNullable()
      table.text('halt_reason').nullable()
      table
        .integer('created_by')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table.timestamp('finished_at').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.index(['status'])
    })

    this.schema.createTable('firmware_rollout_targets', (table) => {
      table.increments('id')
      table
        .integer('rollout_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('firmware_rollouts')
        .onDelete('CASCADE')
      table
        .integer('machine_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('machines')
        .onDelete('CASCADE')
      table.integer('stage').notNullable()
      table.string('state', 16).notNullable()
      table.string('version_before', 64).nullable()
      table.string('version_after', 64).nullable()
      table.integer('percent').nullable()
      table.string('reason', 64).nullable()
      table.integer('attempts').notNullable().defaultTo(0)
      table.timestamp('sent_at').nullable()
      table.timestamp('finished_at').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.unique(['rollout_id', 'machine_id'])
      table.index(['machine_id', 'state'])
    })

    this.schema.alterTable('machines', (table) => {
      table.text('tags').nullable()
    })
  }

  async down() {
    this.schema.alterTable('machines', (table) => {
      table.dropColumn('tags')
    })
    this.schema.dropTable('firmware_rollout_targets')
    this.schema.dropTable('firmware_rollouts')
  }
}
