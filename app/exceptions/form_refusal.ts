import type VendingException from '#exceptions/vending_exception'

/**
 * How a refused form (a `VendingException` out of a POST from a page)
 * ends, when not the default of the exception handler: back to the page
 * the form sits on, its message as the `error` flash (and next to its
 * `field`, when it names one), the form's values kept for `old()`.
 *
 * A controller sets it on the request before calling its action, e.g. a
 * confirmation page whose refusal belongs on the page it confirms for:
 *
 * ```ts
 * ctx.formRefusal = { redirectTo: router.makeUrl('admin.orders.show', { id: order.id }) }
 * ```
 */
export interface FormRefusal {
  /** the path the refusal redirects to, instead of the referring page */
  redirectTo?: string
  /**
   * The panel's own wording for a refusal, by exception code, when the
   * exception's message speaks to someone else (a shopper): the `error`
   * flash, and the message next to `field`.
   */
  wording?: Record<string, { message: string; field?: string; fieldMessage?: string }>
  /**
   * The input a refusal belongs next to, by exception code, when the form
   * calls it otherwise than the exception's `field` (the exception's
   * message is kept), e.g. `{ no_machines_selected: 'tag' }` on a form
   * where the machines were picked by tag.
   */
  fields?: Record<string, string>
  /**
   * A page read with GET whose filter form was refused (e.g. a bad date
   * range): the page as re-rendered with the refusal shown on its form,
   * sent with the exception's status. Without it a refused GET gets an
   * error page (a redirect back could only loop).
   */
  render?: (error: VendingException) => Promise<string> | string
}

declare module '@adonisjs/core/http' {
  interface HttpContext {
    formRefusal?: FormRefusal
  }
}
