/*
|--------------------------------------------------------------------------
| Edge globals
|--------------------------------------------------------------------------
*/
import edge from 'edge.js'
import app from '@adonisjs/core/services/app'
import { DateTime } from 'luxon'

/*
 * edge.js 6.5 decides at construction, before AdonisJS turns its cache on,
 * that its components plugin re-lists every mounted views folder on every
 * `createRenderer()`, i.e. on every request that touches `ctx.view`
 * (bouncer's middleware does, for every route). With templates cached in
 * production a new component file is not picked up anyway, so the listing
 * is read once there; development keeps re-reading it.
 */
if (app.inProduction) {
  const listComponents = edge.loader.listComponents.bind(edge.loader)
  let components: ReturnType<typeof listComponents> | undefined
  edge.loader.listComponents = () => (components ??= listComponents())
}

const rupeeFormat = new Intl.NumberFormat('en-IN', { style: 'currency', currency: 'INR' })

/**
 * Paise (integer) → "₹1,234.50". Money is formatted only in views.
 */
edge.global('rupees', (paise: number) => rupeeFormat.format(Number(paise) / 100))

/**
 * A value as a JavaScript literal safe inside an inline <script>.
 */
edge.global('js', (value: unknown) => JSON.stringify(value ?? null).replace(/</g, '\\u003c'))

/**
 * An ISO 8601 time (as read services hand them to views) → "05 Dec 2026,
 * 14:03" in the server's zone; '' for null.
 */
edge.global('isoTime', (iso: string | null) =>
  iso ? DateTime.fromISO(iso).toFormat('dd LLL yyyy, HH:mm') : ''
)

/**
 * Minutes after 00:00 UTC → "HH:MM" (device quiet hours, PROTOCOL.md
 * §13.2); empty for no value.
 */
edge.global('utcTimeOfDay', (minutes: number | null | undefined) =>
  typeof minutes === 'number'
    ? `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`
    : ''
)
