import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import alertsConfig from '#config/alerts'
import CheckAlerts from '#actions/alerts/check_alerts'
import { MachineStatus } from '#enums/machine_status'
import { VendResult } from '#enums/vend_result'
import AlertEpisode from '#models/alert_episode'
import { dbTimestamp } from '#services/db_helpers'
import AlertSchedule from '#services/alert_schedule'
import { truncateAll } from '#tests/helpers/database'
import { connectDevice, createMachine, waitUntilOnline } from '#tests/helpers/device'
import { closeAfter } from '#tests/helpers/device_session'
import { createShopper } from '#tests/helpers/shopper'
import { buyThroughApi } from '#tests/helpers/live_orders'
import { TestSmtpServer } from '#tests/helpers/smtp'

const OPERATORS = ['ops@example.com', 'owner@example.com']

/**
 * A real SMTP server started for the test, the app's mailer pointed at
 * it, and `ALERT_EMAILS` set to `recipients` (restored afterwards).
 */
async function smtpWithRecipients(
  cleanup: (handler: () => Promise<void>) => void,
  recipients: string[] = OPERATORS
) {
  const smtp = await TestSmtpServer.create()
  await smtp.start()
  const saved = { recipients: alertsConfig.recipients, appUrl: alertsConfig.appUrl }
  alertsConfig.recipients = recipients
  alertsConfig.appUrl = 'https://vendora.example.com'
  cleanup(async () => {
    Object.assign(alertsConfig, saved)
    await smtp.stop()
  })
  return smtp
}

async function check(now?: DateTime) {
  const checker = await app.container.make(CheckAlerts)
  return checker.check(now)
}

async function setStock(slotId: number, quantity: number, threshold?: number) {
  await db
    .from('slots')
    .where('id', slotId)
    .update({ quantity, ...(threshold === undefined ? {} : { low_stock_threshold: threshold }) })
}

async function episodes() {
  return AlertEpisode.query().orderBy('id')
}

test.group('Email alerts: low stock', (group) => {
  group.each.setup(truncateAll)

  test('a slot at its threshold sends one email per episode, however often it is checked', async ({
    assert,
    cleanup,
  }) => {
    const smtp = await smtpWithRecipients(cleanup)
    const { machine, slot, product } = await createMachine({ quantity: 5 })
    await setStock(slot.id, 2, 2)

    for (let i = 0; i < 3; i++) await check()

    assert.lengthOf(smtp.messages, 1)
    const [message] = smtp.messages
    assert.sameMembers(message.to, OPERATORS)
    assert.include(message.subject, `Low stock: ${machine.code} slot 1`)
    assert.include(message.text, product.name)
    assert.include(message.text, 'text/plain')
    assert.include(message.text, 'text/html')
    assert.include(message.text, `https://vendora.example.com/admin/machines/${machine.id}/slots/1`)
    const [episode] = await episodes()
    assert.equal(episode.kind, 'low_stock')
    assert.equal(episode.subjectId, slot.id)
    assert.isNotNull(episode.notifiedAt)
    assert.isNull(episode.closedAt)
  })

  test('a restock above the threshold closes the episode, and the next shortage emails again', async ({
    assert,
    cleanup,
  }) => {
    const smtp = await smtpWithRecipients(cleanup)
    const { slot } = await createMachine({ quantity: 5 })
    await setStock(slot.id, 1, 2)
    await check()

    await setStock(slot.id, 8)
    const afterRestock = await check()
    assert.equal(afterRestock.closed, 1)
    assert.isNotNull((await episodes())[0].closedAt)
    assert.lengthOf(smtp.messages, 1)

    await setStock(slot.id, 2)
    await check()
    await check()

    assert.lengthOf(smtp.messages, 2)
    const [first, second] = await episodes()
    assert.isNotNull(first.closedAt)
    assert.isNull(second.closedAt)
    assert.isNotNull(second.notifiedAt)
  })

  test('a threshold of 0 never alerts, even at 0 units', async ({ assert, cleanup }) => {
    const smtp = await smtpWithRecipients(cleanup)
    const { slot } = await createMachine({ quantity: 5 })
    await setStock(slot.id, 0, 0)

    await check()

    assert.lengthOf(smtp.messages, 0)
    assert.lengthOf(await episodes(), 0)
  })

  test('an empty slot without a product is not low stock', async ({ assert, cleanup }) => {
    const smtp = await smtpWithRecipients(cleanup)
    const { slot } = await createMachine({ quantity: 5 })
    await db.from('slots').where('id', slot.id).update({ quantity: 0, product_id: null })

    await check()

    assert.lengthOf(smtp.messages, 0)
  })
})

