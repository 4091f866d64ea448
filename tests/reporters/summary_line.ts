import { BaseReporter } from '@japa/runner/core'
import type { NamedReporterContract, RunnerSummary } from '@japa/runner/types'

/**
 * Prints one plain line, `<passed> passed, <failed> failed` (plus
 * `, <skipped> skipped` when there are any), as the last line of a test run,
 * and fails the run when no test ran at all.
 *
 * Why: CI reads that line (japa's own summary is a coloured table), and
 * japa exits 0 when a filter matched nothing, which would let a broken
 * `--files` pattern or an empty suite pass silently.
 *
 * Counts come from `runner.getSummary()`: tests marked `.fails()` that
 * failed as expected ("regression") count as passed; `todo` tests never run
 * and count as skipped. A failed suite or group hook (its tests never run)
 * counts as one failure each, and so does an error japa reports outside any
 * test (an uncaught exception), so the line never reads `0 failed` for a
 * run that exits non-zero.
 *
 * The line is written on process exit rather than straight from `end()`:
 * reporters' `end` hooks run concurrently, the spec reporter prints its
 * errors and summary asynchronously, and japa reports uncaught exceptions
 * after `runner:end`, so printing any earlier could land mid-output.
 * Writes to stdout are synchronous for files and pipes on Linux, and for
 * TTYs, so nothing is lost in the `exit` handler.
 */
export class SummaryLineReporter extends BaseReporter {
  protected async end() {
    const summary = this.runner!.getSummary()
    const ran = ranCount(summary)

    if (ran === 0) {
      process.exitCode = 1
    }

    process.once('exit', (code) => {
      let failedOutsideTests = 0
      if (ran === 0) {
        process.exitCode = 1
        process.stderr.write(
          '\nNo tests ran: check the --files/--tests/--groups/--tags filters and the suites.\n'
        )
      } else if (code !== 0 && failedCount(summary) === 0) {
        failedOutsideTests = 1
        process.stderr.write('\nThe run failed outside any test (see the errors above).\n')
      }
      process.stdout.write(`\n${summaryLine(summary, failedOutsideTests)}\n`)
    })
  }
}

/**
 * Tests that actually executed: passed, failed and expected failures.
 */
function ranCount(summary: RunnerSummary): number {
  const { passed, failed, regression } = summary.aggregates
  return passed + failed + regression
}

/**
 * Failed tests plus failed suite and group hooks.
 */
function failedCount(summary: RunnerSummary): number {
  let hookErrors = 0
  for (const suite of summary.failureTree) {
    if (suite.errors.length > 0) hookErrors++
    for (const child of suite.children) {
      if (child.type === 'group' && child.errors.length > 0) hookErrors++
    }
  }
  return summary.aggregates.failed + hookErrors
}

/**
 * `N passed, N failed` or `N passed, N failed, N skipped`.
 */
export function summaryLine(summary: RunnerSummary, extraFailures = 0): string {
  const { passed, regression, skipped, todo } = summary.aggregates
  const parts = [`${passed + regression} passed`, `${failedCount(summary) + extraFailures} failed`]
  if (skipped + todo > 0) parts.push(`${skipped + todo} skipped`)
  return parts.join(', ')
}

/**
 * Registers the reporter under the name `summary-line`.
 */
export const summaryLineReporter = (): NamedReporterContract => ({
  name: 'summary-line',
  handler: (...args) => new SummaryLineReporter().boot(...args),
})
