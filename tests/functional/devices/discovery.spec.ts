import dgram from 'node:dgram'
import { networkInterfaces } from 'node:os'
import { test } from '@japa/runner'
import LanDiscovery, { type LanDiscoveryOptions } from '#services/lan_discovery'
import { freeTcpPort, freeUdpPort, startAppServer } from '#tests/helpers/processes'
import { eventually } from '#tests/helpers/device'
import { loadVector } from '#tests/helpers/device_protocol'

/**
 * One datagram received by the test's client socket.
 */
interface Reply {
  text: string
  from: dgram.RemoteInfo
}

/**
 * A machine's side of discovery, on loopback only: a UDP socket on
 * 127.0.0.1 that sends requests and keeps every reply.
 */
class Requester {
  readonly replies: Reply[] = []
  readonly socket = dgram.createSocket('udp4')

  async open() {
    this.socket.on('message', (message, from) =>
      this.replies.push({ text: message.toString('utf8'), from })
    )
    await new Promise<void>((resolve) => this.socket.bind(0, '127.0.0.1', () => resolve()))
    return this
  }

  send(port: number, payload: string | Buffer): Promise<void> {
    return new Promise((resolve, reject) =>
      this.socket.send(payload, port, '127.0.0.1', (error) => (error ? reject(error) : resolve()))
    )
  }

  /**
   * Sends `payload` and resolves with the first reply received after it.
   */
  async ask(port: number, payload: string, timeoutMs = 3000): Promise<Reply> {
    const before = this.replies.length
    await this.send(port, payload)
    return eventually(async () => this.replies[before], timeoutMs)
  }

  close() {
    return new Promise<void>((resolve) => this.socket.close(() => resolve()))
  }
}

/**
 * A responder on 127.0.0.1 and a free port, announcing a server at
 * 127.0.0.1:3334 unless `options` say otherwise.
 */
async function responder(
  cleanup: (handler: () => Promise<void>) => void,
  options: Partial<LanDiscoveryOptions> = {}
) {
  const discovery = new LanDiscovery({
    port: 0,
    bindAddress: '127.0.0.1',
    httpHost: '127.0.0.1',
    httpPort: 3334,
    ...options,
  })
  cleanup(() => discovery.stop())
  const { port } = await discovery.start()
  const requester = await new Requester().open()
  cleanup(() => requester.close())
  return { discovery, port, requester }
}

/**
 * Whether this process can bind `port` on every address right now (it
 * could not if another socket held it there).
 */
function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4')
    socket.once('error', () => socket.close(() => resolve(false)))
    socket.bind(port, '0.0.0.0', () => socket.close(() => resolve(true)))
  })
}

/**
 * The real web server (`bin/server.ts`) in a child process on a free port,
 * with `env` added and debug logs; resolves once it listens (startRealtime
 * runs right after: wait for its log line).
 */
async function startWebServer(
  cleanup: (handler: () => Promise<void>) => void,
  env: Record<string, string>
) {
  const httpPort = await freeTcpPort()
  const server = await startAppServer(httpPort, { NODE_ENV: 'test', LOG_LEVEL: 'debug', ...env })
  cleanup(async () => {
    await server.stop()
  })
  return { server, httpPort }
}

