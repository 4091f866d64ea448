import { DateTime } from 'luxon'
import { inject } from '@adonisjs/core'
import logger from '@adonisjs/core/services/logger'
import db from '@adonisjs/lucid/services/db'
import mail from '@adonisjs/mail/services/main'
import alertsConfig from '#config/alerts'
import { MachineStatus } from '#enums/machine_status'
import { VendResult } from '#enums/vend_result'
import AlertEpisode, { type AlertKind } from '#models/alert_episode'
import Machine from '#models/machine'
import Slot from '#models/slot'
import { affectedRows, dbTimestamp, isUniqueViolation } from '#services/db_helpers'
import AlertSchedule from '#services/alert_schedule'

/**
 * nodemailer's error codes for an SMTP server it could not talk to at all.
 */
const UNREACHABLE = new Set(['ESOCKET', 'ECONNECTION', 'ETIMEDOUT', 'EDNS'])

/**
 * How long a check owns an episode's email while sending it (ms): longer
 * than the SMTP timeouts of config/mail.ts add up to.
 */
const SEND_LEASE_MS = 2 * 60_000

/**
 * What one check did: episodes opened, closed, and emails sent.
 */
export interface AlertCheckOutcome {
  opened: number
  closed: number
  notified: number
}

/**
 * A subject that is in trouble now: its kind, id and machine.
 */
interface Trouble {
  kind: AlertKind
  subjectId: number
  machineId: number
}

/**
 * Low-stock, repeated-jam and machine-offline email alerts, one email per
 * episode.
 *
 * An episode opens when a subject is first seen in trouble:
 * - `low_stock`: a slot with a product and `low_stock_threshold > 0` holds
 *   `quantity <= low_stock_threshold` units;
 * - `slot_jams`: a slot whose vends reported `jam` at least
 *   `ALERT_JAMS_PER_SLOT` times in the last `ALERT_JAM_WINDOW_MS`;
 * - `machine_offline`: a machine `offline` (not `maintenance`, which an
 *   operator chose) whose `last_seen_at` (written at connect, disconnect
 *   and from device traffic meanwhile) is more than `ALERT_OFFLINE_AFTER_MS` ago. A machine that
 *   never connected has nothing to lose and is not alerted.
 * It closes when the subject is fine again (restocked above the threshold,
 * the jams aged out of their window,
 * threshold set to 0, product removed, machine back online or in
 * maintenance), so the next shortage opens a new episode and alerts again.
 *
 * Emails go to `ALERT_EMAILS` after the episode row is committed; a send
 * that fails leaves `notified_at` null and is retried on the next check, so
 * an episode is mailed once when the send succeeds; a lease on each send
 * (`sending_until`) keeps two concurrent checks from mailing it twice.
 * Run by the vend sweeper (under its cluster lock: one node at a time), at
 * most every `ALERT_CHECK_INTERVAL_MS` (the process's `AlertSchedule`).
 */
@inject()
export default class CheckAlerts {
  constructor(protected schedule: AlertSchedule) {}

  /**
   * The sweeper's entry: a check when `ALERT_CHECK_INTERVAL_MS` has passed
   * since the last one.
   *
   * @returns episodes opened, closed and notified (0 when not due)
   */
  async handle(now: DateTime = DateTime.now()): Promise<number> {
    if (!this.schedule.claim(now, alertsConfig.checkIntervalMs)) return 0
    const { opened, closed, notified } = await this.check(now)
    return opened + closed + notified
  }

  /**
   * One full check: close what is over, open what is new, mail every open
   * episode not yet notified.
   */
  async check(now: DateTime = DateTime.now()): Promise<AlertCheckOutcome> {
    const troubles = [
      ...(await this.lowStockSlots()),
      ...(await this.jammingSlots(now)),
      ...(await this.offlineMachines(now)),
    ]
    const closed = await this.closeEpisodesOver(troubles, now)
    const opened = await this.openEpisodes(troubles, now)
    const notified = alertsConfig.recipients.length ? await this.notifyPending(now) : 0
    return { opened, closed, notified }
  }

  protected async lowStockSlots(): Promise<Trouble[]> {
    const slots = await Slot.query()
      .withScopes((scopes) => scopes.lowOnStock())
      .select('id', 'machine_id')
    return slots.map((slot) => ({
      kind: 'low_stock',
      subjectId: slot.id,
      machineId: slot.machineId,
    }))
  }

