import { test } from '@japa/runner'
import { RolloutStatus } from '#enums/rollout_status'
import { RolloutTargetState } from '#enums/rollout_target_state'
import FirmwareRelease from '#models/firmware_release'
import FirmwareRollout from '#models/firmware_rollout'
import FirmwareRolloutTarget from '#models/firmware_rollout_target'
import type Machine from '#models/machine'
import type User from '#models/user'
import { UserFactory } from '#database/factories/user_factory'
import { MachineFactory } from '#database/factories/machine_factory'
import { truncateAll } from '#tests/helpers/database'
import { createShopper } from '#tests/helpers/shopper'

function createAdmin() {
  return UserFactory.apply('admin').merge({ email: 'ops@example.com' }).create()
}

/**
 * A published release row; no image file is needed to show it in pages.
 */
function createRelease(version: string, publisher?: User) {
  return FirmwareRelease.create({
    version,
    notes: `Notes of ${version}`,
    sizeBytes: 1024,
    sha256: 'a'.repeat(64),
    signature: 'c2ln',
    fileName: `vendora-${version}.bin`,
    publishedBy: publisher?.id ?? null,
  })
}

/**
 * A rollout written straight to the tables, as the engine leaves it after
 * some progress: `targets` gives each machine's stage, state and fields.
 */
async function createRollout(
  release: FirmwareRelease,
  targets: { machine: Machine; stage: number; state: RolloutTargetState; [key: string]: unknown }[],
  fields: Partial<FirmwareRollout> = {}
) {
  const rollout = await FirmwareRollout.create({
    firmwareReleaseId: release.id,
    status: RolloutStatus.Running,
    selector: 'machines ' + targets.map((target) => target.machine.code).join(', '),
    stage: 0,
    failureThreshold: 1,
    ...fields,
  })
  for (const { machine, ...target } of targets) {
    await FirmwareRolloutTarget.create({
      rolloutId: rollout.id,
      machineId: machine.id,
      attempts: 0,
      versionBefore: machine.firmwareVersion,
      ...target,
    })
  }
  return rollout
}

test.group('Admin firmware rollouts: access', (group) => {
  group.each.setup(truncateAll)

  test('sends an anonymous visitor to the login page, pages and buttons alike', async ({
    client,
    assert,
  }) => {
    const release = await createRelease('1.1.0')
    const machine = await MachineFactory.create()
    const rollout = await createRollout(release, [
      { machine, stage: 0, state: RolloutTargetState.Pending },
    ])
    for (const path of [
      '/admin/firmware/rollouts',
      '/admin/firmware/rollouts/new',
      `/admin/firmware/rollouts/${rollout.id}`,
      `/admin/firmware/rollouts/${rollout.id}/live`,
    ]) {
      const response = await client.get(path).header('accept', 'text/html').redirects(0)
      response.assertStatus(302)
      response.assertHeader('location', '/admin/login')
    }
    for (const path of [
      '/admin/firmware/rollouts',
      `/admin/firmware/rollouts/${rollout.id}/pause`,
      `/admin/firmware/rollouts/${rollout.id}/cancel`,
    ]) {
      const response = await client
        .post(path)
        .header('accept', 'text/html')
        .withCsrfToken()
        .form({ version: '1.1.0', target: 'machines', machines: [machine.code] })
        .redirects(0)
      response.assertStatus(302)
      response.assertHeader('location', '/admin/login')
    }
    await rollout.refresh()
    assert.equal(rollout.status, RolloutStatus.Running)
    assert.lengthOf(await FirmwareRollout.all(), 1)
  })

  test('refuses a shopper, by bearer token or session, with 403', async ({ client, assert }) => {
    const release = await createRelease('1.1.0')
    const machine = await MachineFactory.create()
    const rollout = await createRollout(release, [
      { machine, stage: 0, state: RolloutTargetState.Pending },
    ])
    const { user, token } = await createShopper()
    for (const path of ['/admin/firmware/rollouts', `/admin/firmware/rollouts/${rollout.id}`]) {
      const response = await client.get(path).bearerToken(token).header('accept', 'text/html')
      response.assertStatus(403)
    }
    const pause = await client
      .post(`/admin/firmware/rollouts/${rollout.id}/pause`)
      .withGuard('web')
      .loginAs(user)
      .header('accept', 'text/html')
      .withCsrfToken()
    pause.assertStatus(403)
    const start = await client
      .post('/admin/firmware/rollouts')
      .bearerToken(token)
      .header('accept', 'text/html')
      .withCsrfToken()
      .form({ version: '1.1.0', target: 'machines', machines: [machine.code] })
    start.assertStatus(403)
    await rollout.refresh()
    assert.equal(rollout.status, RolloutStatus.Running)
    assert.lengthOf(await FirmwareRollout.all(), 1)
  })
})

