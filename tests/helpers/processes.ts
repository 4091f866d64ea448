import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import dgram from 'node:dgram'

/**
 * A child process whose stdout and stderr are kept (`output`), for tests
 * that run the real `node ace ...` or `bin/server.ts`.
 */
export class ChildHandle {
  output = ''
  readonly exited: Promise<number | null>
  #listeners: (() => void)[] = []

  constructor(readonly child: ChildProcess) {
    const collect = (chunk: Buffer) => {
      this.output += chunk.toString('utf8')
      this.#listeners.forEach((listener) => listener())
    }
    child.stdout?.on('data', collect)
    child.stderr?.on('data', collect)
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)))
    this.exited.then(() => this.#listeners.forEach((listener) => listener()))
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null
  }

  /**
   * Resolves once the output matches `pattern`.
   *
   * @throws Error with the output so far when the process exits first or
   *   `timeoutMs` passes
   */
  waitForOutput(pattern: RegExp, timeoutMs = 8000): Promise<void> {
    return new Promise((resolve, reject) => {
      const stop = () => {
        clearTimeout(timer)
        this.#listeners = this.#listeners.filter((other) => other !== check)
      }
      const check = () => {
        if (pattern.test(this.output)) {
          stop()
          resolve()
        } else if (!this.running) {
          stop()
          reject(
            new Error(
              `process exited (${this.child.exitCode}) before printing ${pattern}:\n${this.output}`
            )
          )
        }
      }
      const timer = setTimeout(() => {
        stop()
        reject(new Error(`no ${pattern} within ${timeoutMs} ms; output:\n${this.output}`))
      }, timeoutMs)
      this.#listeners.push(check)
      check()
    })
  }

  /**
   * Sends `signal` (SIGTERM by default) and resolves with the exit code;
   * SIGKILL after `graceMs` if the process has not exited by then.
   */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 5000): Promise<number | null> {
    if (!this.running) return this.exited
    this.child.kill(signal)
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs)
    const code = await this.exited
    clearTimeout(timer)
    return code
  }

  async close() {
    await this.stop()
  }
}

/**
 * How long a child `bin/server.ts` may take to boot through the TypeScript
 * loader: about 3 s of CPU alone, many times that on a machine busy with
 * parallel test workers. Tests that boot one allow for it in their timeout.
 */
export const SERVER_BOOT_TIMEOUT_MS = 60_000

/**
 * Starts `command args` in the app root with `env` added to this
 * process's environment.
 */
export function startProcess(
  command: string,
  args: string[],
  env: Record<string, string> = {}
): ChildHandle {
  const child = spawn(command, args, {
    cwd: process.cwd(),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  return new ChildHandle(child)
}

/**
 * A TCP port on 127.0.0.1 that was free a moment ago.
 */
export function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/**
 * A UDP port that was free a moment ago (on every address).
 */
export function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4')
    socket.once('error', reject)
    socket.bind(0, '0.0.0.0', () => {
      const { port } = socket.address()
      socket.close(() => resolve(port))
    })
  })
}

/**
 * The real web server (`bin/server.ts`, for fault tests and benches that
 * kill or restart it) in a child process on `port`, with this process's
 * environment (so the same database settings) plus `env`; resolves once it
 * listens and its socket.io gateway is attached. `LOG_LEVEL` defaults to
 * `info` because the framework's "started HTTP server" line is the first
 * thing waited for.
 */
export async function startAppServer(
  port: number,
  env: Record<string, string> = {}
): Promise<ChildHandle> {
  const server = startProcess(
    'node',
    ['--import', 'ts-node-maintained/register/esm', 'bin/server.ts'],
    {
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'info',
      DISCOVERY_ENABLED: 'false',
      ...env,
    }
  )
  try {
    await server.waitForOutput(/started HTTP server/, SERVER_BOOT_TIMEOUT_MS)
    // socket.io attaches in the provider's ready hook, just after the HTTP
    // server logs that it started: wait until its handshake answers.
    const deadline = Date.now() + 10_000
    for (;;) {
      const response = await fetch(
        `http://127.0.0.1:${port}/socket.io/?EIO=4&transport=polling`
      ).catch(() => null)
      await response?.text()
      if (response?.ok) return server
      if (Date.now() > deadline || !server.running)
        throw new Error(`socket.io did not answer on port ${port}:\n${server.output}`)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  } catch (error) {
    // Nobody holds a handle to stop it with yet.
    await server.stop('SIGKILL')
    throw error
  }
}