  /**
   * Slots with at least `ALERT_JAMS_PER_SLOT` `jam` results in the last
   * `ALERT_JAM_WINDOW_MS`: over once the jams age out of the window.
   */
  protected async jammingSlots(now: DateTime): Promise<Trouble[]> {
    if (alertsConfig.jamsPerSlot <= 0) return []
    const rows = await this.recentJams(now)
      .join('slots', 'slots.id', 'orders.slot_id')
      .groupBy('orders.slot_id', 'slots.machine_id')
      .havingRaw('count(*) >= ?', [alertsConfig.jamsPerSlot])
      .select('orders.slot_id', 'slots.machine_id')
    return rows.map((row) => ({
      kind: 'slot_jams',
      subjectId: Number(row.slot_id),
      machineId: Number(row.machine_id),
    }))
  }

  protected async offlineMachines(now: DateTime): Promise<Trouble[]> {
    const client = db.connection()
    const rows = await client
      .from('machines')
      .where('status', MachineStatus.Offline)
      .whereNotNull('last_seen_at')
      .where(
        'last_seen_at',
        '<=',
        dbTimestamp(client, now.minus({ milliseconds: alertsConfig.offlineAfterMs }))
      )
      .select('id')
    return rows.map((row) => ({
      kind: 'machine_offline',
      subjectId: Number(row.id),
      machineId: Number(row.id),
    }))
  }

  /**
   * Closes every open episode whose subject is no longer in trouble
   * (including a deleted slot).
   */
  protected async closeEpisodesOver(troubles: Trouble[], now: DateTime): Promise<number> {
    const client = db.connection()
    let closed = 0
    for (const kind of ['low_stock', 'slot_jams', 'machine_offline'] as const) {
      const stillOpen = troubles
        .filter((trouble) => trouble.kind === kind)
        .map((trouble) => trouble.subjectId)
      const open = await client
        .from('alert_episodes')
        .where('kind', kind)
        .whereNull('closed_at')
        .select('id', 'subject_id')
      const over = open
        .filter((row) => !stillOpen.includes(Number(row.subject_id)))
        .map((row) => Number(row.id))
      if (!over.length) continue
      await client
        .from('alert_episodes')
        .whereIn('id', over)
        .whereNull('closed_at')
        .update({ closed_at: dbTimestamp(client, now) })
      closed += over.length
    }
    return closed
  }

  /**
   * Opens an episode for each subject in trouble without an open one. The
   * partial unique index settles a race with another process.
   */
  protected async openEpisodes(troubles: Trouble[], now: DateTime): Promise<number> {
    const open = await AlertEpisode.query().whereNull('closed_at').select('kind', 'subject_id')
    const known = new Set(open.map((episode) => `${episode.kind}:${episode.subjectId}`))
    let opened = 0
    for (const trouble of troubles) {
      if (known.has(`${trouble.kind}:${trouble.subjectId}`)) continue
      try {
        await AlertEpisode.create({ ...trouble, openedAt: now })
        opened++
      } catch (error) {
        if (!isUniqueViolation(error)) throw error
      }
    }
    return opened
  }

  /**
   * Mails every open episode not yet notified, oldest first, one email
   * each. A failure is logged and left for the next check.
   *
   * Each send is claimed first (`sending_until`, a lease of
   * `SEND_LEASE_MS`), so two checks running at once (two processes, or a
   * manual check beside the sweeper) never mail one episode twice; a
   * process that dies mid-send leaves a lease that lapses, and the email is
   * retried rather than lost.
   */
  protected async notifyPending(now: DateTime): Promise<number> {
    const pending = await AlertEpisode.query()
      .whereNull('closed_at')
      .whereNull('notified_at')
      .preload('machine')
      .orderBy('id')
    const client = db.connection()
    let notified = 0
    for (const episode of pending) {
      // Wall-clock time for the lease, whatever `now` the check runs at.
      const leaseNow = DateTime.now()
      const claimed = await client
        .from('alert_episodes')
        .where('id', episode.id)
        .whereNull('notified_at')
        .whereNull('closed_at')
        .where((query) =>
          query
            .whereNull('sending_until')
            .orWhere('sending_until', '<', dbTimestamp(client, leaseNow))
        )
        .update({
          sending_until: dbTimestamp(client, leaseNow.plus({ milliseconds: SEND_LEASE_MS })),
        })
      if (affectedRows(claimed) !== 1) continue

      try {
        await this.send(episode, now)
      } catch (error) {
        await client.from('alert_episodes').where('id', episode.id).update({ sending_until: null })
        logger.warn(
          { err: error, episode: episode.id, kind: episode.kind },
          'alert email not sent; retrying on the next check'
        )
        // The server cannot be reached: the other emails would wait for the
        // same timeout, so they wait for the next check instead.
        if (UNREACHABLE.has((error as { code?: string }).code ?? '')) break
        continue
      }
      await client
        .from('alert_episodes')
        .where('id', episode.id)
        .whereNull('notified_at')
        .update({ notified_at: dbTimestamp(client, DateTime.now()), sending_until: null })
      notified++
    }
    return notified
  }

