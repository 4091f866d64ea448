import { MachineStatus } from '#enums/machine_status'

/**
 * What happened to a machine's device link:
 * - `connect`: its device joined `/devices` on this node;
 * - `disconnect`: that connection closed;
 * - `release`: the node holding it is gone or going (a restart, a drain,
 *   a lapsed heartbeat), with no live connection behind the machine.
 */
export type PresenceChange = 'connect' | 'disconnect' | 'release'

/**
 * The statuses each link change moves a machine between. A status missing
 * from a change's row keeps its value: `maintenance` is the operator's
 * (lifted only by `SetMaintenance`), so the link never changes it; only the
 * machine's node and `last_seen_at` follow the link there.
 */
export const PRESENCE_TRANSITIONS: Record<
  PresenceChange,
  Partial<Record<MachineStatus, MachineStatus>>
> = {
  connect: {
    [MachineStatus.Offline]: MachineStatus.Online,
    [MachineStatus.Online]: MachineStatus.Online,
  },
  disconnect: {
    [MachineStatus.Online]: MachineStatus.Offline,
    [MachineStatus.Offline]: MachineStatus.Offline,
  },
  release: {
    [MachineStatus.Online]: MachineStatus.Offline,
  },
}

/**
 * The statuses a link change moves (`PRESENCE_TRANSITIONS[change]`'s keys).
 */
export function presenceGoverns(change: PresenceChange): MachineStatus[] {
  return Object.keys(PRESENCE_TRANSITIONS[change]) as MachineStatus[]
}

/**
 * A machine's status after `change`, from `PRESENCE_TRANSITIONS`; a status
 * the change does not govern is kept.
 */
export function presenceAfter(status: MachineStatus, change: PresenceChange): MachineStatus {
  return PRESENCE_TRANSITIONS[change][status] ?? status
}
