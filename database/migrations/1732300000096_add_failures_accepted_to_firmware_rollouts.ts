import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * `firmware_rollouts.failures_accepted`: failed or rolled-back targets of
 * the current stage that an operator accepted by resuming a halted
 * rollout. The halt threshold counts failures beyond them, so the next
 * failure halts it again; a new stage starts from 0.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('firmware_rollouts', (table) => {
      table.integer('failures_accepted').notNullable().defaultTo(0)
    })
  }

  async down() {
    this.schema.alterTable('firmware_rollouts', (table) => {
      table.dropColumn('failures_accepted')
    })
  }
}
