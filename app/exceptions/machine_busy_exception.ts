import { DateTime } from 'luxon'
import VendingException from '#exceptions/vending_exception'

/**
 * Thrown when another shopper holds the machine's session (one shopper
 * session at a time per machine, so vends cannot mix) (409). The
 * message says roughly when the machine frees up, from `heldUntil`.
 */
export default class MachineBusyException extends VendingException {
  static status = 409
  static code = 'machine_busy'
  static message = 'Someone else is using this machine right now. Try again in a minute.'

  constructor(heldUntil?: DateTime | null, now: DateTime = DateTime.now()) {
    super(heldUntil ? MachineBusyException.messageFor(heldUntil, now) : undefined)
  }

  /**
   * "... Try again in about 40 seconds." (rounded up to 10 s under a
   * minute, to whole minutes above).
   */
  static messageFor(heldUntil: DateTime, now: DateTime): string {
    const seconds = Math.max(1, Math.ceil(heldUntil.diff(now).as('seconds')))
    const wait =
      seconds < 60
        ? `about ${Math.ceil(seconds / 10) * 10} seconds`
        : `about ${Math.ceil(seconds / 60)} minute${seconds > 60 ? 's' : ''}`
    return `Someone else is using this machine right now. Try again in ${wait}.`
  }
}
