import vine, { SimpleMessagesProvider } from '@vinejs/vine'

/**
 * Longest comment a shopper may leave with a rating, in characters
 * (after trimming).
 */
export const FEEDBACK_COMMENT_MAX = 500

/**
 * A shopper's rating of a settled order: `POST /api/v1/orders/:id/feedback`
 * and the shopper page's form `POST /m/:code/orders/:id/feedback`.
 * `rating` is a whole number of stars, 1 to 5 (a form sends it as text,
 * so numeric strings pass; `"x"` does not). `comment` is optional, trimmed,
 * at most `FEEDBACK_COMMENT_MAX` characters; empty means none.
 */
export const orderFeedbackValidator = vine.compile(
  vine.object({
    rating: vine.number().withoutDecimals().min(1).max(5),
    comment: vine.string().trim().maxLength(FEEDBACK_COMMENT_MAX).nullable().optional(),
  })
)
orderFeedbackValidator.messagesProvider = new SimpleMessagesProvider({
  'rating.required': 'Choose a rating from 1 to 5 stars.',
  'rating.number': 'The rating must be a whole number from 1 to 5.',
  'rating.withoutDecimals': 'The rating must be a whole number from 1 to 5.',
  'rating.min': 'The rating must be a whole number from 1 to 5.',
  'rating.max': 'The rating must be a whole number from 1 to 5.',
  'comment.string': 'The comment must be text.',
  'comment.maxLength': 'The comment can be at most {{ max }} characters.',
})

/**
 * `GET /admin/feedback` query filters, each optional (empty inputs are
 * dropped before validating).
 */
export const adminFeedbackFilterValidator = vine.compile(
  vine.object({
    machine: vine.number().withoutDecimals().min(1).optional(),
    product: vine.number().withoutDecimals().min(1).optional(),
    page: vine.number().withoutDecimals().min(1).max(100_000).optional(),
  })
)
