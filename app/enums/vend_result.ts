/**
 * What a device reports for a vend command (firmware/PROTOCOL.md).
 * Only `dropped` means the shopper got the item.
 */
export enum VendResult {
  Dropped = 'dropped',
  NoDrop = 'no_drop',
  Jam = 'jam',
  SensorFault = 'sensor_fault',
  Interrupted = 'interrupted',
  /**
   * The command reached the device after its `expires_at`: no motor turned
   * (firmware/PROTOCOL.md §3, the vend deadline).
   */
  Expired = 'expired',
}

/**
 * Failure reason recorded when the server gives up waiting for a result.
 */
export const VEND_TIMEOUT_REASON = 'timeout'
