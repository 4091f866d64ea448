import { randomUUID } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import firmwareConfig from '#config/firmware'
import uploadsConfig from '#config/uploads'

/**
 * The most bytes a firmware upload request may carry: twice the image
 * limit, so an image a little too big still gets the form's own message,
 * and anything bigger 413.
 */
export const FIRMWARE_UPLOAD_LIMIT = firmwareConfig.maxBytes * 2

/**
 * Reads the multipart body of a firmware upload (`POST /admin/firmware`)
 * into temp files in `uploadsConfig.tmpDirectory`, as the body parser does
 * for product images, but with the firmware limit and only once the
 * route's auth and admin middleware have let the request through: a
 * firmware image may be several times bigger than the parser's global
 * multipart limit, and nobody but an admin gets that far. The route is in
 * `multipart.processManually` (config/bodyparser.ts), so the parser leaves
 * its body unread; UploadTmpFilesMiddleware deletes the temp files when
 * the request ends. Put before `shield`, which reads the CSRF field from
 * the body.
 */
export default class FirmwareUploadMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const multipart = ctx.request.multipart
    if (multipart && multipart.state === 'idle' && ctx.request.is(['multipart/form-data'])) {
      multipart.onFile('*', { deferValidations: true }, async (part, reporter) => {
        const tmpPath = join(uploadsConfig.tmpDirectory, randomUUID())
        try {
          part.pause()
          part.on('data', reporter)
          await pipeline(part, createWriteStream(tmpPath))
          return { tmpPath }
        } catch (error) {
          await rm(tmpPath, { force: true })
          multipart.abort(error)
        }
      })
      await multipart.process({ limit: FIRMWARE_UPLOAD_LIMIT })
    }
    return next()
  }
}
