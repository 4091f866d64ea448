/*
|--------------------------------------------------------------------------
| Creates `.env` from `.env.example` on first run
|--------------------------------------------------------------------------
|
| Runs before `npm run demo` so a fresh clone starts without manual steps.
| It writes a random APP_KEY and never touches an existing `.env`.
*/
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'

const target = new URL('../.env', import.meta.url)
if (!existsSync(target)) {
  const example = readFileSync(new URL('../.env.example', import.meta.url), 'utf8')
  const key = randomBytes(32).toString('base64url')
  writeFileSync(target, example.replace(/^APP_KEY=.*$/m, `APP_KEY=${key}`))
  console.log('Created .env with a fresh APP_KEY')
}
