import { rm } from 'node:fs/promises'
import { stripVTControlCharacters } from 'node:util'
import { test } from '@japa/runner'
import { freeTcpPort, startProcess } from '#tests/helpers/processes'

/**
 * `node ace demo` as a person runs it (development mode, pretty logs), in
 * a child process on a free port with a throwaway SQLite file: what it
 * prints per request must leave the walk-through and the credentials
 * readable for a long session.
 */
test.group('Demo output', () => {
  test('one log line for a page, none for static files, and a favicon', async ({
    assert,
    cleanup,
  }) => {
    const port = await freeTcpPort()
    const database = `tmp/test-demo-${port}.sqlite3`
    const demo = startProcess('node', ['ace', 'demo'], {
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'info',
      DB_CONNECTION: 'sqlite',
      SQLITE_PATH: database,
      DISCOVERY_ENABLED: 'false',
      PAYMENT_DRIVER: 'demo',
    })
    cleanup(async () => {
      await demo.stop()
      await Promise.all(
        ['', '-wal', '-shm'].map((suffix) => rm(database + suffix, { force: true }))
      )
    })
    await demo.waitForOutput(/Vendora demo is running/, 60_000)
    // The simulator's device connects just after the banner (the log's
    // line, not the banner's words): later lines are the requests'.
    await demo.waitForOutput(/INFO.*device connected/, 15_000)
    const url = `http://127.0.0.1:${port}`
    const before = demo.output.length

    // What a browser fetches along with a page: the layout's files and the favicon.
    for (const path of [
      '/css/shopper.css',
      '/js/shopper.js',
      '/assets/vendor/pico.min.css',
      '/favicon.svg',
    ]) {
      const response = await fetch(url + path)
      await response.arrayBuffer()
      assert.equal(response.status, 200, path)
    }
    const favicon = await fetch(`${url}/favicon.ico`)
    const icon = Buffer.from(await favicon.arrayBuffer())
    assert.equal(favicon.status, 200, '/favicon.ico')
    assert.deepEqual([...icon.subarray(0, 4)], [0, 0, 1, 0], 'an ICO file (reserved 0, type 1)')

    const page = await fetch(`${url}/m/demo-1`)
    const html = await page.text()
    assert.equal(page.status, 200)
    assert.include(html, '<link rel="icon" href="/favicon.ico"')
    // The page's `url` field, in either layout (one line, or a line per key).
    await demo.waitForOutput(/url"?: ?"\/m\/demo-1"/, 10_000)

    // Written in request order to one stream: a line for any file above
    // would be in by now.
    // Without ANSI colour codes, should the pretty printer colour its output.
    const lines = stripVTControlCharacters(demo.output.slice(before))
      .split('\n')
      .filter((line) => line.trim() !== '')
    const requestLines = lines.filter((line) => line.includes('request completed'))
    assert.lengthOf(requestLines, 1, lines.join('\n'))
    assert.include(requestLines[0], '"url":"/m/demo-1"')
    assert.include(requestLines[0], '"status":200')
    for (const file of ['shopper.css', 'shopper.js', 'pico.min.css', 'favicon']) {
      assert.isUndefined(
        lines.find((line) => line.includes(file)),
        `${file} was logged`
      )
    }
    // No `key: value` lines spelling out a request's fields one by one.
    assert.deepEqual(
      lines.filter((line) => /^\s+(method|url|status|route|request_id|duration_ms): /.test(line)),
      []
    )
  }).timeout(120_000)
})
