import { DateTime } from 'luxon'
import { inject } from '@adonisjs/core'
import emitter from '@adonisjs/core/services/emitter'
import logger from '@adonisjs/core/services/logger'
import db from '@adonisjs/lucid/services/db'
import vendingConfig from '#config/vending'
import { MachineStatus } from '#enums/machine_status'
import { presenceAfter, presenceGoverns, type PresenceChange } from '#enums/machine_presence'
import { dbTimestamp } from '#services/db_helpers'
import ClusterLock from '#services/cluster_lock'
import MachineWriteQueue from '#services/machine_write_queue'

type MachinesQuery = ReturnType<typeof db.from>

/**
 * Online/offline bookkeeping of machines (`machines.status`,
 * `connected_node`, `last_seen_at`), following their device links. Every
 * status change goes through `apply`, which follows
 * `PRESENCE_TRANSITIONS` (#enums/machine_presence). Each change is
 * announced after it is written: `machine:status` for a machine whose
 * status moved and `fleet:changed`.
 *
 * Presence is kept per node: a connect claims the machine for this node
 * (`ClusterLock.nodeId`), a disconnect releases it only while this node
 * still holds it. One per process (a container singleton).
 */
@inject()
export default class MachinePresence {
  /**
   * When this process last wrote each connected machine's `last_seen_at`
   * (epoch ms), so device traffic writes it at most once per
   * `vendingConfig.lastSeenWriteMs` (see `touchLastSeen`).
   */
  #lastSeenWritten = new Map<number, number>()

  constructor(
    protected cluster: ClusterLock,
    protected writes: MachineWriteQueue
  ) {}

  /**
   * Called when the server starts: marks offline the `online` machines no
   * live device connection stands behind, since machines left `online` by
   * a crash would otherwise take buys nobody can vend. Devices reconnect
   * within seconds and come back online.
   *
   * One node (no `REDIS_URL`): every machine, as no device is connected to
   * a process that just began. Several nodes: this node joins the registry
   * first, then only machines held by this node id, by no node, or by a
   * node whose heartbeat lapsed are reset; a live neighbour's machines
   * stay online.
   */
  async resetPresence(): Promise<void> {
    if (!this.cluster.enabled) {
      await this.release((query) => query)
      return
    }
    await this.cluster.join()
    const liveNodes = await this.cluster.liveNodes()
    const neighbours = liveNodes.filter((node) => node !== this.cluster.nodeId)
    await this.release((query) =>
      query.where((held) =>
        held.whereNull('connected_node').orWhereNotIn('connected_node', neighbours)
      )
    )
  }

  /**
   * Sets offline the machines held by nodes whose heartbeat lapsed (a node
   * that crashed or lost its network), when their devices did not
   * reconnect to a live node meanwhile. A sweep job, so one node runs it.
   *
   * @returns how many machines it set offline
   */
  async releaseDepartedNodes(): Promise<number> {
    if (!this.cluster.enabled) return 0
    const live = await this.cluster.liveNodes()
    if (!live.includes(this.cluster.nodeId)) await this.cluster.join()
    const released = await this.release((query) =>
      query
        .whereNotNull('connected_node')
        .whereNotIn('connected_node', [...new Set([...live, this.cluster.nodeId])])
    )
    if (released > 0) this.announceFleet()
    return released
  }

  /**
   * When this node drains: waits for the machines' queued writes, then
   * sets offline whatever this node still holds.
   *
   * @returns how many machines went offline
   */
  async releaseThisNode(): Promise<number> {
    await this.writes.settle()
    const released = await this.release((query) =>
      query.where('connected_node', this.cluster.nodeId)
    )
    if (released > 0) this.announceFleet()
    return released
  }

  /**
   * The machine's device connected to (`true`) or disconnected from this
   * node, queued behind the machine's other writes so they apply in event
   * order. A connect also counts as the machine being seen now.
   */
  setConnection(machineId: number, online: boolean): Promise<void> {
    if (online) {
      this.#lastSeenWritten.set(machineId, Date.now())
    } else {
      this.#lastSeenWritten.delete(machineId)
    }
    return this.writes.enqueue(machineId, () =>
      this.apply(machineId, online ? 'connect' : 'disconnect')
    )
  }

  /**
   * Notes that this process just wrote the machine's `last_seen_at` itself
   * (a `status` message), so `touchLastSeen` waits a full interval again.
   */
  noteSeen(machineId: number): void {
    this.#lastSeenWritten.set(machineId, Date.now())
  }

