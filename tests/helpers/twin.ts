import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, connect, type Server, type Socket } from 'node:net'
import { createServer as createTlsServer } from 'node:tls'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Group, TestContext } from '@japa/runner/core'
import { MachineStatus } from '#enums/machine_status'
import Machine from '#models/machine'
import { deviceFirmwareVersion } from '#services/device_protocol'
import { createMachine, eventually, waitUntilOnline } from '#tests/helpers/device'
import { useSigningKey } from '#tests/helpers/firmware'
import { baseUrl } from '#tests/helpers/server'
import { channel } from '#tests/helpers/device_session'

/**
 * The firmware twin (firmware/twin): the real sketch, core and
 * arduinoWebSockets built for Linux by `make -C firmware twin`.
 * `VENDORA_TWIN` points the tests at another build (e.g. one made with a
 * newer library, to see what it changes).
 */
export const TWIN_BINARY =
  process.env.VENDORA_TWIN ?? join(process.cwd(), 'firmware/twin/out/vendora-twin')

/**
 * Makes a group of twin tests fail under CI when the twin was not built
 * (.ci/run builds it before the suites), and skip loudly elsewhere, as the
 * browser tests do without Chromium. A twin older than its sources (`make
 * -q` says so) is used with a warning: the tests would check old firmware.
 */
export function requireTwin(group: Group) {
  if (!existsSync(TWIN_BINARY)) {
    const message = `firmware twin not built: ${TWIN_BINARY} is missing (make -C firmware twin)`
    if (process.env.CI) {
      group.setup(() => {
        throw new Error(message)
      })
      return
    }
    console.warn(`\n  Firmware twin tests skipped: ${message}\n`)
    group.tap((t) => t.skip(true, message))
    return
  }
  if (process.env.VENDORA_TWIN) return
  const upToDate = spawnSync('make', ['-q', '-C', 'firmware', 'twin'], { stdio: 'ignore' })
  if (upToDate.status === 1) {
    console.warn(
      '\n  The firmware twin is older than its sources: run `make -C firmware twin` (testing the old build)\n'
    )
  }
}

/**
 * Settings of a twin run; `server` is the URL it connects to.
 */
export interface TwinOptions {
  server: string
  machine: string
  key: string
  /** The board's flash; a fresh temporary directory when not given. */
  stateDir?: string
  dropAfterMs?: number
  noDrop?: boolean
  glitchAtMs?: number
  /** For an https server: the PEM file of the CA its certificate chains to. */
  ca?: string
  /** Reported as firmware `vendora-esp32-<version>` instead of the sketch's own. */
  version?: string
  /**
   * The PEM file of the public key firmware images must be signed by (the
   * board's `VENDORA_FIRMWARE_PUBKEY`); without it `ota` is refused
   * `not_supported`.
   */
  firmwarePubkey?: string
  /** How long a new image has to rejoin the server before it is rolled back (board: 180 s). */
  otaConfirmDeadlineMs?: number
}

/**
 * A running twin: its event lines (stdout) and its serial console
 * (stderr), kept for assertions and failure messages.
 */
export class Twin {
  readonly events: string[] = []
  console = ''
  readonly exited: Promise<number | null>
  #partial = ''
  #listeners: (() => void)[] = []

