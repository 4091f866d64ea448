import app from '@adonisjs/core/services/app'
import { type HttpContext, ExceptionHandler } from '@adonisjs/core/http'
import type { StatusPageRange, StatusPageRenderer } from '@adonisjs/core/types/http'
import { errors as vineErrors } from '@vinejs/vine'
import { errors as limiterErrors } from '@adonisjs/limiter'
import VendingException from '#exceptions/vending_exception'
import type { FormRefusal } from '#exceptions/form_refusal'

/**
 * One error of the API's error body `{ errors: [ApiError] }`.
 */
export interface ApiError {
  code: string
  message: string
  field?: string
}

/**
 * Framework errors the API answers with a stable code and a human message.
 */
const KNOWN_ERRORS: Record<string, { code: string; message?: string }> = {
  E_UNAUTHORIZED_ACCESS: { code: 'unauthorized', message: 'A valid bearer token is required.' },
  E_AUTHORIZATION_FAILURE: { code: 'forbidden', message: 'You may not act on this resource.' },
  E_ROUTE_NOT_FOUND: { code: 'not_found', message: 'No such endpoint.' },
  E_HTTP_REQUEST_ABORTED: { code: 'bad_request' },
  E_TOO_MANY_REQUESTS: {
    code: 'too_many_requests',
    message: 'Too many requests. Try again later.',
  },
  E_BAD_CSRF_TOKEN: {
    code: 'bad_csrf_token',
    message: 'This page has expired. Reload it and try again.',
  },
}

/**
 * Turns every error into the API's JSON shape for `/api` requests (and
 * pages' scripts asking for JSON), a business refusal of a form into a
 * flash on the page it came from, and anything else into a status page.
 * Bad input never becomes a 500: body-parser errors (malformed JSON,
 * oversized bodies) keep their 4xx status.
 */
export default class HttpExceptionHandler extends ExceptionHandler {
  protected debug = !app.inProduction

  /**
   * Pages (not the API) get error pages in the panel's layout.
   */
  protected renderStatusPages = true

  protected statusPages: Record<StatusPageRange, StatusPageRenderer> = {
    '401': (error, ctx) => this.errorPage(ctx, { status: 401, title: 'Please log in', error }),
    '403': (error, ctx) => this.errorPage(ctx, { status: 403, title: 'Not allowed', error }),
    '404': (error, ctx) => this.errorPage(ctx, { status: 404, title: 'Page not found', error }),
    // In development a 500 keeps the framework's debugging page.
    ...((app.inProduction || app.inTest
      ? {
          '500..599': (_error, ctx) =>
            this.errorPage(ctx, { status: 500, title: 'Something went wrong', error: null }),
        }
      : {}) as Record<StatusPageRange, StatusPageRenderer>),
  }

  async handle(error: unknown, ctx: HttpContext) {
    if (error instanceof limiterErrors.E_TOO_MANY_REQUESTS) return this.tooManyRequests(error, ctx)
    if (this.wantsJson(ctx)) {
      const { status, errors } = this.toApiErrors(error)
      return ctx.response.status(status).send({ errors })
    }
    // A refused form (a POST) goes back to its page; a GET could only loop.
    const page = this.isShopperPage(ctx) || this.isPanelPage(ctx)
    if (error instanceof VendingException && page && ctx.request.method() !== 'GET') {
      return this.flashBackToForm(error, ctx)
    }
    if (error instanceof VendingException && page && ctx.formRefusal?.render) {
      return ctx.response.status(error.status).send(await ctx.formRefusal.render(error))
    }
    return super.handle(error, ctx)
  }

