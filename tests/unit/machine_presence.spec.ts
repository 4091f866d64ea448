import { test } from '@japa/runner'
import {
  PRESENCE_TRANSITIONS,
  presenceAfter,
  presenceGoverns,
  type PresenceChange,
} from '#enums/machine_presence'
import { MachineStatus } from '#enums/machine_status'

const CHANGES = Object.keys(PRESENCE_TRANSITIONS) as PresenceChange[]

test.group('Machine presence transitions', () => {
  test('move exactly the documented statuses', ({ assert }) => {
    const moves = CHANGES.flatMap((change) =>
      Object.values(MachineStatus)
        .filter((from) => presenceAfter(from, change) !== from)
        .map((from) => `${change}: ${from}→${presenceAfter(from, change)}`)
    )
    assert.sameMembers(moves, [
      'connect: offline→online',
      'disconnect: online→offline',
      'release: online→offline',
    ])
  })

  test('never enter or leave maintenance', ({ assert }) => {
    for (const change of CHANGES) {
      assert.equal(presenceAfter(MachineStatus.Maintenance, change), MachineStatus.Maintenance)
      assert.notInclude(presenceGoverns(change), MachineStatus.Maintenance)
      for (const from of Object.values(MachineStatus)) {
        if (from !== MachineStatus.Maintenance)
          assert.notEqual(presenceAfter(from, change), MachineStatus.Maintenance)
      }
    }
  })

  test('leave a released node with nothing online', ({ assert }) => {
    for (const from of Object.values(MachineStatus))
      assert.notEqual(presenceAfter(from, 'release'), MachineStatus.Online)
  })
})