  private constructor(
    readonly child: ChildProcess,
    readonly stateDir: string
  ) {
    child.stdout!.setEncoding('utf8')
    child.stdout!.on('data', (chunk: string) => {
      const lines = (this.#partial + chunk).split('\n')
      this.#partial = lines.pop() ?? ''
      this.events.push(...lines)
      this.#notify()
    })
    child.stderr!.setEncoding('utf8')
    child.stderr!.on('data', (chunk: string) => (this.console += chunk))
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)))
    this.exited.then(() => this.#notify())
  }

  /**
   * Starts the twin binary with `options`.
   */
  static start(options: TwinOptions): Twin {
    const stateDir = options.stateDir ?? mkdtempSync(join(tmpdir(), 'vendora-twin-'))
    const args = [
      '--server',
      options.server,
      '--machine',
      options.machine,
      '--key',
      options.key,
      '--state-dir',
      stateDir,
    ]
    if (options.dropAfterMs !== undefined) args.push('--drop-after-ms', String(options.dropAfterMs))
    if (options.noDrop) args.push('--no-drop')
    if (options.glitchAtMs !== undefined) args.push('--glitch-at-ms', String(options.glitchAtMs))
    if (options.ca) args.push('--ca', options.ca)
    if (options.version) args.push('--version', options.version)
    if (options.firmwarePubkey) args.push('--firmware-pubkey', options.firmwarePubkey)
    if (options.otaConfirmDeadlineMs !== undefined)
      args.push('--ota-confirm-deadline-ms', String(options.otaConfirmDeadlineMs))
    const child = spawn(TWIN_BINARY, args, { stdio: ['pipe', 'pipe', 'pipe'] })
    return new Twin(child, stateDir)
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null
  }

  /** Event lines matching `pattern` so far. */
  matching(pattern: RegExp): string[] {
    return this.events.filter((line) => pattern.test(line))
  }

  /**
   * Resolves with the `count`-th event line (1 = the first) that matches
   * `pattern`, waiting for it.
   *
   * @throws Error with the twin's events and console when it exits first
   *   or `timeoutMs` passes
   */
  waitFor(pattern: RegExp, timeoutMs = 10_000, count = 1): Promise<string> {
    return new Promise((resolve, reject) => {
      const stop = () => {
        clearTimeout(timer)
        this.#listeners = this.#listeners.filter((other) => other !== check)
      }
      const check = () => {
        const found = this.matching(pattern)
        if (found.length >= count) {
          stop()
          resolve(found[count - 1])
        } else if (!this.running) {
          stop()
          reject(
            new Error(
              `twin exited (${this.child.exitCode ?? this.child.signalCode}) before ${pattern}\n${this.describe()}`
            )
          )
        }
      }
      const timer = setTimeout(() => {
        stop()
        reject(
          new Error(
            `no ${pattern} (#${count}) from the twin within ${timeoutMs} ms\n${this.describe()}`
          )
        )
      }, timeoutMs)
      this.#listeners.push(check)
      check()
    })
  }

  /** Its events and console, for failure messages. */
  describe(): string {
    return `events:\n  ${this.events.join('\n  ')}\nconsole:\n${this.console}`
  }

  /**
   * Stops the board: SIGTERM (a clean exit) or SIGKILL (a power cut);
   * resolves with the exit code.
   */
  async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<number | null> {
    if (!this.running) return this.exited
    this.child.kill(signal)
    // SIGTERM is handled between two loop() passes; a pass blocked in a
    // connect or a TLS handshake is not waited for.
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000)
    const code = await this.exited
    clearTimeout(timer)
    return code
  }

  /** Stops it and removes its state directory. */
  async close() {
    await this.stop()
    rmSync(this.stateDir, { recursive: true, force: true })
  }

  #notify() {
    this.#listeners.forEach((listener) => listener())
  }
}

/**
 * Stops `twin` and waits until the server has noticed: the gateway forgot
 * the machine's socket and wrote it offline (a late write must not land on
 * the next test's rows after truncation).
 */
export async function closeTwin(twin: Twin, machineId: number) {
  await twin.close()
  const devices = await channel()
  await eventually(async () => !(await devices.isConnected(machineId)), 10_000)
  await eventually(
    async () => (await Machine.find(machineId))?.status !== MachineStatus.Online,
    10_000
  )
}

/**
 * A TCP proxy in front of the test server that the test controls: it can
 * cut every connection at once, without a close handshake (an RST each
 * way), as a Wi-Fi access point that dies does. It keeps what the server
 * sent down each connection, to count the frames the device was sent.
 * Given a key and certificate it terminates TLS, as a reverse proxy in
 * front of the server does, and counts the handshakes that failed.
 */
export class LinkProxy {
  readonly connections: { client: Socket; upstream: Socket; downstream: string }[] = []
  tlsFailures = 0
  #server: Server
  #scheme: string

  private constructor(server: Server, scheme: string) {
    this.#server = server
    this.#scheme = scheme
  }

