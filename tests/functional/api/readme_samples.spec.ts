import { readFile } from 'node:fs/promises'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { VendResult } from '#enums/vend_result'
import { truncateAll } from '#tests/helpers/database'
import { createShopper } from '#tests/helpers/shopper'
import { createOnlineMachine, disconnectDevice } from '#tests/helpers/device'
import {
  fakeRazorpaySettings,
  useFakeRazorpay,
  useGatewayForTest,
  verify,
} from '#tests/helpers/payments'

/**
 * The README sections whose JSON samples are API answers.
 */
const SAMPLE_SECTIONS = ['## The demo', '## API reference']

/**
 * A JSON sample from the README: a ```json block's value, or an answer
 * quoted in a shell block's comment (`# 201 {...}`, continued on
 * `#      ...` lines), with its line number.
 */
interface Sample {
  line: number
  text: string
}

/**
 * Makes a README sample parseable: a bare `...` in an object (keys left
 * out) becomes the key `"..."`. Ellipses inside strings ("order_Nf3n...")
 * are left alone, as are `"..."` items of an array (more of the same).
 */
function normalise(text: string): string {
  return text.replace(/([{,]\s*)\.\.\.(?=\s*[,}])/g, '$1"...":"..."')
}

function parses(text: string): boolean {
  try {
    JSON.parse(normalise(text))
    return true
  } catch {
    return false
  }
}

/**
 * Every API answer sampled in the README's demo walk-through and API
 * reference.
 */
function readmeSamples(markdown: string): { samples: Sample[]; unparsed: Sample[] } {
  const samples: Sample[] = []
  const unparsed: Sample[] = []
  const lines = markdown.split('\n')
  let inSection = false
  let fence: string | null = null
  let pending: Sample | null = null
  const flush = () => {
    if (pending && pending.text.trim() !== '')
      (parses(pending.text) ? samples : unparsed).push(pending)
    pending = null
  }

  lines.forEach((line, index) => {
    if (fence === null && line.startsWith('## '))
      inSection = SAMPLE_SECTIONS.some((section) => line.startsWith(section))
    if (line.startsWith('```')) {
      flush()
      fence = fence === null ? line.slice(3).trim() : null
      return
    }
    if (!inSection || fence === null) return

    if (fence === 'json') {
      // One value per line or spread over several: add lines until it parses.
      pending = pending
        ? { line: pending.line, text: `${pending.text}\n${line}` }
        : { line: index + 1, text: line }
      if (parses(pending.text)) flush()
    } else if (fence === 'sh') {
      const answer = /^# \d{3} (\{.*)$/.exec(line)
      const continued = /^#\s{2,}(\S.*)$/.exec(line)
      if (answer) {
        flush()
        pending = { line: index + 1, text: answer[1] }
      } else if (pending && continued && !parses(pending.text)) {
        pending = { line: pending.line, text: `${pending.text}${continued[1]}` }
      } else {
        flush()
      }
    }
  })
  flush()
  return { samples, unparsed }
}

/**
 * Calls `visit` for every object in `value`, with whether keys were left
 * out of it (a `"..."` key).
 */
function eachObject(value: unknown, visit: (keys: string[], elided: boolean) => void) {
  if (Array.isArray(value)) {
    for (const item of value) if (item !== '...') eachObject(item, visit)
  } else if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value)
    visit(
      keys.filter((key) => key !== '...'),
      keys.includes('...')
    )
    for (const [key, child] of Object.entries(value)) if (key !== '...') eachObject(child, visit)
  }
}

