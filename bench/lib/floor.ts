/**
 * The floor measured in the same run as a bench, first: `bench/floor.ts`
 * as a child process (its own SQLite database and app boot, on ports
 * `BENCH_PORT`+8 and +9, clear of the bench's own), its output echoed
 * with a `floor |` prefix, its closing JSON line returned. Measuring both
 * in one run, back to back, keeps the ratio honest on a shared machine.
 */
import { spawn } from 'node:child_process'
import { benchPort } from './harness.js'

/**
 * CPU ms per buy and buys/s of the floor at one concurrency.
 */
export interface FloorStage {
  concurrency: number
  buys_per_s: number
  cpu_ms_per_buy: number
  /** buy → HTTP 201, ms */
  p50_ms: number
  p99_ms: number
}

/**
 * The floor's closing JSON line: the headline stage (concurrency 32, else
 * the last) and every stage.
 */
export interface FloorResult extends FloorStage {
  stages: FloorStage[]
  correct: boolean
}

/**
 * Runs `bench/floor.ts` with these settings and resolves with its figures.
 *
 * @throws Error when the floor fails its own correctness checks or prints
 *   no JSON line
 */
export async function measureFloor(settings: {
  seconds: number
  stages: string
  devices: number
  warmup: number
}): Promise<FloorResult> {
  const child = spawn(
    'node',
    [
      '--import=ts-node-maintained/register/esm',
      'bench/floor.ts',
      `--seconds=${settings.seconds}`,
      `--stages=${settings.stages}`,
      `--devices=${settings.devices}`,
      `--warmup=${settings.warmup}`,
    ],
    { env: { ...process.env, BENCH_PORT: String(benchPort(8)) }, stdio: ['ignore', 'pipe', 'pipe'] }
  )
  let output = ''
  const echo = (chunk: Buffer) => {
    output += chunk.toString('utf8')
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
      console.log(`floor | ${line}`)
  }
  child.stdout.on('data', echo)
  child.stderr.on('data', echo)
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  const line = output
    .split('\n')
    .reverse()
    .find((candidate) => candidate.startsWith('{"bench":"floor"'))
  if (code !== 0 || !line) throw new Error(`the floor bench failed (exit ${code})`)
  return JSON.parse(line) as FloorResult
}

/**
 * `value / floor` as `"4.2×"`, or `-` when either is missing.
 */
export function ratio(value: number, floor: number | undefined): string {
  if (!floor || !Number.isFinite(value)) return '-'
  return `${(value / floor).toFixed(1)}×`
}
