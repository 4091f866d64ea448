import http from 'node:http'
import { readFile } from 'node:fs/promises'
import app from '@adonisjs/core/services/app'
import WebSocket from 'ws'
import { baseUrl } from '#tests/helpers/server'
import { Namespaces, ServerToDeviceEvent } from '#services/device_protocol'

/**
 * Headers the Links2004 arduinoWebSockets client sends on both of its
 * requests (the polling handshake and the websocket upgrade).
 */
const ARDUINO_HEADERS = { 'Origin': 'file://', 'User-Agent': 'arduino-WebSocket-Client' }

/**
 * The largest frame the Arduino client accepts, about 15 KiB.
 */
export const ARDUINO_MAX_FRAME_BYTES = 15 * 1024

/**
 * One Engine.IO frame as it crossed the wire.
 */
export interface WireFrame {
  dir: 'server' | 'device'
  frame: string
  transport: 'polling' | 'websocket'
}

/**
 * A device speaking raw Engine.IO v4 / Socket.IO v5 text frames, the way
 * the ESP32 sketch does, with no socket.io client library in between.
 * Every frame in both directions is kept in `transcript`.
 *
 * `connect('polling')` repeats what SocketIOclient does: an HTTP
 * long-polling handshake (`GET /socket.io/?EIO=4&transport=polling`), whose
 * `0{...}` open packet becomes the first server frame, then a websocket to
 * `...&transport=websocket&sid=<sid>`; the probe (`2probe`, `5`) is left
 * to the caller. `connect('websocket')` opens the websocket directly; the
 * open packet is then the first websocket frame.
 */
export class RawDevice {
  readonly transcript: WireFrame[] = []
  #inbox: string[] = []
  #wake?: () => void
  #closed = false
  #closedWaiters: (() => void)[] = []