test.group('README: the API samples', (group) => {
  group.each.setup(truncateAll)
  const fake = useFakeRazorpay(group)

  test('every JSON object in the walk-through and the API reference has the keys the API answers with', async ({
    client,
    assert,
    cleanup,
  }) => {
    const answers: unknown[] = []
    const answer = async (
      request: PromiseLike<{ status(): number; body(): unknown }>,
      status: number
    ) => {
      const response = await request
      assert.equal(response.status(), status, JSON.stringify(response.body()))
      answers.push(response.body())
      return response.body() as any
    }

    // The demo driver: a shopper, a top-up, the catalogue, a buy, its
    // completion and refund, a card payment paid at once, and refusals.
    useGatewayForTest({ ...fakeRazorpaySettings(fake), driver: 'demo' }, fake, cleanup)
    const { machine, product, device } = await createOnlineMachine({
      quantity: 5,
      isRefundable: true,
    })
    cleanup(() => disconnectDevice(device, machine.id))
    const created = await answer(client.post('/api/v1/users'), 201)
    const token = created.token as string
    await answer(client.get('/api/v1/users/me').bearerToken(token), 200)
    await answer(client.get(`/api/v1/users/${created.id}/balance`).bearerToken(token), 200)
    await answer(
      client
        .post(`/api/v1/users/${created.id}/add_balance`)
        .bearerToken(token)
        .json({ amount_paise: 10_000 }),
      201
    )
    await answer(client.get('/api/v1/machines').bearerToken(token), 200)
    await answer(client.get(`/api/v1/machines/${machine.code}/products`).bearerToken(token), 200)
    await answer(client.get('/api/v1/products').bearerToken(token), 200)
    const bought = await answer(
      client
        .post(`/api/v1/products/${product.id}/buy`)
        .bearerToken(token)
        .header('Idempotency-Key', 'readme-1')
        .json({ machine: machine.code }),
      201
    )
    await device.report((await device.nextVend()).command_id, VendResult.Dropped)
    await answer(client.get('/api/v1/orders').bearerToken(token), 200)
    await answer(client.get(`/api/v1/orders/${bought.order.id}`).bearerToken(token), 200)
    await answer(
      client
        .post(`/api/v1/orders/${bought.order.id}/feedback`)
        .bearerToken(token)
        .json({ rating: 4, comment: 'Cold and quick.' }),
      201
    )
    await answer(
      client
        .post(`/api/v1/products/${product.id}/refund`)
        .bearerToken(token)
        .json({ order_id: bought.order.id }),
      200
    )
    await answer(
      client
        .post(`/api/v1/products/${product.id}/pay`)
        .bearerToken(token)
        .json({ machine: machine.code }),
      201
    )
    await answer(
      client.post(`/api/v1/products/${product.id}/buy`).bearerToken(token).json({ slot: 'one' }),
      422
    )
    const { token: poor } = await createShopper({ balancePaise: 0 })
    await answer(
      client
        .post(`/api/v1/products/${product.id}/buy`)
        .bearerToken(poor)
        .json({ machine: machine.code }),
      402
    )

    // Razorpay (the fake): a top-up opened for Checkout, then verified.
    useGatewayForTest(fakeRazorpaySettings(fake), fake, cleanup)
    const opened = await answer(
      client
        .post(`/api/v1/users/${created.id}/add_balance`)
        .bearerToken(token)
        .json({ amount_paise: 5_000 }),
      201
    )
    const paid = await verify(client, token, fake.simulateCheckout(opened.checkout.order_id))
    assert.equal(paid.status(), 200)
    answers.push(paid.body())
    await answer(client.get(`/api/v1/payments/${opened.payment.id}`).bearerToken(token), 200)

    const shapes = new Map<string, string[]>()
    for (const body of answers)
      eachObject(body, (keys) => shapes.set([...keys].sort().join(','), keys))
    const known = [...shapes.values()]

    const readme = await readFile(app.makePath('README.md'), 'utf8')
    const { samples, unparsed } = readmeSamples(readme)
    assert.deepEqual(
      unparsed.map((sample) => `README.md:${sample.line}`),
      [],
      'samples that are not JSON (a bare ... stands only for left-out keys or items)'
    )

    const mismatches: string[] = []
    let objects = 0
    for (const sample of samples) {
      eachObject(JSON.parse(normalise(sample.text)), (keys, elided) => {
        objects++
        const fits = (real: string[]) =>
          keys.every((key) => real.includes(key)) && (elided || real.length === keys.length)
        if (known.some(fits)) return
        const nearest = [...known].sort(
          (a, b) =>
            b.filter((key) => keys.includes(key)).length -
            a.filter((key) => keys.includes(key)).length
        )[0]
        const missing = nearest.filter((key) => !keys.includes(key))
        const extra = keys.filter((key) => !nearest.includes(key))
        mismatches.push(
          `README.md:${sample.line} {${keys.join(',')}}: ${elided ? '' : `missing ${JSON.stringify(missing)}, `}not in the API ${JSON.stringify(extra)}`
        )
      })
    }
    assert.deepEqual(mismatches, [])
    // The samples were found: the walk-through and the reference quote dozens of objects.
    assert.isAtLeast(samples.length, 15)
    assert.isAtLeast(objects, 30)
  }).timeout(30_000)
})
