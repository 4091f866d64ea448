import { test } from '@japa/runner'
import vine from '@vinejs/vine'
import MachineOfflineException from '#exceptions/machine_offline_exception'
import VendingException from '#exceptions/vending_exception'
import { failureAck, toSocketError } from '#sockets/errors'

test.group('Socket error mapping', () => {
  test('answers a business refusal with the code the JSON API uses', ({ assert }) => {
    const error = new MachineOfflineException()
    assert.deepEqual(toSocketError(error), { code: 'machine_offline', message: error.message })
    assert.deepEqual(failureAck(error), { ok: false, error: 'machine_offline' })
    assert.equal(
      toSocketError(new VendingException('refused', { code: 'out_of_stock' })).code,
      'out_of_stock'
    )
  })

  test('answers a refused payload with invalid_payload', async ({ assert }) => {
    const validator = vine.compile(vine.object({ command_id: vine.string().uuid() }))
    const error = await validator
      .validate({ command_id: 'nope' })
      .catch((thrown: unknown) => thrown)
    assert.deepEqual(toSocketError(error), { code: 'invalid_payload' })
  })

  test('answers anything else with server_error and no internals', ({ assert }) => {
    assert.deepEqual(toSocketError(new Error('SQLITE_BUSY: database is locked')), {
      code: 'server_error',
    })
    assert.deepEqual(failureAck('a string'), { ok: false, error: 'server_error' })
  })
})
