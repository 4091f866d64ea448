import { extname } from 'node:path'
import type { HttpContext } from '@adonisjs/core/http'
import uploadsConfig from '#config/uploads'
import ProductImages from '#actions/products/product_images'

/**
 * Uploaded files, served from their folder outside `public/`.
 */
export default class UploadsController {
  /**
   * GET /uploads/products/:file — a stored product image, public (the
   * shopper catalogue shows it too). Only names the upload code produces
   * resolve, and only to existing files in the products folder.
   */
  async product({ params, response }: HttpContext) {
    const name = String(params.file)
    if (!(await ProductImages.exists(name))) return response.notFound('Not found')

    const type = uploadsConfig.products.contentTypes[extname(name).slice(1).toLowerCase()]
    response.header('Content-Type', type)
    response.header('X-Content-Type-Options', 'nosniff')
    // Names are random and never reused, so a file never changes.
    response.header('Cache-Control', 'public, max-age=31536000, immutable')
    return response.download(ProductImages.pathOf(name)!)
  }
}
