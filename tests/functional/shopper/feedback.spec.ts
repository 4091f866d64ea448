import { test } from '@japa/runner'
import { createShopper } from '#tests/helpers/shopper'
import { truncateAll } from '#tests/helpers/database'
import { feedbackRows, machineWithProduct, orderOf } from '#tests/helpers/feedback'
import { getPage, postForm } from '#tests/functional/shopper/page_helpers'

/**
 * The order page's address and its rating form's, for an order at `code`.
 */
function urls(code: string, orderId: number) {
  const page = `/m/${code}/orders/${orderId}`
  return { page, status: `${page}/status`, feedback: `${page}/feedback` }
}

test.group('Shopper page: rating an order', (group) => {
  group.each.setup(truncateAll)

  test('a settled order offers the rating form; an order still vending does not', async ({
    client,
    assert,
  }) => {
    const at = await machineWithProduct()
    const { user } = await createShopper()
    const settled = await orderOf(user, at, 'failed_refunded')
    const running = await orderOf(user, at, 'dispensing')

    const settledPage = await getPage(client, user, urls(at.machine.code, settled.id).page)
    settledPage.assertStatus(200)
    settledPage.assertTextIncludes(`action="/m/${at.machine.code}/orders/${settled.id}/feedback"`)
    settledPage.assertTextIncludes('name="rating" value="5"')
    const form = settledPage.text().split('class="feedback"')[1].split('</form>')[0]
    assert.include(form, "name='_csrf'", 'the form carries its CSRF token')

    const runningPage = await getPage(client, user, urls(at.machine.code, running.id).page)
    runningPage.assertStatus(200)
    assert.notInclude(runningPage.text(), '/feedback"')
    assert.notInclude(runningPage.text(), 'name="rating"')
  })

  test('the live status panel carries the form once the vend settles', async ({
    client,
    assert,
  }) => {
    const at = await machineWithProduct()
    const { user } = await createShopper()
    const order = await orderOf(user, at, 'completed')

    const panel = await getPage(client, user, urls(at.machine.code, order.id).status)

    panel.assertStatus(200)
    assert.match(panel.text().trim(), /^<div class="order-status" data-status="completed"/)
    assert.include(panel.text(), '<form method="POST" action="')
    assert.include(panel.text(), `/orders/${order.id}/feedback" class="feedback"`)
  })

  test('the form rates the order without JavaScript, then the page shows the rating', async ({
    client,
    assert,
  }) => {
    const at = await machineWithProduct()
    const { user } = await createShopper()
    const order = await orderOf(user, at, 'completed')
    const { page, feedback } = urls(at.machine.code, order.id)

    const sent = await postForm(client, user, feedback, { rating: '4', comment: ' Tasty ' })

    sent.assertStatus(302)
    sent.assertHeader('location', page)
    sent.assertFlashMessage('notice', 'Thanks for your feedback!')
    assert.deepEqual(
      (await feedbackRows()).map((row) => [row.orderId, row.rating, row.comment, row.vendFailed]),
      [[order.id, 4, 'Tasty', false]]
    )

    const after = await getPage(client, user, page)
    after.assertTextIncludes('Your rating:')
    after.assertTextIncludes('aria-label="4 out of 5 stars">★★★★☆</span>')
    after.assertTextIncludes('<blockquote>Tasty</blockquote>')
    assert.notInclude(after.text(), 'name="rating"', 'rated: no form any more')
  })

  test('a form without a rating, or with a comment too long, comes back with the error and writes nothing', async ({
    client,
    assert,
  }) => {
    const at = await machineWithProduct()
    const { user } = await createShopper()
    const order = await orderOf(user, at, 'completed')
    const { page, feedback } = urls(at.machine.code, order.id)
    const referer = `http://${process.env.HOST}:${process.env.PORT}${page}`

    const noRating = await postForm(client, user, feedback, { comment: 'Hi' }).header(
      'referer',
      referer
    )
    noRating.assertStatus(302)
    noRating.assertHeader('location', page)
    assert.deepEqual(noRating.flashMessage('inputErrorsBag'), {
      rating: ['Choose a rating from 1 to 5 stars.'],
    })

    const tooLong = await postForm(client, user, feedback, {
      rating: '2',
      comment: 'z'.repeat(501),
    }).header('referer', referer)
    tooLong.assertStatus(302)
    assert.deepEqual(tooLong.flashMessage('inputErrorsBag'), {
      comment: ['The comment can be at most 500 characters.'],
    })

    const outOfRange = await postForm(client, user, feedback, { rating: '9' }).header(
      'referer',
      referer
    )
    assert.property(outOfRange.flashMessage('inputErrorsBag'), 'rating')

    assert.deepEqual(await feedbackRows(), [])
  })

  test('a second rating comes back to the page as a message; the first stays', async ({
    client,
    assert,
  }) => {
    const at = await machineWithProduct()
    const { user } = await createShopper()
    const order = await orderOf(user, at, 'completed')
    const { feedback } = urls(at.machine.code, order.id)
    ;(await postForm(client, user, feedback, { rating: '5' })).assertStatus(302)

    const again = await postForm(client, user, feedback, { rating: '1' })

    again.assertStatus(302)
    again.assertFlashMessage('errorCode', 'feedback_exists')
    again.assertFlashMessage('error', 'You have already rated this order.')
    assert.deepEqual(
      (await feedbackRows()).map((row) => row.rating),
      [5]
    )
  })

  test("someone else's order cannot be rated from the page: 404", async ({ client, assert }) => {
    const at = await machineWithProduct()
    const { user: owner } = await createShopper()
    const { user: stranger } = await createShopper()
    const order = await orderOf(owner, at, 'completed')

    const response = await postForm(client, stranger, urls(at.machine.code, order.id).feedback, {
      rating: '1',
    })

    response.assertStatus(404)
    assert.deepEqual(await feedbackRows(), [])
  })
})
