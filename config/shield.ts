import { defineConfig } from '@adonisjs/shield'

const shieldConfig = defineConfig({
  csp: {
    enabled: false,
    directives: {},
    reportOnly: false,
  },

  /*
   * CSRF guards the cookie-authenticated panel. The JSON API authenticates
   * with bearer tokens, and payment webhooks are signed, so both are exempt.
   */
  csrf: {
    enabled: true,
    exceptRoutes: (ctx) =>
      ctx.request.url().startsWith('/api/') || ctx.request.url().startsWith('/webhooks/'),
    enableXsrfCookie: false,
    methods: ['POST', 'PUT', 'PATCH', 'DELETE'],
  },

  xFrame: {
    enabled: true,
    action: 'DENY',
  },

  hsts: {
    enabled: true,
    maxAge: '180 days',
  },

  contentTypeSniffing: {
    enabled: true,
  },
})

export default shieldConfig
