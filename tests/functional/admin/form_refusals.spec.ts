import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { randomUUID } from 'node:crypto'
import { OrderStatus } from '#enums/order_status'
import AuditLog from '#models/audit_log'
import Order from '#models/order'
import Product from '#models/product'
import { UserFactory } from '#database/factories/user_factory'
import { createMachine } from '#tests/helpers/device'
import { createShopper } from '#tests/helpers/shopper'

/**
 * A business refusal (a `VendingException`) out of a panel form goes
 * through the exception handler, the one error path for forms: a flash
 * with the message and its code, the form's values kept, and a redirect
 * (back to the page, or where the controller says). The same refusal
 * asked for as JSON keeps the API's error body and status.
 */
test.group('Admin forms: refusals through the exception handler', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('a refused test vend flashes its reason and code, keeps the form, and lands on the machine page', async ({
    client,
    assert,
  }) => {
    const admin = await UserFactory.apply('admin').create()
    const { machine } = await createMachine({ quantity: 5 })
    const post = () =>
      client
        .post(`/admin/machines/${machine.id}/test-vend`)
        .withGuard('web')
        .loginAs(admin)
        .form({ slot: '1' })
        .withCsrfToken()
        .redirects(0)

    // From the machine's page, and from a client that sends no Referer.
    for (const response of [
      await post().header('referer', `/admin/machines/${machine.id}`),
      await post(),
    ]) {
      response.assertStatus(302)
      response.assertHeader('location', `/admin/machines/${machine.id}`)
      response.assertFlashMessage(
        'error',
        'The machine’s device is not connected, so it cannot dispense now.'
      )
      response.assertFlashMessage('errorCode', 'test_vend_refused')
      response.assertFlashMessage('slot', '1')
    }
    assert.lengthOf(await Order.all(), 0)
    assert.lengthOf(await AuditLog.all(), 0)
  })

  test('a refusal from a confirmation page lands where the controller says, not back on the confirmation', async ({
    client,
    assert,
  }) => {
    const admin = await UserFactory.apply('admin').create()
    const { machine, product, slot } = await createMachine()
    const { user } = await createShopper()
    const order = await Order.create({
      userId: user.id,
      machineId: machine.id,
      slotId: slot.id,
      slotNumber: slot.number,
      productId: product.id,
      pricePaise: product.pricePaise,
      status: OrderStatus.Refunded,
      commandId: randomUUID(),
    })

    const refund = await client
      .post(`/admin/orders/${order.id}/refund`)
      .withGuard('web')
      .loginAs(admin)
      .withCsrfToken()
      .header('referer', `/admin/orders/${order.id}/refund`)
      .redirects(0)
    refund.assertStatus(302)
    refund.assertHeader('location', `/admin/orders/${order.id}`)
    refund.assertFlashMessage('error', 'This order was already refunded.')
    refund.assertFlashMessage('errorCode', 'already_refunded')

    const destroy = await client
      .post(`/admin/products/${product.id}/delete`)
      .withGuard('web')
      .loginAs(admin)
      .withCsrfToken()
      .header('referer', `/admin/products/${product.id}/delete`)
      .redirects(0)
    destroy.assertStatus(302)
    destroy.assertHeader('location', '/admin/products')
    destroy.assertFlashMessage('errorCode', 'product_in_use')
    assert.isNotNull(await Product.find(product.id))
    assert.lengthOf(await AuditLog.all(), 0)
  })

  test('the same refusal asked for as JSON keeps the API error body and status', async ({
    client,
    assert,
  }) => {
    const admin = await UserFactory.apply('admin').create()
    const { machine } = await createMachine({ quantity: 5 })
    const response = await client
      .post(`/admin/machines/${machine.id}/test-vend`)
      .withGuard('web')
      .loginAs(admin)
      .header('accept', 'application/json')
      .form({ slot: '1' })
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(409)
    response.assertBody({
      errors: [
        {
          code: 'test_vend_refused',
          message: 'The machine’s device is not connected, so it cannot dispense now.',
        },
      ],
    })
    assert.lengthOf(await Order.all(), 0)
  })
})
