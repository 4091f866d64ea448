import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import vendingConfig from '#config/vending'
import Machine from '#models/machine'
import type User from '#models/user'
import MachineBusyException from '#exceptions/machine_busy_exception'
import { affectedRows, dbTimestamp } from '#services/db_helpers'

/**
 * The two columns of a machine that hold its session lock (a loaded
 * `Machine`, or the buy's plain read of it).
 */
export type SessionColumns = Pick<Machine, 'sessionUserId' | 'sessionExpiresAt'>

/**
 * A shopper's view of a machine's session lock: whether they hold it
 * (`claimed`), whether someone else does (`heldByOther`), and until when
 * the holder has it (`heldUntil`; null when nobody holds it).
 */
export interface MachineSessionState {
  claimed: boolean
  heldByOther: boolean
  heldUntil: DateTime | null
}

/**
 * One shopper session at a time per machine, so two people at
 * the same machine cannot mix their vends. A shopper who starts at a
 * machine claims it for `MACHINE_SESSION_TTL_MS` (default 90 s); each
 * claim or claiming buy extends it; it lapses by itself, or the holder
 * releases it.
 *
 * The lock is two columns of the machine (`session_user_id`,
 * `session_expires_at`) taken with one conditional UPDATE, so two racing
 * claimers cannot both win, on SQLite or PostgreSQL. The shopper page
 * calls `claim`/`status`/`release`; buys go through `TakeUnit`, which calls
 * `assertFree` and, for a buy that claims, `claimWithin` in the buy's
 * transaction. API buys respect someone else's session but never claim one.
 */
export default class MachineSession {
  /**
   * Claims the machine for `user`, or extends their claim, for
   * `MACHINE_SESSION_TTL_MS` from now.
   *
   * @returns `claimed: true` and the new end when it worked; otherwise
   *   `heldByOther: true` and when the other shopper's session ends
   */
  async claim(
    machine: Machine,
    user: User,
    now: DateTime = DateTime.now()
  ): Promise<MachineSessionState> {
    if (await this.claimWithin(db.connection(), machine.id, user, now)) {
      return { claimed: true, heldByOther: false, heldUntil: this.endFrom(now) }
    }
    return this.status(machine, user, now)
  }

  /**
   * Ends `user`'s session on the machine at once. Someone else's session
   * is left alone.
   *
   * @returns whether `user` held it
   */
  async release(machine: Machine, user: User): Promise<boolean> {
    const result = await db
      .from('machines')
      .where('id', machine.id)
      .where('session_user_id', user.id)
      .update({ session_user_id: null, session_expires_at: null })
    return affectedRows(result) === 1
  }

  /**
   * Who holds the machine now, as `user` sees it (for "in use by another
   * shopper" on the shopper page). Reads the row afresh.
   */
  async status(
    machine: Machine,
    user: User,
    now: DateTime = DateTime.now()
  ): Promise<MachineSessionState> {
    const current = await Machine.findOrFail(machine.id)
    return this.stateOf(current, user, now)
  }

  /**
   * The state `machine` (as loaded) is in for `user` at `now`. An expired
   * session counts as nobody's.
   */
  stateOf(
    machine: SessionColumns,
    user: User,
    now: DateTime = DateTime.now()
  ): MachineSessionState {
    const live =
      machine.sessionUserId !== null &&
      machine.sessionExpiresAt !== null &&
      machine.sessionExpiresAt > now
    if (!live) return { claimed: false, heldByOther: false, heldUntil: null }
    const mine = machine.sessionUserId === user.id
    return { claimed: mine, heldByOther: !mine, heldUntil: machine.sessionExpiresAt }
  }

  /**
   * Refuses `user` when someone else's session holds `machine` (as loaded,
   * e.g. re-read in the buy's transaction).
   *
   * @throws MachineBusyException (409) with roughly when it frees up
   */
  assertFree(machine: SessionColumns, user: User, now: DateTime = DateTime.now()): void {
    const state = this.stateOf(machine, user, now)
    if (state.heldByOther) throw new MachineBusyException(state.heldUntil, now)
  }

  /**
   * The conditional claim: `UPDATE machines SET session_user_id = user,
   * session_expires_at = now + ttl WHERE id = ? AND (nobody holds it, or
   * user does, or the holder's session has expired)`, on `client` (a
   * buy's transaction, or the default connection). The database settles a
   * race: on PostgreSQL the second UPDATE waits for the first's row lock
   * and re-checks its WHERE against the committed row; SQLite runs one
   * writer at a time.
   *
   * @returns whether `user` now holds the session
   */
  async claimWithin(
    client: QueryClientContract,
    machineId: number,
    user: User,
    now: DateTime = DateTime.now()
  ): Promise<boolean> {
    const at = dbTimestamp(client, now)
    const result = await client
      .from('machines')
      .where('id', machineId)
      .where((query) => {
        query
          .whereNull('session_user_id')
          .orWhere('session_user_id', user.id)
          .orWhereNull('session_expires_at')
          .orWhere('session_expires_at', '<=', at)
      })
      .update({
        session_user_id: user.id,
        session_expires_at: dbTimestamp(client, this.endFrom(now)),
      })
    return affectedRows(result) === 1
  }

  protected endFrom(now: DateTime): DateTime {
    return now.plus({ milliseconds: vendingConfig.machineSessionTtlMs })
  }
}
