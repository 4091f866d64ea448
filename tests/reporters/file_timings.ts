import { writeFileSync } from 'node:fs'
import { BaseReporter } from '@japa/runner/core'
import type { NamedReporterContract, TestEndNode } from '@japa/runner/types'

/**
 * Writes how long each spec file took, as JSON `{ "<file>": <ms> }` with
 * paths relative to the app root, to `TEST_TIMINGS_PATH` when the run ends.
 * `bin/test_parallel.js` reads these to deal files out to its workers.
 *
 * A file's time runs from the end of the test before it (any file's) to
 * the end of its own last test, so its group hooks (truncating tables,
 * starting a twin or a child server) count towards it: japa runs files one
 * after another, so nothing is counted twice.
 */
export class FileTimingsReporter extends BaseReporter {
  #timings: Record<string, number> = {}
  #last = performance.now()

  protected onTestEnd(payload: TestEndNode) {
    const now = performance.now()
    const file = relativeFile(payload.meta.fileName)
    if (file) this.#timings[file] = (this.#timings[file] ?? 0) + (now - this.#last)
    this.#last = now
  }

  protected async end() {
    const path = process.env.TEST_TIMINGS_PATH
    if (!path) return
    const rounded = Object.fromEntries(
      Object.entries(this.#timings).map(([file, ms]) => [file, Math.round(ms)])
    )
    writeFileSync(path, JSON.stringify(rounded, null, 2) + '\n')
  }
}

/**
 * `tests/...` from the absolute path japa keeps in a test's meta.
 */
function relativeFile(fileName: unknown): string | undefined {
  if (typeof fileName !== 'string') return undefined
  const at = fileName.replaceAll('\\', '/').lastIndexOf('/tests/')
  return at === -1 ? undefined : fileName.slice(at + 1).replaceAll('\\', '/')
}

/**
 * Registers the reporter under the name `file-timings`.
 */
export const fileTimingsReporter = (): NamedReporterContract => ({
  name: 'file-timings',
  handler: (...args) => new FileTimingsReporter().boot(...args),
})
