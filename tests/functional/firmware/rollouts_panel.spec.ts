import { test } from '@japa/runner'
import AuditLog from '#models/audit_log'
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

/**
 * The rollout form's fields as a browser posts them: a list as repeated
 * `name[]` (the request's form encoding repeats a plain `name`, which the
 * body parser reads as a string when it occurs once).
 */
function browserForm(fields: Record<string, string | number | string[]>) {
  return Object.fromEntries(
    Object.entries(fields).map(([name, value]) =>
      Array.isArray(value) ? [`${name}[]`, value] : [name, value]
    )
  )
}

async function targetsOf(rollout: FirmwareRollout) {
  const targets = await FirmwareRolloutTarget.query()
    .where('rollout_id', rollout.id)
    .preload('machine')
  return targets
    .map((target) => ({ code: target.machine.code, stage: target.stage, state: target.state }))
    .sort((a, b) => a.code.localeCompare(b.code))
}

test.group('Admin firmware rollouts: the form', (group) => {
  group.each.setup(truncateAll)

  test('starts a rollout of the chosen machines, one canary first, the rest after', async ({
    client,
    assert,
  }) => {
    const admin = await createAdmin()
    await createRelease('1.2.0')
    for (const code of ['bay-01', 'bay-02', 'bay-03'])
      await MachineFactory.merge({ code, firmwareVersion: 'vendora-esp32-1.1.0' }).create()
    await MachineFactory.merge({ code: 'bay-04' }).create()

    const response = await client
      .post('/admin/firmware/rollouts')
      .withGuard('web')
      .loginAs(admin)
      .withCsrfToken()
      .header('referer', '/admin/firmware/rollouts/new')
      .form(browserForm({
          version: '1.2.0',
          target: 'machines',
          machines: ['bay-01', 'bay-02', 'bay-03'],
          // The inputs of the other ways are sent too, and ignored.
          tag: '',
          percent: '',
          canary_count: 1,
          failure_threshold: 2,
        })
      )
      .redirects(0)
    response.assertStatus(302)
    const rollout = await FirmwareRollout.firstOrFail()
    response.assertHeader('location', `/admin/firmware/rollouts/${rollout.id}`)
    response.assertFlashMessage('notice', `Rollout #${rollout.id} of 1.2.0 started.`)
    assert.equal(rollout.status, RolloutStatus.Running)
    assert.equal(rollout.failureThreshold, 2)
    assert.equal(rollout.createdBy, admin.id)
    const targets = await targetsOf(rollout)
    assert.deepEqual(
      targets.map((target) => target.code),
      ['bay-01', 'bay-02', 'bay-03']
    )
    assert.equal(targets.filter((target) => target.stage === 0).length, 1)
    assert.equal(targets.filter((target) => target.stage === 1).length, 2)
    // Offline machines wait for their offer.
    assert.isTrue(targets.every((target) => target.state === RolloutTargetState.Pending))
    assert.isNotNull(await AuditLog.findBy('action', 'firmware.rollout.start'))

    const page = await client
      .get(`/admin/firmware/rollouts/${rollout.id}`)
      .withGuard('web')
      .loginAs(admin)
    page.assertTextIncludes('data-target-machine="bay-02"')
    page.assertTextIncludes(`action="/admin/firmware/rollouts/${rollout.id}/pause"`)
  })

  test('picks machines by tag or by a share of the fleet', async ({ client, assert }) => {
    const admin = await createAdmin()
    await createRelease('1.2.0')
    await MachineFactory.merge({ code: 'air-01', tags: ['airport'] }).create()
    await MachineFactory.merge({ code: 'air-02', tags: ['airport', 'gate-4'] }).create()
    await MachineFactory.merge({ code: 'gym-01', tags: ['gym'] }).create()
    await MachineFactory.merge({ code: 'lab-01' }).create()
    const start = (fields: Record<string, string | number>) =>
      client
        .post('/admin/firmware/rollouts')
        .withGuard('web')
        .loginAs(admin)
        .withCsrfToken()
        .form({ version: '1.2.0', ...fields })
        .redirects(0)

    ;(await start({ target: 'tag', tag: 'Airport' })).assertStatus(302)
    const byTag = await FirmwareRollout.query().orderBy('id', 'desc').firstOrFail()
    assert.equal(byTag.selector, 'tag airport')
    assert.deepEqual(
      (await targetsOf(byTag)).map((target) => target.code),
      ['air-01', 'air-02']
    )
    await FirmwareRollout.query().where('id', byTag.id).update({ status: 'cancelled' })

    ;(await start({ target: 'percent', percent: 50, canary_count: 2 })).assertStatus(302)
    const byShare = await FirmwareRollout.query().orderBy('id', 'desc').firstOrFail()
    assert.notEqual(byShare.id, byTag.id)
    assert.equal(byShare.selector, '50% of the fleet')
    const shared = await targetsOf(byShare)
    assert.lengthOf(shared, 2)
    assert.isTrue(shared.every((target) => target.stage === 0))
  })

  test('sends bad input back to the form with the field’s message, starting nothing', async ({
    client,
    assert,
  }) => {
    const admin = await createAdmin()
    await createRelease('1.2.0')
    await MachineFactory.merge({ code: 'bay-01' }).create()
    const cases: { fields: Record<string, string | number | string[]>; field: string; message: string }[] = [
      {
        fields: { target: 'machines', machines: ['bay-01'] },
        field: 'version',
        message: 'Choose the release to roll out.',
      },
      {
        fields: { version: '1.2.0', machines: ['bay-01'] },
        field: 'target',
        message: 'Choose how to pick the machines.',
      },
      {
        fields: { version: '1.2.0', target: 'everything' },
        field: 'target',
        message: 'Choose how to pick the machines.',
      },
      {
        fields: { version: '1.2.0', target: 'machines' },
        field: 'machines',
        message: 'Choose at least one machine.',
      },
      {
        fields: { version: '1.2.0', target: 'tag', tag: '' },
        field: 'tag',
        message: 'Enter the tag of the machines to update.',
      },
      {
        fields: { version: '1.2.0', target: 'tag', tag: 'north wing' },
        field: 'tag',
        message: 'A tag is 1–32 letters, digits or dashes.',
      },
      {
        fields: { version: '1.2.0', target: 'percent', percent: 0 },
        field: 'percent',
        message: 'Enter the share of the fleet, 1–100.',
      },
      {
        fields: { version: '1.2.0', target: 'percent', percent: 101 },
        field: 'percent',
        message: 'Enter the share of the fleet, 1–100.',
      },
      {
        fields: { version: '1.2.0', target: 'percent', percent: 'half' },
        field: 'percent',
        message: 'Enter the share of the fleet as a whole number, 1–100.',
      },
      {
        fields: { version: '1.2.0', target: 'machines', machines: ['bay-01'], canary_count: 0 },
        field: 'canary_count',
        message: 'Enter how many machines go first, 1–1000.',
      },
      {
        fields: {
          version: '1.2.0',
          target: 'machines',
          machines: ['bay-01'],
          failure_threshold: 1.5,
        },
        field: 'failure_threshold',
        message: 'Enter how many failures halt the rollout, 1–1000.',
      },
    ]
    for (const form of cases) {
      const response = await client
        .post('/admin/firmware/rollouts')
        .withGuard('web')
        .loginAs(admin)
        .withCsrfToken()
          .header('referer', '/admin/firmware/rollouts/new')
        .form(browserForm(form.fields))
        .redirects(0)
      response.assertStatus(302)
      response.assertHeader('location', '/admin/firmware/rollouts/new')
      assert.deepEqual(
        response.flashMessage(`inputErrorsBag.${form.field}`),
        [form.message],
        JSON.stringify(form.fields)
      )
    }
    assert.lengthOf(await FirmwareRollout.all(), 0)
    assert.lengthOf(await FirmwareRolloutTarget.all(), 0)
    assert.lengthOf(await AuditLog.all(), 0)
  })

  test('shows the refusals of StartRollout next to the input they are about', async ({
    client,
    assert,
  }) => {
    const admin = await createAdmin()
    const release = await createRelease('1.2.0')
    const held = await MachineFactory.merge({ code: 'bay-01', tags: ['airport'] }).create()
    await MachineFactory.merge({ code: 'bay-02' }).create()
    const earlier = await createRollout(release, [
      { machine: held, stage: 0, state: RolloutTargetState.Pending },
    ])
    const start = (fields: Record<string, string | number | string[]>) =>
      client
        .post('/admin/firmware/rollouts')
        .withGuard('web')
        .loginAs(admin)
        .withCsrfToken()
          .form(browserForm(fields))
        .redirects(0)
    const cases: {
      fields: Record<string, string | number | string[]>
      code: string
      field: string
    }[] = [
      {
        fields: { version: '9.9.9', target: 'machines', machines: ['bay-02'] },
        code: 'unknown_release',
        field: 'version',
      },
      {
        fields: { version: '1.2.0', target: 'machines', machines: ['bay-02', 'nowhere-9'] },
        code: 'unknown_machine',
        field: 'machines',
      },
      {
        fields: { version: '1.2.0', target: 'tag', tag: 'nowhere' },
        code: 'no_machines_selected',
        field: 'tag',
      },
      {
        fields: { version: '1.2.0', target: 'machines', machines: ['bay-01', 'bay-02'] },
        code: 'machine_in_rollout',
        field: 'machines',
      },
      {
        fields: { version: '1.2.0', target: 'tag', tag: 'airport' },
        code: 'machine_in_rollout',
        field: 'tag',
      },
    ]
    for (const form of cases) {
      const response = await start(form.fields)
      response.assertStatus(302)
      response.assertHeader('location', '/admin/firmware/rollouts/new')
      response.assertFlashMessage('errorCode', form.code)
      const message = response.flashMessage('error')
      assert.isString(message, form.code)
      assert.deepEqual(response.flashMessage(`inputErrorsBag.${form.field}`), [message], form.code)
      assert.equal(response.flashMessage('version'), form.fields.version, 'keeps the typed values')
    }
    assert.deepEqual(
      (await FirmwareRollout.all()).map((rollout) => rollout.id),
      [earlier.id]
    )

  })
})

