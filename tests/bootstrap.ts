import { existsSync } from 'node:fs'
import { assert } from '@japa/assert'
import { apiClient } from '@japa/api-client'
import app from '@adonisjs/core/services/app'
import type { Config } from '@japa/runner/types'
import { pluginAdonisJS } from '@japa/plugin-adonisjs'
import { sessionApiClient } from '@adonisjs/session/plugins/api_client'
import { shieldApiClient } from '@adonisjs/shield/plugins/api_client'
import { authApiClient } from '@adonisjs/auth/plugins/api_client'
import { sessionBrowserClient } from '@adonisjs/session/plugins/browser_client'
import { authBrowserClient } from '@adonisjs/auth/plugins/browser_client'
import { browserClient } from '@japa/browser-client'
import { chromium } from 'playwright'
import { spec } from '@japa/runner/reporters'
import testUtils from '@adonisjs/core/services/test_utils'
import { startTestServer, stopTestServer } from '#tests/helpers/server'
import { summaryLineReporter } from '#tests/reporters/summary_line'
import { fileTimingsReporter } from '#tests/reporters/file_timings'

/**
 * Debian's Chromium (Playwright's own browser downloads cannot work here).
 */
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/**
 * Japa plugins.
 */
export const plugins: Config['plugins'] = [
  assert(),
  apiClient(),
  pluginAdonisJS(app),
  sessionApiClient(app),
  shieldApiClient(),
  authApiClient(app),
  browserClient({
    runInSuites: ['browser'],
    contextOptions: { baseURL: `http://${process.env.HOST}:${process.env.PORT}` },
    launcher: (options) =>
      chromium.launch({
        ...options,
        executablePath: CHROMIUM_PATH,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--no-first-run',
        ],
      }),
  }),
  sessionBrowserClient(app),
  authBrowserClient(app),
]

/**
 * Reporters: japa's `spec` output for people, then one plain
 * `N passed, N failed` line for CI, which also fails a run where no test
 * ran (see tests/reporters/summary_line.ts). With `TEST_TIMINGS_PATH` set
 * (bin/test_parallel.js sets it for each worker), each file's duration too.
 */
export const reporters: Config['reporters'] = {
  activated: ['spec', 'summary-line', ...(process.env.TEST_TIMINGS_PATH ? ['file-timings'] : [])],
  list: [spec(), summaryLineReporter(), fileTimingsReporter()],
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
  if (suite.name === 'browser' && !existsSync(CHROMIUM_PATH)) {
    // CI installs Chromium and must run these; on a laptop without it they
    // are reported as skipped, loudly, rather than failing everything else.
    if (process.env.CI)
      throw new Error(`Chromium not found at ${CHROMIUM_PATH}: apt-get install chromium`)
    console.warn(
      `\n  Browser tests skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install chromium)\n`
    )
    suite.onTest((t) => t.skip(true, 'Chromium is not installed'))
    suite.onGroup((group) => group.tap((t) => t.skip(true, 'Chromium is not installed')))
    return
  }
  if (['browser', 'functional', 'e2e'].includes(suite.name)) {
    return suite.setup(async () => {
      await startTestServer()
      return () => stopTestServer()
    })
  }
}
