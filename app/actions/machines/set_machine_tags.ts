import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import Machine from '#models/machine'
import type User from '#models/user'
import AuditTrail from '#services/audit_trail'
import { announceFleetChange } from '#services/fleet_events'
import { lockRowForUpdate } from '#services/db_helpers'

/**
 * Replaces a machine's tags (the labels an operator picks machines by,
 * e.g. a firmware rollout's `tag`), with an audit row of before and after.
 * The labels come normalised by `machineTagsValidator` (lower case, unique,
 * 1–32 of a–z 0–9 -); an empty list clears them.
 */
@inject()
export default class SetMachineTags {
  constructor(protected auditTrail: AuditTrail) {}

  /**
   * @returns the machine with its new tags
   * @throws E_ROW_NOT_FOUND (404) when no machine has `machineId`
   */
  async handle(actor: User, machineId: number, tags: string[]): Promise<Machine> {
    const machine = await db.transaction(async (trx) => {
      const current = await lockRowForUpdate(Machine, trx, machineId)
      const before = current.tags
      if (before.length === tags.length && before.every((tag, i) => tag === tags[i])) {
        return current
      }
      current.tags = tags
      await current.useTransaction(trx).save()
      await this.auditTrail.record(
        {
          actor,
          action: 'machine.tags',
          subjectType: 'machine',
          subjectId: machineId,
          before: { tags: before },
          after: { tags },
        },
        trx
      )
      return current
    })
    announceFleetChange()
    return machine
  }
}