  /**
   * `jam` results of a slot within the jam window before `now`.
   */
  protected async jamsOf(slotId: number, now: DateTime): Promise<number> {
    const row = await this.recentJams(now)
      .where('orders.slot_id', slotId)
      .count('* as total')
      .first()
    return Number(row?.total ?? 0)
  }

  /**
   * Orders that failed with `jam` within `ALERT_JAM_WINDOW_MS` before
   * `now`: what both the alert and its email count.
   */
  protected recentJams(now: DateTime) {
    const client = db.connection()
    return client
      .from('orders')
      .where('orders.failure_reason', VendResult.Jam)
      .where(
        'orders.failed_at',
        '>=',
        dbTimestamp(client, now.minus({ milliseconds: alertsConfig.jamWindowMs }))
      )
  }

  /**
   * Sends one episode's email: plain text and HTML from
   * resources/views/emails/alert_{text,html}.edge.
   *
   * @throws the transport's error (SMTP unreachable, refused...)
   */
  protected async send(episode: AlertEpisode, now: DateTime) {
    const data = await this.describe(episode, now)
    await mail.send((message) => {
      message
        .to(alertsConfig.recipients[0])
        .subject(data.subject)
        .textView('emails/alert_text', data)
        .htmlView('emails/alert_html', data)
      for (const address of alertsConfig.recipients.slice(1)) message.to(address)
    })
  }

  /**
   * What an email says about `episode`: machine, slot, product,
   * quantity/threshold or how long offline, and a link to the panel.
   */
  protected async describe(episode: AlertEpisode, now: DateTime) {
    const machine: Machine = episode.machine
    const panel = alertsConfig.appUrl
    if (episode.kind === 'low_stock') {
      const slot = await Slot.query().where('id', episode.subjectId).preload('product').first()
      const product = slot?.product?.name ?? 'no product'
      return {
        kind: episode.kind,
        subject: `Low stock: ${machine.code} slot ${slot?.number ?? '?'} (${product}), ${slot?.quantity ?? 0} left`,
        machine,
        slot,
        product,
        since: formatTime(episode.openedAt),
        link: panel && slot ? `${panel}/admin/machines/${machine.id}/slots/${slot.number}` : null,
      }
    }
    if (episode.kind === 'slot_jams') {
      const slot = await Slot.query().where('id', episode.subjectId).preload('product').first()
      const product = slot?.product?.name ?? 'no product'
      const jams = await this.jamsOf(episode.subjectId, now)
      return {
        kind: episode.kind,
        subject: `Repeated jams: ${machine.code} slot ${slot?.number ?? '?'} (${product}), ${jams} in ${hoursOf(alertsConfig.jamWindowMs)}`,
        machine,
        slot,
        product,
        jams,
        window: hoursOf(alertsConfig.jamWindowMs),
        since: formatTime(episode.openedAt),
        link: panel && slot ? `${panel}/admin/machines/${machine.id}/slots/${slot.number}` : null,
      }
    }
    const since = machine.lastSeenAt ?? episode.openedAt
    return {
      kind: episode.kind,
      subject: `Machine offline: ${machine.code} (${machine.name}) since ${formatTime(since)}`,
      machine,
      slot: null,
      product: null,
      since: formatTime(since),
      minutes: Math.max(1, Math.round(now.diff(since, 'minutes').minutes)),
      link: panel ? `${panel}/admin/machines/${machine.id}` : null,
    }
  }
}

function hoursOf(ms: number) {
  const hours = Math.round(ms / 3_600_000)
  return hours === 1 ? '1 hour' : `${hours} hours`
}

function formatTime(at: DateTime) {
  return at.toUTC().toFormat("yyyy-LL-dd HH:mm 'UTC'")
}
