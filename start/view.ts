/*
|--------------------------------------------------------------------------
| Edge globals
|--------------------------------------------------------------------------
*/
import edge from 'edge.js'

const rupeeFormat = new Intl.NumberFormat('en-IN', { style: 'currency', currency: 'INR' })

/**
 * Paise (integer) → "₹1,234.50". Money is formatted only in views.
 */
edge.global('rupees', (paise: number) => rupeeFormat.format(Number(paise) / 100))

/**
 * A value as a JavaScript literal safe inside an inline <script>.
 */
edge.global('js', (value: unknown) => JSON.stringify(value ?? null).replace(/</g, '\\u003c'))