test.group('Admin firmware rollouts: pages', (group) => {
  group.each.setup(truncateAll)

  test('lists rollouts newest first with their release, selector, status and counts', async ({
    client,
    assert,
  }) => {
    const admin = await createAdmin()
    const older = await createRelease('1.0.0')
    const newer = await createRelease('1.1.0')
    const [a, b, c] = await MachineFactory.createMany(3)
    const first = await createRollout(
      older,
      [{ machine: a, stage: 0, state: RolloutTargetState.Confirmed }],
      { status: RolloutStatus.Completed, createdBy: admin.id }
    )
    const second = await createRollout(newer, [
      { machine: a, stage: 0, state: RolloutTargetState.Downloading, percent: 40 },
      { machine: b, stage: 1, state: RolloutTargetState.Pending },
      { machine: c, stage: 1, state: RolloutTargetState.Pending },
    ])

    const response = await client.get('/admin/firmware/rollouts').withGuard('web').loginAs(admin)
    response.assertStatus(200)
    response.assertTextIncludes('href="/admin/firmware" aria-current="page">Firmware</a>')
    const html = response.text()
    assert.isBelow(
      html.indexOf(`data-rollout="${second.id}"`),
      html.indexOf(`data-rollout="${first.id}"`)
    )
    response.assertTextIncludes(`#${second.id} · 1.1.0`)
    response.assertTextIncludes(second.selector)
    response.assertTextIncludes('<span class="badge rollout-completed" data-status>completed</span>')
    response.assertTextIncludes('data-count="pending">2 pending</span>')
    response.assertTextIncludes('data-count="downloading">1 downloading</span>')
    response.assertTextIncludes('data-count="confirmed">1 confirmed</span>')
    response.assertTextIncludes('href="/admin/firmware/rollouts/new"')

    // The live fragment is the same list.
    const live = await client.get('/admin/firmware/rollouts/live').withGuard('web').loginAs(admin)
    live.assertStatus(200)
    live.assertTextIncludes(`data-rollout="${second.id}"`)
  })

  test("shows a rollout's machines with stage, state, versions, progress and reason", async ({
    client,
    assert,
  }) => {
    const admin = await createAdmin()
    const release = await createRelease('2.0.0')
    const canary = await MachineFactory.merge({
      code: 'canary-1',
      firmwareVersion: 'vendora-esp32-1.0.0',
    }).create()
    const rest = await MachineFactory.merge({
      code: 'rest-1',
      firmwareVersion: 'vendora-esp32-1.0.0',
    }).create()
    const failed = await MachineFactory.merge({ code: 'rest-2' }).create()
    const rollout = await createRollout(
      release,
      [
        { machine: canary, stage: 0, state: RolloutTargetState.Downloading, percent: 37 },
        {
          machine: rest,
          stage: 1,
          state: RolloutTargetState.Confirmed,
          versionAfter: 'vendora-esp32-2.0.0',
        },
        { machine: failed, stage: 1, state: RolloutTargetState.Failed, reason: 'bad_signature' },
      ],
      { status: RolloutStatus.Halted, stage: 1, haltReason: '1 failure in stage 1 (rest-2)' }
    )

    const page = await client
      .get(`/admin/firmware/rollouts/${rollout.id}`)
      .withGuard('web')
      .loginAs(admin)
    page.assertStatus(200)
    page.assertTextIncludes(`Rollout #${rollout.id} · 2.0.0`)
    page.assertTextIncludes('id="rollout-status">halted</span>')
    page.assertTextIncludes('1 failure in stage 1 (rest-2)')
    const html = page.text()
    const row = (code: string) => {
      const start = html.indexOf(`data-target-machine="${code}"`)
      assert.isAbove(start, -1, code)
      return html.slice(start, html.indexOf('</tr>', start))
    }
    assert.include(row('canary-1'), 'data-state="downloading"')
    assert.include(row('canary-1'), '<progress value="37" max="100"')
    assert.include(row('canary-1'), 'canary')
    assert.include(row('rest-1'), 'vendora-esp32-1.0.0')
    assert.include(row('rest-1'), '<strong>vendora-esp32-2.0.0</strong>')
    assert.notInclude(row('rest-1'), '<progress')
    assert.include(row('rest-2'), 'bad_signature')
    assert.include(row('rest-2'), 'failed')
    // Halted: resume and cancel, no pause; each a POST form with its CSRF field.
    page.assertTextIncludes(`action="/admin/firmware/rollouts/${rollout.id}/resume"`)
    page.assertTextIncludes(`action="/admin/firmware/rollouts/${rollout.id}/cancel"`)
    assert.notInclude(html, `/admin/firmware/rollouts/${rollout.id}/pause`)
    const summary = html.slice(html.indexOf('id="rollout-summary"'), html.indexOf('id="rollout-targets"'))
    assert.equal(summary.split("name='_csrf'").length - 1, 2)

    // The live fragment carries the parts the page swaps in.
    const live = await client
      .get(`/admin/firmware/rollouts/${rollout.id}/live`)
      .withGuard('web')
      .loginAs(admin)
    live.assertStatus(200)
    live.assertTextIncludes('id="rollout-summary" data-live')
    live.assertTextIncludes('id="rollout-targets" data-live')
    assert.notInclude(live.text(), '<html')

    // Finished rollouts have no buttons.
    await FirmwareRollout.query().where('id', rollout.id).update({ status: 'cancelled' })
    const ended = await client
      .get(`/admin/firmware/rollouts/${rollout.id}`)
      .withGuard('web')
      .loginAs(admin)
    assert.notInclude(ended.text(), `/admin/firmware/rollouts/${rollout.id}/resume`)
    assert.notInclude(ended.text(), `/admin/firmware/rollouts/${rollout.id}/cancel`)

    const missing = await client
      .get(`/admin/firmware/rollouts/${rollout.id + 100}`)
      .withGuard('web')
      .loginAs(admin)
    missing.assertStatus(404)
  })

  test('links each release to a rollout form with it chosen', async ({ client, assert }) => {
    const admin = await createAdmin()
    await createRelease('1.0.0')
    await createRelease('1.1.0')
    await MachineFactory.merge({ code: 'lobby-01', tags: ['airport'] }).create()
    const firmware = await client.get('/admin/firmware').withGuard('web').loginAs(admin)
    firmware.assertTextIncludes('href="/admin/firmware/rollouts/new?release=1.0.0"')
    firmware.assertTextIncludes('href="/admin/firmware/rollouts"')

    const form = await client
      .get('/admin/firmware/rollouts/new')
      .qs({ release: '1.0.0' })
      .withGuard('web')
      .loginAs(admin)
    form.assertStatus(200)
    form.assertTextIncludes('<option value="1.0.0" selected>')
    assert.match(form.text(), /<option value="1\.1\.0"\s*>1\.1\.0 · Notes of 1\.1\.0</)
    assert.match(form.text(), /<option value="lobby-01"\s*>lobby-01 · Test machine</)
    form.assertTextIncludes('In use: airport')
  })
})