test.group('LAN discovery', () => {
  test('answers VENDORA_DISCOVER, with or without a machine code, with the server URL, unicast to the sender', async ({
    assert,
    cleanup,
  }) => {
    const { discovery, port, requester } = await responder(cleanup)

    for (const request of [
      'VENDORA_DISCOVER',
      'VENDORA_DISCOVER vm-0042',
      'VENDORA_DISCOVER vm-0042\r\n',
    ]) {
      const reply = await requester.ask(port, request)
      assert.deepEqual(
        JSON.parse(reply.text),
        { service: 'vendora', url: 'http://127.0.0.1:3334', namespace: '/devices' },
        request
      )
      assert.equal(reply.from.port, port)
      assert.equal(reply.from.address, '127.0.0.1')
    }
    // Compact JSON, as the sketch's reply buffer expects.
    assert.equal(
      requester.replies[0].text,
      '{"service":"vendora","url":"http://127.0.0.1:3334","namespace":"/devices"}'
    )

    // stop() releases the port.
    await discovery.stop()
    assert.isNull(discovery.address)
    assert.isTrue(await canBind(port))
  })

  test('ignores anything else: no reply', async ({ assert, cleanup }) => {
    const { port, requester } = await responder(cleanup)
    const garbage = [
      '',
      'vendora_discover',
      'VENDORA_DISCOVERY',
      ' VENDORA_DISCOVER',
      'VENDORA_DISCOVER ',
      'VENDORA_DISCOVER  vm-1',
      'VENDORA_DISCOVER vm 1',
      'VENDORA_DISCOVER\tvm-1',
      `VENDORA_DISCOVER ${'m'.repeat(65)}`,
      'VENDORA_DISCOVER vm-1\u0000',
      'VENDORA_DISCOVER vm-ü',
      'GET / HTTP/1.1',
      // Another server's reply: answering it could start a reply loop.
      '{"service":"vendora","url":"http://127.0.0.1:3334","namespace":"/devices"}',
    ]
    for (const payload of garbage) await requester.send(port, payload)
    await requester.send(port, Buffer.from([0x00, 0xff, 0x10, 0x80]))

    await new Promise((resolve) => setTimeout(resolve, 300))
    assert.deepEqual(requester.replies, [])

    // The responder is alive: a real request after the garbage is the only one answered.
    await requester.ask(port, 'VENDORA_DISCOVER')
    await new Promise((resolve) => setTimeout(resolve, 100))
    assert.lengthOf(requester.replies, 1)
  })

  test('announces DISCOVERY_URL when it is set', async ({ assert, cleanup }) => {
    const { port, requester } = await responder(cleanup, { url: 'https://vendora.example/' })

    const reply = await requester.ask(port, 'VENDORA_DISCOVER vm-0042')

    assert.deepEqual(JSON.parse(reply.text), {
      service: 'vendora',
      url: 'https://vendora.example',
      namespace: '/devices',
    })
  })

  test('with the HTTP server on 0.0.0.0 it announces the local address facing the requester', async ({
    assert,
    cleanup,
  }) => {
    const { discovery, port, requester } = await responder(cleanup, {
      bindAddress: '0.0.0.0',
      httpHost: '0.0.0.0',
      httpPort: 3350,
    })

    // A request over loopback is answered with the loopback address.
    const reply = await requester.ask(port, 'VENDORA_DISCOVER')
    assert.equal(JSON.parse(reply.text).url, 'http://127.0.0.1:3350')

    // A requester on one of this host's subnets gets this host's address there;
    // one from elsewhere a non-internal IPv4 address of this host.
    const external = Object.values(networkInterfaces())
      .flat()
      .filter((entry) => entry && entry.family === 'IPv4' && !entry.internal)
    for (const entry of external) {
      assert.equal(discovery.announcedUrl(entry!.address), `http://${entry!.address}:3350`)
    }
    const elsewhere = new URL(discovery.announcedUrl('203.0.113.9')).hostname
    if (external.length > 0) {
      assert.include(
        external.map((entry) => entry!.address),
        elsewhere
      )
    } else {
      assert.equal(elsewhere, '127.0.0.1')
    }
  })

  test('replays firmware/protocol/lan_discovery.json', async ({ assert, cleanup }) => {
    const vector = await loadVector('lan_discovery')
    const { port, requester } = await responder(cleanup, { httpPort: 3350 })
    const fill = (frame: string) =>
      frame
        .replaceAll('<machine>', 'vm-0042')
        .replaceAll('<host>', '127.0.0.1')
        .replaceAll('<port>', '3350')
    const [request, reply] = vector.frames

    assert.equal(request.dir, 'device')
    assert.equal(reply.dir, 'server')
    const answer = await requester.ask(port, fill(request.frame))
    assert.equal(answer.text, fill(reply.frame))
  })

  test('the web server answers discovery when DISCOVERY_ENABLED=true', async ({
    assert,
    cleanup,
  }) => {
    const discoveryPort = await freeUdpPort()
    const { server, httpPort } = await startWebServer(cleanup, {
      DISCOVERY_ENABLED: 'true',
      DISCOVERY_PORT: String(discoveryPort),
    })
    await server.waitForOutput(/LAN discovery listening/)
    const requester = await new Requester().open()
    cleanup(() => requester.close())

    const reply = await requester.ask(discoveryPort, 'VENDORA_DISCOVER vm-0042')

    assert.deepEqual(JSON.parse(reply.text), {
      service: 'vendora',
      url: `http://127.0.0.1:${httpPort}`,
      namespace: '/devices',
    })
    assert.equal(await server.stop(), 0, server.output)
  }).timeout(90_000)

  test('the web server binds no discovery socket unless DISCOVERY_ENABLED=true', async ({
    assert,
    cleanup,
  }) => {
    const discoveryPort = await freeUdpPort()
    const { server } = await startWebServer(cleanup, {
      DISCOVERY_ENABLED: 'false',
      DISCOVERY_PORT: String(discoveryPort),
    })
    // startRealtime() has made its choice.
    await server.waitForOutput(/LAN discovery off/)
    const requester = await new Requester().open()
    cleanup(() => requester.close())

    await requester.send(discoveryPort, 'VENDORA_DISCOVER vm-0042')
    await new Promise((resolve) => setTimeout(resolve, 300))

    assert.deepEqual(requester.replies, [])
    assert.isTrue(await canBind(discoveryPort), 'the discovery port is free')
    assert.notMatch(server.output, /LAN discovery listening/)
  }).timeout(90_000)
})
