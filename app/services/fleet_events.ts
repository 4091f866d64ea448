import emitter from '@adonisjs/core/services/emitter'

/**
 * A machine's status as live pages hear it (`machine:status`): `status` is
 * `online`, `offline` or `maintenance`.
 */
export interface MachineStatusChange {
  id: number
  code: string
  status: string
}

/**
 * A communication monitor entry was written (`machine:event`).
 */
export interface MachineEventRecorded {
  machineId: number
  event: string
}

/**
 * Announces that the fleet changed (a machine, slot or order moved), so
 * admin dashboards refresh their figures. Call after the change is
 * committed.
 */
export function announceFleetChange(): void {
  void emitter.emit('fleet:changed', {})
}

/**
 * Announces a machine's status to the pages watching it. Call after the
 * change is committed.
 */
export function announceMachineStatus(machine: MachineStatusChange): void {
  void emitter.emit('machine:status', {
    id: machine.id,
    code: machine.code,
    status: machine.status,
  })
}