test.group('Admin firmware rollouts: pause, resume, cancel', (group) => {
  group.each.setup(truncateAll)

  test('each button moves the status its label says, and a refused move says why', async ({
    client,
    assert,
  }) => {
    const admin = await createAdmin()
    const release = await createRelease('1.2.0')
    const [a, b] = await MachineFactory.createMany(2)
    const rollout = await createRollout(release, [
      { machine: a, stage: 0, state: RolloutTargetState.Downloading, percent: 20 },
      { machine: b, stage: 1, state: RolloutTargetState.Pending },
    ])
    const press = (button: string) =>
      client
        .post(`/admin/firmware/rollouts/${rollout.id}/${button}`)
        .withGuard('web')
        .loginAs(admin)
        .withCsrfToken()
        .redirects(0)
    const page = `/admin/firmware/rollouts/${rollout.id}`

    const paused = await press('pause')
    paused.assertStatus(302)
    paused.assertHeader('location', page)
    paused.assertFlashMessage('notice', `Rollout #${rollout.id} paused.`)
    await rollout.refresh()
    assert.equal(rollout.status, RolloutStatus.Paused)
    const pausedPage = await client.get(page).withGuard('web').loginAs(admin)
    pausedPage.assertTextIncludes(`action="${page}/resume"`)
    assert.notInclude(pausedPage.text(), `action="${page}/pause"`)

    const again = await press('pause')
    again.assertStatus(302)
    again.assertHeader('location', page)
    again.assertFlashMessage('errorCode', 'invalid_rollout_state')
    assert.match(String(again.flashMessage('error')), /paused rollout cannot be paused/)

    const resumed = await press('resume')
    resumed.assertFlashMessage('notice', `Rollout #${rollout.id} resumed.`)
    await rollout.refresh()
    assert.equal(rollout.status, RolloutStatus.Running)

    const cancelled = await press('cancel')
    cancelled.assertFlashMessage('notice', `Rollout #${rollout.id} cancelled.`)
    await rollout.refresh()
    assert.equal(rollout.status, RolloutStatus.Cancelled)
    // The update on its way finishes; the machine not offered it yet is let go.
    const states = Object.fromEntries(
      (await targetsOf(rollout)).map((target) => [target.code, target.state])
    )
    assert.deepEqual(states, {
      [a.code]: RolloutTargetState.Downloading,
      [b.code]: RolloutTargetState.Cancelled,
    })
    const after = await press('resume')
    after.assertFlashMessage('errorCode', 'invalid_rollout_state')
    await rollout.refresh()
    assert.equal(rollout.status, RolloutStatus.Cancelled)
    assert.deepEqual(
      (await AuditLog.query().orderBy('id')).map((row) => row.action),
      ['firmware.rollout.pause', 'firmware.rollout.resume', 'firmware.rollout.cancel']
    )
  })

  test('needs the CSRF token for every button and the form', async ({ client, assert }) => {
    const admin = await createAdmin()
    const release = await createRelease('1.2.0')
    const machine = await MachineFactory.merge({ code: 'bay-01' }).create()
    const rollout = await createRollout(release, [
      { machine, stage: 0, state: RolloutTargetState.Pending },
    ])
    for (const button of ['pause', 'cancel']) {
      const response = await client
        .post(`/admin/firmware/rollouts/${rollout.id}/${button}`)
        .withGuard('web')
        .loginAs(admin)
        .redirects(0)
      response.assertStatus(302)
      response.assertFlashMessage('errorsBag', {
        E_BAD_CSRF_TOKEN: 'Invalid or expired CSRF token',
      })
    }
    const start = await client
      .post('/admin/firmware/rollouts')
      .withGuard('web')
      .loginAs(admin)
      .form({ version: '1.2.0', target: 'tag', tag: 'x' })
      .redirects(0)
    start.assertFlashMessage('errorsBag', { E_BAD_CSRF_TOKEN: 'Invalid or expired CSRF token' })
    await rollout.refresh()
    assert.equal(rollout.status, RolloutStatus.Running)
    assert.lengthOf(await FirmwareRollout.all(), 1)
    assert.lengthOf(await AuditLog.all(), 0)
  })
})