test.group('Email alerts: machine offline', (group) => {
  group.each.setup(truncateAll)

  test('alerts once after ALERT_OFFLINE_AFTER_MS offline, not before, and again after it came back and left', async ({
    assert,
    cleanup,
  }) => {
    const smtp = await smtpWithRecipients(cleanup)
    const { machine, slot } = await createMachine({ quantity: 5 })
    const lastSeen = DateTime.now().minus({ minutes: 1 })
    await db
      .from('machines')
      .where('id', machine.id)
      .update({
        status: MachineStatus.Offline,
        last_seen_at: dbTimestamp(db.connection(), lastSeen),
      })
    assert.isAbove(await slotQuantity(slot.id), 2)

    const before = lastSeen.plus({ milliseconds: alertsConfig.offlineAfterMs - 1000 })
    await check(before)
    assert.lengthOf(smtp.messages, 0)
    assert.lengthOf(await episodes(), 0)

    const after = lastSeen.plus({ milliseconds: alertsConfig.offlineAfterMs + 1000 })
    await check(after)
    await check(after.plus({ minutes: 1 }))
    await check(after.plus({ minutes: 2 }))

    assert.lengthOf(smtp.messages, 1)
    assert.include(smtp.messages[0].subject, `Machine offline: ${machine.code}`)
    assert.include(
      smtp.messages[0].text,
      `https://vendora.example.com/admin/machines/${machine.id}`
    )

    // Back online closes it; offline again long enough alerts again.
    await db.from('machines').where('id', machine.id).update({ status: MachineStatus.Online })
    assert.equal((await check(after.plus({ minutes: 3 }))).closed, 1)
    await db.from('machines').where('id', machine.id).update({ status: MachineStatus.Offline })
    await check(after.plus({ minutes: 4 }))
    assert.lengthOf(smtp.messages, 2)
  })

  test('a machine in maintenance or never connected is not alerted', async ({
    assert,
    cleanup,
  }) => {
    const smtp = await smtpWithRecipients(cleanup)
    const resting = await createMachine()
    await createMachine()
    const longAgo = dbTimestamp(db.connection(), DateTime.now().minus({ hours: 2 }))
    await db
      .from('machines')
      .where('id', resting.machine.id)
      .update({ status: MachineStatus.Maintenance, last_seen_at: longAgo })

    await check()

    assert.lengthOf(smtp.messages, 0)
    assert.lengthOf(await episodes(), 0)
  })
})