  protected constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const frame = data.toString()
      this.transcript.push({ dir: 'server', frame, transport: 'websocket' })
      this.#inbox.push(frame)
      this.#wake?.()
    })
    ws.on('close', () => {
      this.#closed = true
      this.#wake?.()
      this.#closedWaiters.splice(0).forEach((wake) => wake())
    })
    ws.on('error', () => {})
  }

  /**
   * Opens a connection as described on the class.
   *
   * @throws Error when the handshake or the websocket upgrade fails
   */
  static async connect(via: 'polling' | 'websocket'): Promise<RawDevice> {
    let query = 'EIO=4&transport=websocket'
    let openPacket: string | undefined
    if (via === 'polling') {
      openPacket = await pollingHandshake()
      const sid = /"sid":"([^"]+)"/.exec(openPacket)?.[1]
      if (!sid) throw new Error(`no sid in the polling handshake: ${openPacket}`)
      query += `&sid=${sid}`
    }

    // SocketIOclient asks for the `arduino` subprotocol on the upgrade.
    const ws = new WebSocket(
      `${baseUrl().replace(/^http/, 'ws')}/socket.io/?${query}`,
      ['arduino'],
      { headers: ARDUINO_HEADERS }
    )
    const device = new RawDevice(ws)
    if (openPacket) {
      device.transcript.push({ dir: 'server', frame: openPacket, transport: 'polling' })
      device.#inbox.push(openPacket)
    }
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve())
      ws.once('error', reject)
    })
    return device
  }

  /**
   * Whether the server closed the connection (or `close()` was called).
   */
  get closed() {
    return this.#closed
  }

  /**
   * Sends one text frame.
   */
  send(frame: string) {
    this.transcript.push({ dir: 'device', frame, transport: 'websocket' })
    this.ws.send(frame)
  }

  /**
   * Resolves with the next server frame not read yet.
   *
   * @throws Error when none arrives within `timeoutMs` or the connection
   *   closes first
   */
  next(timeoutMs = 5000): Promise<string> {
    if (this.#inbox.length > 0) return Promise.resolve(this.#inbox.shift()!)
    if (this.#closed) return Promise.reject(new Error('the server closed the connection'))
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#wake = undefined
        reject(new Error(`no frame from the server within ${timeoutMs} ms`))
      }, timeoutMs)
      this.#wake = () => {
        clearTimeout(timer)
        this.#wake = undefined
        if (this.#inbox.length > 0) resolve(this.#inbox.shift()!)
        else reject(new Error('the server closed the connection'))
      }
    })
  }

  /**
   * Resolves once the connection is closed.
   *
   * @throws Error when it is still open after `timeoutMs`
   */
  waitForClose(timeoutMs = 5000): Promise<void> {
    if (this.#closed) return Promise.resolve()
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the connection was still open after ${timeoutMs} ms`)),
        timeoutMs
      )
      this.#closedWaiters.push(() => {
        clearTimeout(timer)
        resolve()
      })
    })
  }

  /**
   * Drops the TCP connection at once, as a device losing power does.
   */
  close() {
    if (!this.#closed) this.ws.terminate()
  }
}

/**
 * `GET /socket.io/?EIO=4&transport=polling` as the Arduino client sends it.
 *
 * @returns the response body, the Engine.IO open packet `0{...}`
 */
function pollingHandshake(): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = http.get(
      `${baseUrl()}/socket.io/?EIO=4&transport=polling`,
      { headers: ARDUINO_HEADERS, agent: false },
      (response) => {
        let body = ''
        response.setEncoding('utf8')
        response.on('data', (chunk) => (body += chunk))
        response.on('end', () =>
          response.statusCode === 200
            ? resolve(body)
            : reject(new Error(`polling handshake: HTTP ${response.statusCode} ${body}`))
        )
      }
    )
    request.on('error', reject)
  })
}

/**
 * One step of a protocol vector: a frame the server must send (a
 * template, see `matchFrame`) or one the device sends (filled with
 * `fillFrame`).
 *
 * - `transport`: `polling` only for the open packet of a polling handshake
 * - `trigger`: something outside the wire that makes the server send this
 *   frame (e.g. `buy`: a shopper buys from the machine)
 * - `note`: for people
 */
export interface VectorFrame {
  dir: 'server' | 'device'
  frame: string
  transport?: 'polling' | 'websocket'
  trigger?: string
  note?: string
}

/**
 * A recorded device session in firmware/protocol/*.json, replayed by the
 * raw protocol tests and meant for the firmware's host tests.
 */
export interface ProtocolVector {
  description: string
  connect: 'polling' | 'websocket'
  placeholders: Record<string, string>
  frames: VectorFrame[]
}

/**
 * Reads `firmware/protocol/<name>.json`.
 */
export async function loadVector(name: string): Promise<ProtocolVector> {
  return JSON.parse(await readFile(app.makePath('firmware', 'protocol', `${name}.json`), 'utf8'))
}

const PLACEHOLDER = /(<[a-z_]+>)/

function escapeRegExp(text: string) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/**
 * Matches a server frame against a template. A `<name>` placeholder whose
 * value is already in `vars` must appear literally; an unknown one matches
 * any text and is captured into `vars` (a second use in the same template
 * must repeat the same text).
 *
 * @returns whether `actual` matches; `vars` gains the captures only then
 */
export function matchFrame(
  template: string,
  actual: string,
  vars: Record<string, string>
): boolean {
  let pattern = '^'
  const capturing = new Set<string>()
  for (const part of template.split(PLACEHOLDER)) {
    const name = /^<([a-z_]+)>$/.exec(part)?.[1]
    if (!name) pattern += escapeRegExp(part)
    else if (name in vars) pattern += escapeRegExp(vars[name])
    else if (capturing.has(name)) pattern += `\\k<${name}>`
    else {
      capturing.add(name)
      pattern += `(?<${name}>.+?)`
    }
  }
  const match = new RegExp(`${pattern}$`, 's').exec(actual)
  if (!match) return false
  Object.assign(vars, match.groups ?? {})
  return true
}

/**
 * A device frame with every `<name>` replaced by `vars[name]`.
 *
 * @throws Error for a placeholder with no value
 */
export function fillFrame(template: string, vars: Record<string, string>): string {
  return template.replace(/<([a-z_]+)>/g, (_, name: string) => {
    if (!(name in vars)) throw new Error(`no value for <${name}> in ${template}`)
    return vars[name]
  })
}

/**
 * Whether a server frame is a `display_code` event, which the
 * server sends after `hello` and on every rotation, so at times no vector
 * can pin down.
 */
function isDisplayCode(frame: string) {
  return frame.startsWith(`42${Namespaces.Devices},["${ServerToDeviceEvent.DisplayCode}",`)
}

/**
 * Plays `vector` on `device`: sends each device frame, and checks each
 * server frame against its template (running its `trigger` first). A
 * server ping (`2`) that the vector does not expect is answered with `3`,
 * as the firmware does at any time; a `display_code` it does not expect
 * is skipped (it needs no answer). Every server frame must fit the
 * Arduino client's frame limit.
 *
 * @param vars known values (`machine`, `key`, ...); captures are added
 * @returns `vars` with every captured placeholder
 * @throws AssertionError-like Error naming the step that did not match
 */
export async function replayVector(
  device: RawDevice,
  vector: ProtocolVector,
  vars: Record<string, string>,
  triggers: Record<string, (vars: Record<string, string>) => Promise<void>> = {}
): Promise<Record<string, string>> {
  for (const [index, step] of vector.frames.entries()) {
    if (step.dir === 'device') {
      device.send(fillFrame(step.frame, vars))
      continue
    }

    if (step.trigger) {
      const trigger = triggers[step.trigger]
      if (!trigger) throw new Error(`step ${index}: no trigger named ${step.trigger}`)
      await trigger(vars)
    }
    let actual = await device.next()
    while (
      (actual === '2' && step.frame !== '2') ||
      (isDisplayCode(actual) && !isDisplayCode(step.frame))
    ) {
      if (actual === '2') device.send('3')
      actual = await device.next()
    }
    if (Buffer.byteLength(actual) > ARDUINO_MAX_FRAME_BYTES) {
      throw new Error(
        `step ${index}: a ${Buffer.byteLength(actual)} byte frame is over the Arduino client's limit`
      )
    }
    if (!matchFrame(step.frame, actual, vars)) {
      throw new Error(
        `step ${index}: expected the server to send\n  ${step.frame}\nbut it sent\n  ${actual}`
      )
    }
  }
  return vars
}
