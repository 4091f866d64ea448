import env from '#start/env'

/**
 * Restock planning settings (pick list, days until empty, dashboard).
 */
const restockConfig = {
  /**
   * Days until the next planned restock visit (default 3). A slot whose
   * days until empty is below this runs out before anyone comes: the
   * dashboard flags its machine, and the planogram suggests a higher par
   * when even a full par would not last.
   */
  horizonDays: env.get('RESTOCK_HORIZON_DAYS', 3),

  /**
   * Days of sales the sell rate is taken from (units sold per day).
   */
  salesWindowDays: 14,
}

export default restockConfig