test.group('Email alerts: delivery', (group) => {
  group.each.setup(truncateAll)

  test('with the SMTP server down nothing is marked notified; once it is back the email goes out exactly once', async ({
    assert,
    cleanup,
  }) => {
    const smtp = await smtpWithRecipients(cleanup)
    await smtp.stop()
    const { slot } = await createMachine({ quantity: 5 })
    await setStock(slot.id, 1)

    const down = await check()
    await check()

    assert.equal(down.opened, 1)
    assert.equal(down.notified, 0)
    const [episode] = await episodes()
    assert.isNull(episode.notifiedAt)
    assert.lengthOf(await episodes(), 1)

    await smtp.start()
    const back = await check()
    await check()

    assert.equal(back.notified, 1)
    assert.lengthOf(smtp.messages, 1)
    assert.isNotNull((await episodes())[0].notifiedAt)
  })

  test('without ALERT_EMAILS nothing is sent; the episode still shows in the panel', async ({
    assert,
    cleanup,
  }) => {
    const smtp = await smtpWithRecipients(cleanup, [])
    const { slot } = await createMachine({ quantity: 5 })
    await setStock(slot.id, 1)

    await check()

    assert.lengthOf(smtp.messages, 0)
    const [episode] = await episodes()
    assert.equal(episode.kind, 'low_stock')
    assert.isNull(episode.notifiedAt)
  })

  test('the sweeper runs the check at most every ALERT_CHECK_INTERVAL_MS', async ({
    assert,
    cleanup,
  }) => {
    const smtp = await smtpWithRecipients(cleanup)
    const { slot } = await createMachine({ quantity: 5 })
    await setStock(slot.id, 1)
    const checker = await app.container.make(CheckAlerts)
    const start = DateTime.now()
    // The process's one schedule, as the server starts it: a check just ran.
    const schedule = await app.container.make(AlertSchedule)
    schedule.reset(start)
    cleanup(async () => schedule.reset())

    assert.equal(await checker.handle(start), 0, 'not due right after start')
    assert.lengthOf(smtp.messages, 0)

    const due = start.plus({ milliseconds: alertsConfig.checkIntervalMs + 1 })
    assert.isAbove(await checker.handle(due), 0)
    assert.equal(await checker.handle(due.plus({ seconds: 1 })), 0, 'not due again yet')
    assert.lengthOf(smtp.messages, 1)
    assert.isTrue(
      schedule.lastCheckAt.equals(due),
      'the check that ran is the schedule of every CheckAlerts'
    )
    assert.equal(
      await (await app.container.make(CheckAlerts)).handle(due.plus({ seconds: 2 })),
      0,
      'another instance shares it'
    )
  })

  test('two checks running at once mail an episode once', async ({ assert, cleanup }) => {
    const smtp = await smtpWithRecipients(cleanup)
    const { slot } = await createMachine({ quantity: 5 })
    await setStock(slot.id, 1)

    await Promise.all([check(), check(), check()])

    assert.lengthOf(smtp.messages, 1)
    assert.lengthOf(await episodes(), 1)
  })
})

async function slotQuantity(slotId: number) {
  const row = await db.from('slots').where('id', slotId).select('quantity').firstOrFail()
  return Number(row.quantity)
}

test.group('Email alerts: repeated jams', (group) => {
  group.each.setup(truncateAll)

  test('ALERT_JAMS_PER_SLOT jams of one slot within the window send one email; fewer send none', async ({
    client,
    assert,
    cleanup,
  }) => {
    const smtp = await smtpWithRecipients(cleanup)
    const opened = closeAfter(cleanup)
    const { machine, slot, product, key } = await createMachine({ quantity: 10 })
    const device = opened(await connectDevice(machine.code, key))
    await waitUntilOnline(machine.id)
    const { token } = await createShopper({ balancePaise: 100_000 })
    // Real buys from slot 1 whose device reports `jam`.
    const jam = async () => {
      await buyThroughApi(client, token, product, machine)
      await device.report((await device.nextVend()).command_id, VendResult.Jam)
    }

    for (let i = 1; i < alertsConfig.jamsPerSlot; i++) await jam()
    await check()
    assert.lengthOf(await episodes(), 0)

    await jam()
    for (let i = 0; i < 3; i++) await check()
    const [episode] = await episodes()
    assert.equal(episode.kind, 'slot_jams')
    assert.equal(episode.subjectId, slot.id)
    assert.lengthOf(smtp.messages, 1)
    assert.include(
      smtp.messages[0].subject,
      `Repeated jams: ${machine.code} slot 1 (${product.name}), ${alertsConfig.jamsPerSlot} in 24 hours`
    )
    assert.include(
      smtp.messages[0].text,
      `https://vendora.example.com/admin/machines/${machine.id}/slots/1`
    )

    // Once the jams age out of the window the episode is over.
    await check(DateTime.now().plus({ milliseconds: alertsConfig.jamWindowMs + 60_000 }))
    assert.isNotNull((await AlertEpisode.findOrFail(episode.id)).closedAt)
  })
})
