import { defineConfig } from '@adonisjs/cors'

/**
 * The JSON API is for other programs too; bearer tokens (not cookies)
 * authenticate it, so cross-origin calls carry no ambient credentials.
 */
export default defineConfig({
  enabled: true,
  origin: true,
  methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'],
  headers: true,
  exposeHeaders: ['Retry-After'],
  credentials: false,
  maxAge: 90,
})
