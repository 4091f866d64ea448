import vine from '@vinejs/vine'

/**
 * `GET /admin/analytics/insights` and `/admin/analytics.csv` query. Days
 * are checked by `resolveSalesRange` (which refuses a bad range with
 * `invalid_range`), the report name by `salesCsvTable`; empty inputs are
 * dropped before validating.
 */
export const salesInsightsValidator = vine.compile(
  vine.object({
    from: vine.string().trim().maxLength(32).optional(),
    to: vine.string().trim().maxLength(32).optional(),
    machine: vine.number().withoutDecimals().min(1).optional(),
    report: vine.string().trim().maxLength(32).optional(),
  })
)

/**
 * `GET /admin/machines/:id/planogram?window=` — days of sales the
 * planogram suggestions look at. Any whole number is accepted here and
 * clamped to 7..90 by `PlanogramSuggestions`.
 */
export const planogramSuggestionsValidator = vine.compile(
  vine.object({
    window: vine.number().withoutDecimals().optional(),
  })
)