  /**
   * Device traffic from `machineId` arrived: writes its `last_seen_at` now,
   * unless this process wrote it less than `vendingConfig.lastSeenWriteMs`
   * ago (the connect, a `status`, or an earlier call). The check is one
   * map lookup, so it costs nothing on the vend path; the write is queued
   * behind the machine's other writes and never rejects. The UPDATE is
   * conditional too (only a `last_seen_at` older than the interval moves),
   * so two nodes briefly holding one machine's device (a handover) do not
   * double the writes.
   */
  touchLastSeen(machineId: number): void {
    const now = Date.now()
    const intervalMs = vendingConfig.lastSeenWriteMs
    if (now - (this.#lastSeenWritten.get(machineId) ?? 0) < intervalMs) return
    this.#lastSeenWritten.set(machineId, now)
    this.writes
      .enqueue(machineId, async () => {
        const client = db.connection()
        const at = DateTime.fromMillis(now)
        const cutoff = dbTimestamp(client, at.minus({ milliseconds: intervalMs }))
        await client
          .from('machines')
          .where('id', machineId)
          .where((query) => query.whereNull('last_seen_at').orWhere('last_seen_at', '<=', cutoff))
          .update({ last_seen_at: dbTimestamp(client, at) })
      })
      .catch((error) => logger.warn({ err: error, machineId }, 'last_seen_at not written'))
  }

  /**
   * Forgets this process's `last_seen_at` bookkeeping (the socket server
   * closed).
   */
  clear(): void {
    this.#lastSeenWritten.clear()
  }

  /**
   * Applies a link change to one machine, the one place a device link
   * writes `machines.status`: each status `PRESENCE_TRANSITIONS[change]`
   * governs moves to `presenceAfter(status, change)`, with this node
   * claiming (`connect`) or releasing the machine; a status it does not
   * govern (an operator's `maintenance`) stays and only the node and
   * `last_seen_at` follow. A disconnect writes only while this node still
   * holds the machine, so a device that already reconnected to a neighbour
   * stays online there.
   */
  protected async apply(machineId: number, change: 'connect' | 'disconnect') {
    const now = dbTimestamp(db.connection())
    const node = this.cluster.nodeId
    const online = change === 'connect'
    const ours = (query: MachinesQuery) => (online ? query : query.where('connected_node', node))
    let written = 0
    for (const [from, to] of this.moves(change)) {
      const rows = await ours(
        db.from('machines').where('id', machineId).whereIn('status', from)
      ).update({
        status: to,
        connected_node: online ? node : null,
        last_seen_at: now,
        updated_at: now,
      })
      written += Array.isArray(rows) ? rows.length : Number(rows)
    }
    await ours(
      db.from('machines').where('id', machineId).whereNotIn('status', presenceGoverns(change))
    ).update({
      connected_node: online ? node : null,
      last_seen_at: now,
    })
    this.announceFleet()
    // Nothing written (a disconnect from a node that no longer holds the
    // machine, or maintenance): the status did not change.
    if (written > 0) await this.announceStatuses([machineId])
  }

  /**
   * `release` for the machines `scope` selects: sets the `online` ones
   * offline and forgets their node (an operator's `maintenance` stays, its
   * node is forgotten).
   *
   * @returns how many machines went offline
   */
  protected async release(scope: (query: MachinesQuery) => MachinesQuery): Promise<number> {
    const now = dbTimestamp(db.connection())
    const governed = presenceGoverns('release')
    const candidates: { id: number }[] = await scope(
      db.from('machines').whereIn('status', governed)
    ).select('id')
    let released = 0
    for (const [from, to] of this.moves('release')) {
      const rows = await scope(db.from('machines').whereIn('status', from)).update({
        status: to,
        connected_node: null,
        updated_at: now,
      })
      released += Array.isArray(rows) ? rows.length : Number(rows)
    }
    await scope(
      db.from('machines').whereNotIn('status', governed).whereNotNull('connected_node')
    ).update({ connected_node: null })
    // Read back rather than assumed: a device may have reconnected meanwhile.
    if (released > 0) await this.announceStatuses(candidates.map((row) => row.id))
    return released
  }

  /**
   * The governed statuses of `change` grouped by the status they move to:
   * one UPDATE per target status.
   */
  protected moves(change: PresenceChange): [MachineStatus[], MachineStatus][] {
    const byTarget = new Map<MachineStatus, MachineStatus[]>()
    for (const from of presenceGoverns(change)) {
      const to = presenceAfter(from, change)
      byTarget.set(to, [...(byTarget.get(to) ?? []), from])
    }
    return [...byTarget].map(([to, from]) => [from, to])
  }

  /**
   * Emits `machine:status` for each of `machineIds`, with the status the
   * database holds now.
   */
  protected async announceStatuses(machineIds: number[]) {
    if (machineIds.length === 0) return
    const machines: { id: number; code: string; status: string }[] = await db
      .from('machines')
      .whereIn('id', machineIds)
      .select('id', 'code', 'status')
    for (const machine of machines) void emitter.emit('machine:status', machine)
  }

  protected announceFleet() {
    void emitter.emit('fleet:changed', {})
  }
}
