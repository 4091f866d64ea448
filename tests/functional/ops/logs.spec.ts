import { test } from '@japa/runner'
import { io } from 'socket.io-client'
import { UserFactory } from '#database/factories/user_factory'
import { truncateAll } from '#tests/helpers/database'
import { createShopper } from '#tests/helpers/shopper'
import { createMachine } from '#tests/helpers/device'
import { freeTcpPort, SERVER_BOOT_TIMEOUT_MS, startProcess } from '#tests/helpers/processes'

/**
 * The real web server (`bin/server.ts`) in a child process with debug logs
 * (JSON lines on stdout, as in production), on the test database. Every
 * secret a client sends goes through it; none may come out in its output.
 */
test.group('Logs', (group) => {
  group.each.setup(truncateAll)

  test('carry request ids and the machine code, and never a password, token, device key or signature', async ({
    assert,
    cleanup,
  }) => {
    const secrets = {
      password: 'Corr3ct-Horse-Battery-Staple-51',
      deviceKey: 'dk-ops-9f8e7d6c5b4a39281706',
      signature: 'c0ffee5e11e5ca1ab1e0ddba11deadbeef0123456789abcdef0123456789abcd',
    }
    await UserFactory.apply('admin')
      .merge({ email: 'ops-logs@example.com', password: secrets.password })
      .create()
    const { token } = await createShopper()
    const { machine } = await createMachine({ key: secrets.deviceKey })

    const port = await freeTcpPort()
    const server = startProcess(
      'node',
      ['--import', 'ts-node-maintained/register/esm', 'bin/server.ts'],
      {
        NODE_ENV: 'test',
        HOST: '127.0.0.1',
        PORT: String(port),
        LOG_LEVEL: 'debug',
        DISCOVERY_ENABLED: 'false',
      }
    )
    cleanup(async () => {
      await server.stop()
    })
    await server.waitForOutput(/started HTTP server/, SERVER_BOOT_TIMEOUT_MS)
    const url = `http://127.0.0.1:${port}`
    const requestIds: string[] = []
    const send = async (path: string, init: RequestInit = {}) => {
      const requestId = `ops-log-test-${requestIds.length}-${Date.now()}`
      const headers = new Headers(init.headers)
      headers.set('x-request-id', requestId)
      const response = await fetch(url + path, { ...init, headers, redirect: 'manual' })
      assert.equal(response.headers.get('x-request-id'), requestId, path)
      requestIds.push(requestId)
      return response
    }

    // 1. An operator logs in with a password (CSRF token and cookies from the form).
    const form = await send('/admin/login')
    const cookies = form.headers
      .getSetCookie()
      .map((cookie) => cookie.split(';')[0])
      .join('; ')
    const page = await form.text()
    const field = /<input[^>]*name=["']_csrf["'][^>]*>/.exec(page)?.[0] ?? ''
    const csrf = /value=["']([^"']+)["']/.exec(field)?.[1]
    assert.isString(csrf, `no CSRF field in the login page (${form.status}): ${page.slice(0, 500)}`)
    const login = await send('/admin/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'cookie': cookies },
      body: new URLSearchParams({
        _csrf: csrf!,
        email: 'ops-logs@example.com',
        password: secrets.password,
      }).toString(),
    })
    assert.equal(login.status, 302)
    assert.equal(login.headers.get('location'), '/admin', 'the password was accepted')
    // The session cookies' values (cleared ones are empty and prove nothing).
    const session = login.headers
      .getSetCookie()
      .map((cookie) => cookie.split(';')[0].split('=').slice(1).join('='))
      .filter((value) => value.length > 8)
    assert.isNotEmpty(session)

    // 2. API calls with a bearer token, once also (wrongly) in the query string.
    const me = await send(`/api/v1/users/me?token=${encodeURIComponent(token)}`, {
      headers: { authorization: `Bearer ${token}` },
    })
    assert.equal(me.status, 200)

    // 3. A device connects with its key.
    const socket = io(`${url}/devices`, {
      auth: { machine: machine.code, key: secrets.deviceKey },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    })
    cleanup(() => {
      socket.disconnect()
    })
    await new Promise<void>((resolve, reject) => {
      socket.once('hello', () => resolve())
      socket.once('connect_error', reject)
    })
    await server.waitForOutput(new RegExp(`"machine":"${machine.code}".*"msg":"device connected"`))
    socket.disconnect()
    await server.waitForOutput(/"msg":"device disconnected"/)

    // 4. A payment verification with a Razorpay signature.
    await send('/api/v1/payments/verify', {
      method: 'POST',
      headers: { 'authorization': `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        razorpay_order_id: 'order_OPS123',
        razorpay_payment_id: 'pay_OPS123',
        razorpay_signature: secrets.signature,
      }),
    })

    const last = requestIds.at(-1)!
    await server.waitForOutput(new RegExp(`"request_id":"${last}"`))
    await server.stop()
    const output = server.output

    for (const requestId of requestIds) {
      assert.match(
        output,
        new RegExp(`"request_id":"${requestId}"[^\\n]*"msg":"request completed"`),
        requestId
      )
    }
    const forbidden = {
      ...secrets,
      token,
      tokenSecret: token.split('.').at(-1)!,
      ...Object.fromEntries(session.map((value, index) => [`cookie${index}`, value])),
    }
    for (const [name, value] of Object.entries(forbidden)) {
      assert.isAbove(value.length, 8, name)
      assert.notInclude(output, value, `${name} leaked into the logs`)
      assert.notInclude(
        output,
        encodeURIComponent(value),
        `${name} leaked into the logs (URL-encoded)`
      )
    }
  }).timeout(90_000)
})