  /**
   * A rate limit refused the request (start/limiter.ts): 429 with
   * `Retry-After` (seconds) and `X-RateLimit-*` headers everywhere; the API
   * answers `too_many_requests`, a shopper-page form goes back to its page
   * with the message as a flash, a shopper-page visit gets the error page.
   */
  protected async tooManyRequests(
    error: InstanceType<typeof limiterErrors.E_TOO_MANY_REQUESTS>,
    ctx: HttpContext
  ) {
    const seconds = Math.max(1, Math.ceil(error.response.availableIn))
    for (const [name, value] of Object.entries(error.getDefaultHeaders()))
      ctx.response.header(name, value)
    ctx.response.header('Retry-After', seconds)
    const message = `Too many requests. Please try again in ${seconds < 120 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`}.`
    if (this.wantsJson(ctx)) {
      return ctx.response.status(429).send({ errors: [{ code: 'too_many_requests', message }] })
    }
    if (this.isShopperPage(ctx) && ctx.request.method() !== 'GET') {
      return this.flashBackToForm({ message, code: 'too_many_requests' }, ctx)
    }
    if (this.isShopperPage(ctx)) {
      const page = await this.errorPage(ctx, {
        status: 429,
        title: 'Too many requests',
        error: { message },
      })
      return ctx.response.status(429).send(page)
    }
    return super.handle(error, ctx)
  }

  /**
   * Error pages in the layout of the area they belong to: the shopper's
   * page at a machine (`/m/...`) or the panel.
   */
  protected errorPage(ctx: HttpContext, state: { status: number; title: string; error: unknown }) {
    return ctx.view.render(
      this.isShopperPage(ctx) ? 'pages/shopper/error' : 'pages/errors/error',
      state
    )
  }

  protected isShopperPage(ctx: HttpContext) {
    return ctx.request.url().startsWith('/m/')
  }

  protected isPanelPage(ctx: HttpContext) {
    const url = ctx.request.url()
    return url === '/admin' || url.startsWith('/admin/')
  }

  /**
   * A refused form, on the shopper's page (sold out, balance short, wrong
   * display code, machine busy...) or in the panel (a test vend the device
   * cannot take, a product still in use, a refund refused...): back to the
   * page it came from with the message as the `error` flash (its code as
   * `errorCode`, next to its input when it names a `field`) and the form's
   * values for `old()`, never a raw error. The controller may send it
   * elsewhere or word it for the panel (`ctx.formRefusal`).
   */
  protected flashBackToForm(
    error: Pick<VendingException, 'message' | 'code' | 'field'>,
    ctx: HttpContext
  ) {
    const { session, response } = ctx
    const refusal: FormRefusal = ctx.formRefusal ?? {}
    const wording = error.code ? refusal.wording?.[error.code] : undefined
    const field = wording
      ? wording.field
      : ((error.code && refusal.fields?.[error.code]) ?? error.field)
    const message = wording?.message ?? error.message

    session.flashExcept(['_csrf', 'idempotency_key'])
    session.flash('error', message)
    if (error.code) session.flash('errorCode', error.code)
    if (field) session.flash('inputErrorsBag', { [field]: [wording?.fieldMessage ?? message] })
    return response.redirect(refusal.redirectTo ?? this.previousPage(ctx))
  }

  /**
   * The referring page when it is one of this host's pages in the same
   * area (shopper's page or panel), else the area's own page: the
   * machine's page for a shopper, the dashboard in the panel.
   */
  protected previousPage(ctx: HttpContext) {
    const { request } = ctx
    const shopper = this.isShopperPage(ctx)
    const area = shopper ? '/m/' : '/admin'
    const fallback = shopper ? `/m/${encodeURIComponent(String(ctx.params?.code ?? ''))}` : '/admin'
    try {
      const referrer = new URL(request.header('referer') ?? '')
      if (referrer.host === request.host() && referrer.pathname.startsWith(area))
        return referrer.pathname
    } catch {
      // no or malformed Referer: the area's page
    }
    return fallback
  }

  /**
   * Business refusals (`VendingException`) are answers, not faults: they
   * are not logged, whatever their status (a 503 `payments_unavailable`
   * included).
   */
  async report(error: unknown, ctx: HttpContext) {
    if (error instanceof VendingException) return
    return super.report(error, ctx)
  }

  /**
   * JSON for the API, for devices fetching firmware (`/firmware/`, which
   * send no Accept header) and for pages' scripts asking for it.
   */
  protected wantsJson(ctx: HttpContext) {
    const url = ctx.request.url()
    return (
      url.startsWith('/api/') ||
      url.startsWith('/firmware/') ||
      ctx.request.accepts(['html', 'json']) === 'json'
    )
  }

  /**
   * Maps an error to an HTTP status and `ApiError`s.
   */
  protected toApiErrors(error: unknown): { status: number; errors: ApiError[] } {
    if (error instanceof vineErrors.E_VALIDATION_ERROR) {
      // Exactly the documented ApiError: VineJS's internal rule names stay out of the contract.
      const messages = error.messages as { field: string; message: string }[]
      return {
        status: 422,
        errors: messages.map((m): ApiError => ({
          code: 'validation_failed',
          message: m.message,
          field: m.field,
        })),
      }
    }

    if (error instanceof VendingException) {
      const errors: ApiError[] = [{ code: error.code ?? 'error', message: error.message }]
      if (error.field) errors[0].field = error.field
      return { status: error.status, errors }
    }

    const err = error as { code?: string; status?: number; message?: string }
    const status =
      typeof err?.status === 'number' && err.status >= 400 && err.status < 600 ? err.status : 500
    const known = err?.code ? KNOWN_ERRORS[err.code] : undefined

    if (err?.code === 'E_ROW_NOT_FOUND') {
      const model = (error as { model?: { name?: string } }).model?.name
      return {
        status: 404,
        errors: [{ code: 'not_found', message: model ? `${model} not found.` : 'Not found.' }],
      }
    }
    // A policy that hides someone else's resource answers as if it did not
    // exist. Bouncer keeps the policy's status and message on the denial
    // (`error.response`); the exception's own `status` is always 403.
    const denial =
      err?.code === 'E_AUTHORIZATION_FAILURE'
        ? (error as { response?: { status?: number; message?: string } }).response
        : undefined
    if (denial?.status === 404) {
      return {
        status: 404,
        errors: [{ code: 'not_found', message: denial.message || 'Not found.' }],
      }
    }
    if (known) {
      return {
        status,
        errors: [{ code: known.code, message: known.message ?? err.message ?? known.code }],
      }
    }

    if (status < 500) {
      return {
        status,
        errors: [{ code: this.codeForStatus(status), message: err?.message || 'Bad request.' }],
      }
    }
    return {
      status: 500,
      errors: [{ code: 'internal_error', message: 'Something went wrong on our side.' }],
    }
  }

  protected codeForStatus(status: number) {
    if (status === 413) return 'payload_too_large'
    if (status === 415) return 'unsupported_media_type'
    if (status === 404) return 'not_found'
    if (status === 400 || status === 422) return 'bad_request'
    return 'error'
  }
}
