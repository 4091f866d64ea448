import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import { defineConfig } from '@adonisjs/core/bodyparser'
import uploadsConfig from '#config/uploads'

export default defineConfig({
  allowedMethods: ['POST', 'PUT', 'PATCH', 'DELETE'],

  form: {
    convertEmptyStringsToNull: true,
    types: ['application/x-www-form-urlencoded'],
  },

  /*
   * JSON bodies are small here (a few fields); a low limit refuses abuse
   * early with 413.
   */
  json: {
    convertEmptyStringsToNull: true,
    limit: '64kb',
    strict: true,
    types: [
      'application/json',
      'application/json-patch+json',
      'application/vnd.api+json',
      'application/csp-report',
    ],
  },

  /*
   * Multipart bodies are parsed, and their files written to
   * `uploadsConfig.tmpDirectory`, only on the routes that take an upload
   * (a product's image, routes/admin/products.ts); elsewhere a multipart
   * body is left unread. The parser runs before any route middleware
   * (auth, CSRF), so the cap is what one image needs: twice the image
   * limit, so that a picture a little too big still gets the form's own
   * message, and anything bigger 413. UploadTmpFilesMiddleware deletes the
   * temp files when the request ends.
   *
   * A firmware image (`POST /admin/firmware`) may be bigger than this cap:
   * that route reads its body itself, after auth, with its own limit
   * (FirmwareUploadMiddleware).
   */
  multipart: {
    autoProcess: ['/admin/products', '/admin/products/:id'],
    convertEmptyStringsToNull: true,
    processManually: ['/admin/firmware'],
    limit: uploadsConfig.requestLimit,
    // The product form's text fields (a 2000-character description at most).
    fieldsLimit: '64kb',
    maxFields: 20,
    types: ['multipart/form-data'],
    tmpFileName: () => join(uploadsConfig.tmpDirectory, randomUUID()),
  },
})
