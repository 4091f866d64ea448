import app from '@adonisjs/core/services/app'
import env from '#start/env'

/**
 * Where uploaded files live and how they are reached.
 *
 * Product images are stored on disk, outside `public/`, under
 * `PRODUCT_UPLOADS_DIR` (relative to the app root; default
 * `storage/uploads/products`, git-ignored), each under a random name, and
 * served by `GET /uploads/products/:file` (see UploadsController).
 */
const uploadsConfig = {
  products: {
    directory: app.makePath(env.get('PRODUCT_UPLOADS_DIR') || 'storage/uploads/products'),
    urlPrefix: '/uploads/products',
    maxSize: '2mb',
    /**
     * Extensions accepted; the file's first bytes are checked as well.
     */
    extnames: ['jpg', 'jpeg', 'png', 'webp'],
    contentTypes: {
      jpg: 'image/jpeg',
      jpeg: 'image/jpeg',
      png: 'image/png',
      webp: 'image/webp',
    } as Record<string, string>,
  },

  /**
   * Where the body parser streams the files of a multipart request before
   * a controller moves them: `tmp/uploads` under the app root (writable in
   * the Docker image, one folder per deployment rather than the shared OS
   * temp folder). Whatever a request leaves there is deleted when it ends
   * (UploadTmpFilesMiddleware).
   */
  tmpDirectory: app.tmpPath('uploads'),

  /**
   * The most file bytes one multipart request may carry (config/bodyparser.ts):
   * twice `products.maxSize`. Past it the request is refused with 413.
   */
  requestLimit: '4mb',
}

export default uploadsConfig
