import type { OrderUpdate } from '#services/order_events'
import type { RefundDue } from '#services/card_refunds'
import type { MachineEventRecorded, MachineStatusChange } from '#services/fleet_events'
import type { RolloutChanged } from '#services/rollout_events'

declare module '@adonisjs/core/types' {
  interface EventsList {
    /**
     * An order changed status (bought, dispatched, settled, refunded).
     */
    'order:updated': OrderUpdate

    /**
     * A pay-per-vend payment is owed back to the card (`IssueCardRefund`).
     */
    'payment:refund_due': RefundDue

    /**
     * The fleet changed (a machine came or went, a slot or a setting
     * moved), after commit: admin dashboards refresh their figures.
     */
    'fleet:changed': Record<string, never>

    /**
     * A machine's status changed (presence or maintenance), after commit:
     * the pages watching it hear `machine_status`.
     */
    'machine:status': MachineStatusChange

    /**
     * A communication monitor entry was written (`DeviceMonitor`).
     */
    'machine:event': MachineEventRecorded

    /**
     * A firmware rollout or one of its targets changed, after commit:
     * dashboards hear `rollout_changed { rollout_id }` and re-read it.
     */
    'rollout:changed': RolloutChanged

    /**
     * A panel user was deactivated, after commit: their live pages on
     * `/admin` are disconnected.
     */
    'user:deactivated': { userId: number }
  }
}
