import { test } from '@japa/runner'
import {
  AWAITING_RESULT,
  ORDER_TRANSITIONS,
  OrderStatus,
  SETTLED,
  canTransition,
} from '#enums/order_status'

test.group('Order status transitions', () => {
  test('allow exactly the documented life of an order', ({ assert }) => {
    const allowed = Object.values(OrderStatus).flatMap((from) =>
      Object.values(OrderStatus)
        .filter((to) => canTransition(from, to))
        .map((to) => `${from}→${to}`)
    )
    assert.sameMembers(allowed, [
      'pending→dispensing',
      'pending→completed',
      'pending→failed',
      'dispensing→completed',
      'dispensing→failed',
      'completed→refunded',
      'failed→refunded',
    ])
  })

  test('make refunded final', ({ assert }) => {
    assert.deepEqual(ORDER_TRANSITIONS[OrderStatus.Refunded], [])
  })

  test('never lead back to pending or dispensing', ({ assert }) => {
    for (const from of Object.values(OrderStatus)) {
      assert.isFalse(canTransition(from, OrderStatus.Pending))
      if (from !== OrderStatus.Pending) assert.isFalse(canTransition(from, OrderStatus.Dispensing))
    }
  })

  test('settle every order that awaits no result, and a settled one stays settled', ({
    assert,
  }) => {
    assert.sameMembers(
      [...SETTLED],
      Object.values(OrderStatus).filter((status) => !AWAITING_RESULT.includes(status))
    )
    for (const from of SETTLED) {
      for (const to of ORDER_TRANSITIONS[from]) assert.include(SETTLED, to)
    }
  })
})
