import { assert } from '@japa/assert'
import { apiClient } from '@japa/api-client'
import app from '@adonisjs/core/services/app'
import type { Config } from '@japa/runner/types'
import { pluginAdonisJS } from '@japa/plugin-adonisjs'
import { spec } from '@japa/runner/reporters'
import testUtils from '@adonisjs/core/services/test_utils'
import { startTestServer, stopTestServer } from '#tests/helpers/server'
import { summaryLineReporter } from '#tests/reporters/summary_line'

/**
 * Japa plugins.
 */
export const plugins: Config['plugins'] = [assert(), apiClient(), pluginAdonisJS(app)]

/**
 * Reporters: japa's `spec` output for people, then one plain
 * `N passed, N failed` line for CI, which also fails a run where no test
 * ran (see tests/reporters/summary_line.ts).
 */
export const reporters: Config['reporters'] = {
  activated: ['spec', 'summary-line'],
  list: [spec(), summaryLineReporter()],
}

/**
 * Runner hooks: migrate a fresh database once, before every suite.
 */
export const runnerHooks: Required<Pick<Config, 'setup' | 'teardown'>> = {
  setup: [() => testUtils.db().migrate()],
  teardown: [],
}

/**
 * The functional suite runs against the real HTTP server with the
 * socket.io gateway attached, on PORT from .env.test.
 */
export const configureSuite: Config['configureSuite'] = (suite) => {
  if (['browser', 'functional', 'e2e'].includes(suite.name)) {
    return suite.setup(async () => {
      await startTestServer()
      return () => stopTestServer()
    })
  }
}
