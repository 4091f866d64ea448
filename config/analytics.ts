import { IANAZone } from 'luxon'
import env from '#start/env'

/**
 * The operator's time zone (IANA name, e.g. `Asia/Kolkata`): the sales
 * insights' days and the heatmap's hours are read on its clock. `APP_TZ`,
 * else the process's `TZ`, else UTC.
 */
const timeZone = env.get('APP_TZ') ?? process.env.TZ ?? 'UTC'

// A typo must stop the boot, not quietly report in UTC.
if (!IANAZone.isValidZone(timeZone)) {
  throw new Error(`APP_TZ: "${timeZone}" is not an IANA time zone name (e.g. Asia/Kolkata).`)
}

const analyticsConfig = {
  timeZone,
}

export default analyticsConfig
