import app from '@adonisjs/core/services/app'
import type { HttpContext } from '@adonisjs/core/http'

/**
 * Front-end libraries served from node_modules, so pages load no CDN
 * script and need no build step. Only the files listed here are reachable.
 */
const VENDOR_ASSETS: Record<string, { path: string; type: string }> = {
  'pico.min.css': { path: '@picocss/pico/css/pico.min.css', type: 'text/css; charset=utf-8' },
  'chart.umd.js': { path: 'chart.js/dist/chart.umd.js', type: 'text/javascript; charset=utf-8' },
  'socket.io.min.js': {
    path: 'socket.io/client-dist/socket.io.min.js',
    type: 'text/javascript; charset=utf-8',
  },
}

export default class AssetsController {
  /**
   * GET /assets/vendor/:name — a listed vendor file, cached for a day.
   */
  async vendor({ params, response }: HttpContext) {
    const asset = VENDOR_ASSETS[params.name]
    if (!asset) return response.notFound('Not found')
    response.header('Content-Type', asset.type)
    response.header('Cache-Control', 'public, max-age=86400')
    return response.download(app.makePath('node_modules', asset.path))
  }
}
