import { randomUUID } from 'node:crypto'
import { mkdir, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { MultipartFile } from '@adonisjs/core/bodyparser'
import uploadsConfig from '#config/uploads'

/**
 * A stored image's file name: what `store` produces, and the only shape
 * `pathOf` will resolve (no slashes, no dots but the extension's).
 */
const STORED_NAME =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.(jpg|jpeg|png|webp)$/

/**
 * Product pictures on disk, in `uploadsConfig.products.directory`, under
 * random names. Files are written before the database transaction that
 * refers to them and removed only after the one that drops the reference
 * has committed, so a row never points at a missing file.
 */
export default class ProductImages {
  /**
   * Moves a validated upload into the uploads folder (created if missing).
   *
   * @returns the public URL path stored in `products.image_path`, e.g.
   *   `/uploads/products/0b6e….png`
   */
  async store(file: MultipartFile): Promise<string> {
    const { directory, urlPrefix } = uploadsConfig.products
    await mkdir(directory, { recursive: true })
    const extname = (file.extname ?? 'bin').toLowerCase()
    const name = `${randomUUID()}.${extname}`
    await file.move(directory, { name, overwrite: false })
    if (file.state !== 'moved')
      throw new Error(
        `Could not store the product image: ${file.errors[0]?.message ?? 'unknown error'}`
      )
    return `${urlPrefix}/${name}`
  }

  /**
   * Deletes the file behind a public path written by `store`. Paths that
   * are not ours (null, external URLs) are ignored, and so is a missing file.
   */
  async remove(publicPath: string | null | undefined): Promise<void> {
    const prefix = `${uploadsConfig.products.urlPrefix}/`
    if (!publicPath?.startsWith(prefix)) return
    const path = ProductImages.pathOf(publicPath.slice(prefix.length))
    if (path) await rm(path, { force: true })
  }

  /**
   * The absolute path of stored image `name`, or null when the name is not
   * one `store` could have produced (so `../` and friends never resolve).
   */
  static pathOf(name: string): string | null {
    return STORED_NAME.test(name) ? join(uploadsConfig.products.directory, name) : null
  }

  /**
   * Whether stored image `name` exists as a regular file.
   */
  static async exists(name: string): Promise<boolean> {
    const path = ProductImages.pathOf(name)
    if (!path) return false
    try {
      const stats = await stat(path)
      return stats.isFile()
    } catch {
      return false
    }
  }
}
