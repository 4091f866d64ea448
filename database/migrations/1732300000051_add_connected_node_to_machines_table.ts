import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * For several app nodes behind one address: which node holds the machine's
 * device connection (`NODE_ID` of that process), set on connect and cleared
 * on disconnect only by the node that set it. A starting node then resets
 * the presence of its own machines and of nodes that are gone, never of
 * machines connected to a live neighbour (see MachinePresence.resetPresence).
 */
export default class extends BaseSchema {
  protected tableName = 'machines'

  async up() {
    this.schema.alterTable(this.tableName, (table) => {
      table.string('connected_node', 128).nullable().index()
    })
  }

  async down() {
    this.schema.alterTable(this.tableName, (table) => {
      table.dropIndex(['connected_node'])
      table.dropColumn('connected_node')
    })
  }
}
