import { mkdir, rm } from 'node:fs/promises'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { MultipartFile } from '@adonisjs/core/bodyparser'
import bodyParserConfig from '#config/bodyparser'
import uploadsConfig from '#config/uploads'

/**
 * Whether multipart bodies are read into temp files on the route `pattern`:
 * by the body parser (`multipart.autoProcess` in config/bodyparser.ts) or
 * by the route itself (`multipart.processManually`, e.g. firmware uploads).
 */
function takesUploads(pattern: string | undefined): boolean {
  const { autoProcess, processManually } = bodyParserConfig.multipart
  return (
    autoProcess === true ||
    (pattern !== undefined &&
      ((Array.isArray(autoProcess) && autoProcess.includes(pattern)) ||
        processManually.includes(pattern)))
  )
}

/**
 * Every uploaded file in `value` (what `request.allFiles()` returns: files,
 * arrays of them, objects of them for `name[key]` fields).
 */
function* filesIn(value: unknown): Generator<MultipartFile> {
  if (value instanceof MultipartFile) {
    yield value
  } else if (Array.isArray(value)) {
    for (const item of value) yield* filesIn(item)
  } else if (value && typeof value === 'object') {
    for (const item of Object.values(value)) yield* filesIn(item)
  }
}

/**
 * Deletes the temp files of a request's uploads when it ends, whatever its
 * outcome: refused by auth, CSRF or validation, failed with an exception,
 * or done (a file the controller moved away is no longer there). The body
 * parser writes them before any route middleware runs and never deletes
 * them itself, so without this every multipart request would leave its
 * files behind, for good.
 *
 * Registered just before the body parser (start/kernel.ts) so that it also
 * covers a request the parser refuses (413) after writing some files; the
 * file it was writing when a request failed, the parser deletes itself.
 * Creates `uploadsConfig.tmpDirectory` for the parser on upload routes.
 */
export default class UploadTmpFilesMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    if (!takesUploads(ctx.route?.pattern)) return next()

    await mkdir(uploadsConfig.tmpDirectory, { recursive: true })
    try {
      return await next()
    } finally {
      const files = [...filesIn(ctx.request.allFiles())]
      await Promise.all(
        files.map((file) => (file.tmpPath ? rm(file.tmpPath, { force: true }) : null))
      )
    }
  }
}
