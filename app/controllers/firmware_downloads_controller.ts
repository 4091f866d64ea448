import { createReadStream } from 'node:fs'
import type { HttpContext } from '@adonisjs/core/http'
import FirmwareRelease from '#models/firmware_release'
import FirmwareReleases, { FIRMWARE_DOWNLOAD_PURPOSE } from '#services/firmware_releases'
import InvalidDownloadUrlException from '#exceptions/invalid_download_url_exception'

/**
 * A byte range of a body of `size` bytes, both ends included.
 */
interface ByteRange {
  start: number
  end: number
}

/**
 * Reads a `Range` header for a body of `size` bytes: one range
 * `bytes=a-b`, `bytes=a-` or `bytes=-n` (the last n bytes).
 *
 * @returns the range (`end` clamped to the body), `'unsatisfiable'` when it
 *   starts past the end, or null to send the whole body (no header, or one
 *   this server does not take, such as several ranges: RFC 9110 §14.2 lets
 *   a server ignore those)
 */
export function parseRange(
  header: string | undefined,
  size: number
): ByteRange | 'unsatisfiable' | null {
  const match = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null
  if (!match || (match[1] === '' && match[2] === '')) return null
  if (match[1] === '') {
    const suffix = Number(match[2])
    if (suffix === 0 || size === 0) return 'unsatisfiable'
    return { start: Math.max(0, size - suffix), end: size - 1 }
  }
  const start = Number(match[1])
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1)
  if (match[2] !== '' && Number(match[2]) < start) return null
  if (start >= size) return 'unsatisfiable'
  return { start, end }
}

/**
 * Firmware images for devices, only through a signed URL made for one
 * machine (FirmwareReleases.downloadUrl).
 */
export default class FirmwareDownloadsController {
  /**
   * GET /firmware/:id/image?machine=…&signature=… — the image, with
   * `Content-Length`, `ETag` (its SHA-256) and `Accept-Ranges: bytes`; a
   * single `Range` gets 206 and `Content-Range`, so a device resumes after
   * a drop, and one starting past the end 416.
   *
   * @throws InvalidDownloadUrlException (403 `invalid_download_url`) for an
   *   unsigned, tampered or expired URL
   */
  async image({ params, request, response }: HttpContext) {
    if (!request.hasValidSignature(FIRMWARE_DOWNLOAD_PURPOSE) || !request.qs().machine)
      throw new InvalidDownloadUrlException()
    const release = await FirmwareRelease.findOrFail(params.id)
    const path = FirmwareReleases.pathOf(release.fileName)!
    const size = release.sizeBytes

    response.header('Content-Type', 'application/octet-stream')
    response.header('Accept-Ranges', 'bytes')
    response.header('ETag', `"${release.sha256}"`)
    // Each URL is made for one machine and soon expires: nothing to share.
    response.header('Cache-Control', 'private, no-store')

    const range = parseRange(request.header('range'), size)
    if (range === 'unsatisfiable') {
      response.header('Content-Range', `bytes */${size}`)
      return response.status(416).send('')
    }
    if (range) {
      response.status(206)
      response.header('Content-Range', `bytes ${range.start}-${range.end}/${size}`)
      response.header('Content-Length', range.end - range.start + 1)
      return response.stream(createReadStream(path, range))
    }
    response.header('Content-Length', size)
    return response.stream(createReadStream(path))
  }
}
