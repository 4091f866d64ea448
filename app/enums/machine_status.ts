/**
 * A machine is `online` while its device holds a live `/devices` connection,
 * `offline` otherwise. `maintenance` is set by an operator and refuses buys
 * whatever the connection does.
 */
export enum MachineStatus {
  Online = 'online',
  Offline = 'offline',
  Maintenance = 'maintenance',
}