  /**
   * Listens on a free port of 127.0.0.1 and forwards to `port` there.
   */
  static async start(port: number, tls?: { key: string; cert: string }): Promise<LinkProxy> {
    const server = tls ? createTlsServer({ key: tls.key, cert: tls.cert }) : createServer()
    const proxy = new LinkProxy(server, tls ? 'https://localhost' : 'http://127.0.0.1')
    server.on('tlsClientError', () => proxy.tlsFailures++)
    server.on(tls ? 'secureConnection' : 'connection', (client: Socket) => {
      const upstream = connect(port, '127.0.0.1')
      const link = { client, upstream, downstream: '' }
      proxy.connections.push(link)
      upstream.on('data', (chunk: Buffer) => (link.downstream += chunk.toString('latin1')))
      client.pipe(upstream)
      upstream.pipe(client)
      const drop = () => {
        client.destroy()
        upstream.destroy()
      }
      client.on('error', drop)
      upstream.on('error', drop)
      client.on('close', drop)
      upstream.on('close', drop)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
    return proxy
  }

  /** `http://127.0.0.1:<port>`, or `https://localhost:<port>` (the name the test certificate is for). */
  get url(): string {
    const address = this.#server.address() as { port: number }
    return `${this.#scheme}:${address.port}`
  }

  /** Connections open now. */
  get open(): number {
    return this.connections.filter((link) => !link.client.destroyed).length
  }

  /** Resets every open connection, both ways. */
  cut() {
    for (const link of this.connections) {
      if (!link.client.destroyed) link.client.resetAndDestroy()
      if (!link.upstream.destroyed) link.upstream.resetAndDestroy()
    }
  }

  /**
   * How many `vend` events for `commandId` the server sent through this
   * proxy (socket.io text frames travel unmasked from the server).
   */
  vendsSent(commandId: string): number {
    const pattern = new RegExp(`\\["vend",\\{[^}]*"command_id":"${commandId}"`, 'g')
    return this.connections.reduce(
      (total, link) => total + (link.downstream.match(pattern)?.length ?? 0),
      0
    )
  }

  async close() {
    this.cut()
    await new Promise((resolve) => this.#server.close(resolve))
  }
}

/**
 * A firmware image the twin can boot (firmware/twin/README.md): the header
 * line `VENDORA-TWIN-IMAGE <firmware>[ <flag>...]`, then random bytes up
 * to `bytes` in all. The twin, booting it from an OTA slot, reports
 * `firmware`; the flag `no-rejoin` makes it an image that never reaches
 * the server.
 *
 * @param firmware the `firmware` string it reports, e.g. `vendora-esp32-1.2.3`
 */
export function twinImage(
  firmware: string,
  options: { bytes?: number; flags?: string[] } = {}
): Buffer {
  const header = Buffer.from(
    `VENDORA-TWIN-IMAGE ${[firmware, ...(options.flags ?? [])].join(' ')}\n`,
    'latin1'
  )
  const bytes = options.bytes ?? 64 * 1024
  if (bytes < header.length) throw new Error(`a twin image needs at least ${header.length} bytes`)
  return Buffer.concat([header, randomBytes(bytes - header.length)])
}

/**
 * Writes `pem` (a public key) to a throwaway file for `--firmware-pubkey`;
 * returns its path and the cleanup.
 */
export function publicKeyFile(pem: string): { path: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'vendora-twin-key-'))
  const path = join(dir, 'firmware-pubkey.pem')
  writeFileSync(path, pem)
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/**
 * A throwaway CA, a certificate it signed for `localhost` (and 127.0.0.1)
 * with its key, and a second CA that signed nothing here, made with the
 * `openssl` command in a temporary directory.
 *
 * @throws Error with openssl's output when a step fails
 */
export function makeTestCertificates() {
  const dir = mkdtempSync(join(tmpdir(), 'vendora-twin-tls-'))
  const run = (...args: string[]) => {
    const result = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' })
    if (result.status !== 0)
      throw new Error(`openssl ${args.join(' ')} failed: ${result.error ?? result.stderr}`)
  }
  const subject = (name: string) => ['-subj', `/CN=${name}`]
  run(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    ...subject('Vendora test CA')
  )
  run(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'other.key',
    '-out',
    'other-ca.pem',
    '-days',
    '2',
    ...subject('Another CA')
  )
  run(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'server.key',
    '-out',
    'server.csr',
    ...subject('localhost')
  )
  writeFileSync(join(dir, 'san.cnf'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n')
  run(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.pem',
    '-days',
    '2',
    '-extfile',
    'san.cnf'
  )
  return {
    dir,
    caPath: join(dir, 'ca.pem'),
    otherCaPath: join(dir, 'other-ca.pem'),
    key: readFileSync(join(dir, 'server.key'), 'utf8'),
    cert: readFileSync(join(dir, 'server.pem'), 'utf8'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  }
}

/** The firmware string `startOnlineTwin` runs before any update. */
export const TWIN_RUNNING_FIRMWARE = deviceFirmwareVersion('1.0.0')

/** The machine's stored firmware string once it is `expected`. */
export function firmwareBecomes(machineId: number, expected: string, timeoutMs = 10_000) {
  return eventually(async () => {
    const machine = await Machine.findOrFail(machineId)
    return machine.firmwareVersion === expected ? machine : null
  }, timeoutMs)
}

/**
 * A machine, a signing key whose public half the twin carries (swapped
 * into the container's FirmwareSigner until the test ends), and the twin
 * running `TWIN_RUNNING_FIRMWARE`, online and with that firmware
 * recorded. `options` go to `Twin.start`.
 */
export async function startOnlineTwin(
  cleanup: TestContext['cleanup'],
  options: { otaConfirmDeadlineMs?: number; noDrop?: boolean; server?: string; ca?: string } = {}
) {
  const signing = useSigningKey()
  cleanup(signing.restore)
  const keyFile = publicKeyFile(signing.publicKeyPem)
  cleanup(keyFile.remove)
  const { machine, product, key } = await createMachine({ pricePaise: 2500, quantity: 5 })
  const twin = Twin.start({
    server: baseUrl(),
    ...options,
    machine: machine.code,
    key,
    version: '1.0.0',
    firmwarePubkey: keyFile.path,
  })
  cleanup(() => closeTwin(twin, machine.id))
  await twin.waitFor(new RegExp(`^BOOT ${TWIN_RUNNING_FIRMWARE} power-on$`))
  await twin.waitFor(/^JOINED$/, 15_000)
  await waitUntilOnline(machine.id)
  await firmwareBecomes(machine.id, TWIN_RUNNING_FIRMWARE)
  return { twin, machine, product }
}
