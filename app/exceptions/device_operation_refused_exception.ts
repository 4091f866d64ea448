import VendingException from '#exceptions/vending_exception'

/**
 * A remote operation on a machine's device (settings, logs, reboot;
 * firmware/PROTOCOL.md §13.2–13.3) the server refused before sending
 * anything (409): `machine_offline` when no device is connected,
 * `vend_in_flight` when a reboot would cut a vend off. In the panel the
 * message is the form's error.
 */
export default class DeviceOperationRefusedException extends VendingException {
  static status = 409

  /** No device is connected: the message says nothing was sent. */
  static offline(): DeviceOperationRefusedException {
    return new DeviceOperationRefusedException(
      'The machine is offline, so nothing was sent to its device.',
      { code: 'machine_offline', status: 409 }
    )
  }

  /** A vend is paid and not yet settled on the machine. */
  static vendInFlight(): DeviceOperationRefusedException {
    return new DeviceOperationRefusedException(
      'A vend is in flight on this machine: reboot it once the vend has finished.',
      { code: 'vend_in_flight', status: 409 }
    )
  }
}
