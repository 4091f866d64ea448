import { spawn, spawnSync } from 'node:child_process'
import { mkdtemp, rename, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SerialPort } from 'serialport'
import { ChildHandle } from '#tests/helpers/processes'

/**
 * Fails with a clear message when socat is missing: the serial tests need
 * it for their pseudo-terminal pairs and must never be skipped silently.
 */
export function requireSocat() {
  const probe = spawnSync('socat', ['-V'], { stdio: 'ignore' })
  if (probe.error) {
    throw new Error(
      `socat is not installed (${probe.error.message}); the serial bridge tests need it for a ` +
        'pseudo-terminal pair. Install it: apt-get install -y socat (CI must install it too).'
    )
  }
}

/**
 * Two connected pseudo-terminals made by socat, as a USB cable between a
 * board and a computer: `host` is the computer's end (what the bridge
 * opens), `board` the board's end.
 */
export class PtyPair {
  #socat?: ChildHandle

  constructor(readonly dir: string) {}

  get host() {
    return join(this.dir, 'host')
  }

  get board() {
    return join(this.dir, 'board')
  }

  /**
   * Starts socat and resolves once both ends exist.
   */
  async start(): Promise<void> {
    await this.spawn(this.host)
  }

  /**
   * Kills socat: both ends vanish and whoever had them open sees the port
   * close.
   */
  async unplug(): Promise<void> {
    await this.#socat?.stop()
    this.#socat = undefined
    await rm(this.host, { force: true })
    await rm(this.board, { force: true })
  }

  /**
   * A cable pulled and plugged in again: a new pair under the same names.
   * The host end appears only after `beforeHostAppears` (which opens the
   * new board end) has run, so nothing the host writes can reach a board
   * end that nobody has opened yet (a PTY drops it).
   */
  async replug(beforeHostAppears: () => Promise<void>): Promise<void> {
    await this.unplug()
    const staging = join(this.dir, 'host-staging')
    await this.spawn(staging)
    await beforeHostAppears()
    await rename(staging, this.host)
  }

  async close(): Promise<void> {
    await this.unplug()
    await rm(this.dir, { recursive: true, force: true })
  }

  protected async spawn(hostLink: string) {
    requireSocat()
    const socat = new ChildHandle(
      spawn(
        'socat',
        ['-d', '-d', `pty,raw,echo=0,link=${this.board}`, `pty,raw,echo=0,link=${hostLink}`],
        {
          stdio: ['ignore', 'ignore', 'pipe'],
        }
      )
    )
    this.#socat = socat
    await socat.waitForOutput(/starting data transfer loop/, 5000)
  }
}

/**
 * A fresh PTY pair in its own temporary folder.
 */
export async function createPtyPair(): Promise<PtyPair> {
  const pair = new PtyPair(await mkdtemp(join(tmpdir(), 'vendora-serial-')))
  try {
    await pair.start()
  } catch (error) {
    await pair.close()
    throw error
  }
  return pair
}

/**
 * A `VEND` line as the board received it.
 */
export interface BoardVend {
  commandId: string
  slot: number
}

/**
 * The board's side of the serial line protocol, in the test: records every
 * line it receives and answers each `VEND <command_id> <slot>` with
 * `RESULT <command_id> <result>` after `delayMs`, where `answer` decides
 * the result (`null`: stay silent). Lines end in `\r\n`, as the Arduino
 * `Serial.println` writes them.
 */
export class FakeBoard {
  readonly lines: string[] = []
  answer: (vend: BoardVend) => string | null = () => 'dropped'
  delayMs = 20
  #port: SerialPort
  #buffer = ''
  #timers = new Set<NodeJS.Timeout>()

  constructor(port: SerialPort) {
    this.#port = port
    port.on('data', (chunk: Buffer) => this.onData(chunk))
    port.on('error', () => {})
  }

  /** The `VEND` lines received so far. */
  get vends(): BoardVend[] {
    return this.lines
      .map((line) => line.split(' '))
      .filter((words) => words[0] === 'VEND')
      .map((words) => ({ commandId: words[1], slot: Number(words[2]) }))
  }

  /**
   * Writes one line (with `\r\n`) to the host.
   */
  send(line: string) {
    this.#port.write(`${line}\r\n`)
  }

  async close(): Promise<void> {
    for (const timer of this.#timers) clearTimeout(timer)
    this.#timers.clear()
    if (this.#port.isOpen) await new Promise<void>((resolve) => this.#port.close(() => resolve()))
  }

  protected onData(chunk: Buffer) {
    this.#buffer += chunk.toString('utf8')
    let end: number
    while ((end = this.#buffer.indexOf('\n')) !== -1) {
      const line = this.#buffer.slice(0, end)
      this.#buffer = this.#buffer.slice(end + 1)
      this.lines.push(line)
      const [word, commandId, slot] = line.split(' ')
      if (word !== 'VEND') continue
      const result = this.answer({ commandId, slot: Number(slot) })
      if (result === null) continue
      const timer = setTimeout(() => {
        this.#timers.delete(timer)
        this.send(`RESULT ${commandId} ${result}`)
      }, this.delayMs)
      this.#timers.add(timer)
    }
  }
}

/**
 * Opens the board's end of `pair` as a `FakeBoard`.
 */
export function openBoard(pair: PtyPair): Promise<FakeBoard> {
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path: pair.board, baudRate: 115_200, autoOpen: false })
    port.open((error) => (error ? reject(error) : resolve(new FakeBoard(port))))
  })
}
