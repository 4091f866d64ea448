import { test } from '@japa/runner'
import type { ApiResponse } from '@japa/api-client'
import OrderFeedback from '#models/order_feedback'
import { createShopper } from '#tests/helpers/shopper'
import { assertApiError } from '#tests/helpers/api'
import { truncateAll } from '#tests/helpers/database'
import { feedbackRows, machineWithProduct, orderOf } from '#tests/helpers/feedback'

/*
 * POST /api/v1/orders/:id/feedback through the real server. Truncated
 * between tests: the concurrent submits need connections of their own.
 */
test.group('API: feedback on an order', (group) => {
  group.each.setup(truncateAll)

  test('rates a completed order once: 201 with the rating, the comment trimmed', async ({
    client,
    assert,
  }) => {
    const at = await machineWithProduct()
    const { user, token } = await createShopper()
    const order = await orderOf(user, at, 'completed')

    const response = await client
      .post(`/api/v1/orders/${order.id}/feedback`)
      .bearerToken(token)
      .json({ rating: 4, comment: '  Cold and quick.  ' })

    response.assertStatus(201)
    const { feedback } = response.body()
    assert.deepEqual(Object.keys(response.body()), ['feedback'])
    assert.isNumber(feedback.id)
    assert.deepInclude(feedback, {
      order_id: order.id,
      machine_id: at.machine.id,
      product_id: at.product.id,
      rating: 4,
      comment: 'Cold and quick.',
      vend_failed: false,
    })
    assert.match(feedback.created_at, /^\d{4}-\d{2}-\d{2}T.*Z$/)
    assert.deepEqual(await feedbackRows(), [
      {
        orderId: order.id,
        userId: user.id,
        machineId: at.machine.id,
        productId: at.product.id,
        rating: 4,
        comment: 'Cold and quick.',
        vendFailed: false,
      },
    ])
  })

  test('a failed vend, refunded since, is rated as a failed vend; no comment is null', async ({
    client,
    assert,
  }) => {
    const at = await machineWithProduct()
    const { user, token } = await createShopper()
    const failed = await orderOf(user, at, 'failed_refunded')
    const refundedByShopper = await orderOf(user, at, 'refunded')

    const first = await client
      .post(`/api/v1/orders/${failed.id}/feedback`)
      .bearerToken(token)
      .json({ rating: 1 })
    const second = await client
      .post(`/api/v1/orders/${refundedByShopper.id}/feedback`)
      .bearerToken(token)
      .json({ rating: 5, comment: '' })

    first.assertStatus(201)
    second.assertStatus(201)
    assert.include(first.body().feedback, { rating: 1, comment: null, vend_failed: true })
    assert.include(second.body().feedback, { rating: 5, comment: null, vend_failed: false })
    assert.deepEqual(
      (await feedbackRows()).map((row) => [row.orderId, row.vendFailed, row.comment]),
      [
        [failed.id, true, null],
        [refundedByShopper.id, false, null],
      ]
    )
  })

  test('a second rating of the same order is 409 feedback_exists and changes nothing', async ({
    client,
    assert,
  }) => {
    const at = await machineWithProduct()
    const { user, token } = await createShopper()
    const order = await orderOf(user, at, 'completed')
    const url = `/api/v1/orders/${order.id}/feedback`
    ;(await client.post(url).bearerToken(token).json({ rating: 2 })).assertStatus(201)

    const again = await client.post(url).bearerToken(token).json({ rating: 5, comment: 'Changed' })

    assertApiError(again, 409, 'feedback_exists')
    assert.deepEqual(
      (await feedbackRows()).map((row) => [row.rating, row.comment]),
      [[2, null]]
    )
  })

  test("someone else's order and a missing one are both 404 not_found, an admin's token too", async ({
    client,
    assert,
  }) => {
    const at = await machineWithProduct()
    const owner = await createShopper()
    const stranger = await createShopper()
    const admin = await createShopper({ admin: true })
    const order = await orderOf(owner.user, at, 'completed')

    const foreign = await client
      .post(`/api/v1/orders/${order.id}/feedback`)
      .bearerToken(stranger.token)
      .json({ rating: 1 })
    const byAdmin = await client
      .post(`/api/v1/orders/${order.id}/feedback`)
      .bearerToken(admin.token)
      .json({ rating: 1 })
    const missing = await client
      .post(`/api/v1/orders/${order.id + 1000}/feedback`)
      .bearerToken(stranger.token)
      .json({ rating: 1 })

    const foreignError = assertApiError(foreign, 404, 'not_found')
    assertApiError(byAdmin, 404, 'not_found')
    const missingError = assertApiError(missing, 404, 'not_found')
    assert.equal(foreignError.message, missingError.message, 'the two look the same')
    assert.deepEqual(await feedbackRows(), [])
  })

  test('an order whose vend is still running is 409 order_not_settled', async ({
    client,
    assert,
  }) => {
    const at = await machineWithProduct()
    const { user, token } = await createShopper()
    for (const outcome of ['pending', 'dispensing'] as const) {
      const order = await orderOf(user, at, outcome)
      const response = await client
        .post(`/api/v1/orders/${order.id}/feedback`)
        .bearerToken(token)
        .json({ rating: 3 })
      assertApiError(response, 409, 'order_not_settled')
    }
    assert.deepEqual(await feedbackRows(), [])
  })

  test("an operator's test vend is 409 test_vend, even for the operator", async ({
    client,
    assert,
  }) => {
    const at = await machineWithProduct()
    const operator = await createShopper({ admin: true })
    const order = await orderOf(operator.user, at, 'completed', { isTest: true })

    const response = await client
      .post(`/api/v1/orders/${order.id}/feedback`)
      .bearerToken(operator.token)
      .json({ rating: 5 })

    assertApiError(response, 409, 'test_vend')
    assert.deepEqual(await feedbackRows(), [])
  })

  test('bad input is 422 validation_failed naming the field, and writes nothing', async ({
    client,
    assert,
  }) => {
    const at = await machineWithProduct()
    const { user, token } = await createShopper()
    const order = await orderOf(user, at, 'completed')
    const url = `/api/v1/orders/${order.id}/feedback`

    for (const [body, field] of [
      [{ rating: 0 }, 'rating'],
      [{ rating: 6 }, 'rating'],
      [{ rating: 'x' }, 'rating'],
      [{ rating: 4.5 }, 'rating'],
      [{ rating: -1 }, 'rating'],
      [{}, 'rating'],
      [{ comment: 'Nice' }, 'rating'],
      [{ rating: 4, comment: 'x'.repeat(501) }, 'comment'],
      [{ rating: 4, comment: 42 }, 'comment'],
    ] as const) {
      const response = await client.post(url).bearerToken(token).json(body)
      assertApiError(response, 422, 'validation_failed', field)
    }
    assert.deepEqual(await feedbackRows(), [])

    // The limit is on the comment as kept: 500 characters after trimming.
    const longest = await client
      .post(url)
      .bearerToken(token)
      .json({ rating: 4, comment: ` ${'y'.repeat(500)} ` })
    longest.assertStatus(201)
    assert.lengthOf(longest.body().feedback.comment, 500)
  })

  test('needs a bearer token', async ({ client, assert }) => {
    const at = await machineWithProduct()
    const { user } = await createShopper()
    const order = await orderOf(user, at, 'completed')

    const response = await client.post(`/api/v1/orders/${order.id}/feedback`).json({ rating: 5 })

    assertApiError(response, 401, 'unauthorized')
    assert.deepEqual(await feedbackRows(), [])
  })

  test('simultaneous ratings of one order: exactly one 201, the others feedback_exists', async ({
    client,
    assert,
  }) => {
    const at = await machineWithProduct()
    const { user, token } = await createShopper()
    const order = await orderOf(user, at, 'completed')

    const responses: ApiResponse[] = await Promise.all(
      [1, 2, 3, 4, 5, 1, 2, 3].map((rating) =>
        client.post(`/api/v1/orders/${order.id}/feedback`).bearerToken(token).json({ rating })
      )
    )

    const created = responses.filter((response) => response.status() === 201)
    assert.lengthOf(created, 1)
    for (const response of responses.filter((r) => r.status() !== 201))
      assertApiError(response, 409, 'feedback_exists')
    const rows = await feedbackRows()
    assert.lengthOf(rows, 1)
    assert.equal(rows[0].rating, created[0].body().feedback.rating)
  })

  test('the database itself refuses a rating outside 1 to 5 and a second row for an order', async ({
    assert,
  }) => {
    const at = await machineWithProduct()
    const { user } = await createShopper()
    const order = await orderOf(user, at, 'completed')
    const row = (rating: number) =>
      OrderFeedback.create({
        orderId: order.id,
        userId: user.id,
        machineId: at.machine.id,
        productId: at.product.id,
        rating,
        vendFailed: false,
      })

    for (const rating of [0, 6]) {
      await assert.rejects(() => row(rating), /order_feedback_rating_range|CHECK constraint/i)
    }
    await row(3)
    await assert.rejects(() => row(4), /unique|duplicate/i)
    assert.lengthOf(await feedbackRows(), 1)
  })
})
