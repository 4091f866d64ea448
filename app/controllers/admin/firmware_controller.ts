import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import firmwareConfig from '#config/firmware'
import FirmwareRelease from '#models/firmware_release'
import PublishFirmwareRelease from '#actions/firmware/publish_firmware_release'
import { firmwareUploadValidator } from '#validators/firmware'

/**
 * Firmware releases in the admin panel: the list and the upload form. The
 * rule lives in `#actions/firmware/publish_firmware_release`.
 */
export default class FirmwareController {
  /**
   * GET /admin/firmware — every release, newest first, and the form.
   */
  async index({ view }: HttpContext) {
    const releases = await FirmwareRelease.query().preload('publisher').orderBy('id', 'desc')
    return view.render('pages/admin/firmware/index', {
      title: 'Firmware',
      active: 'firmware',
      releases,
      maxBytes: firmwareConfig.maxBytes,
    })
  }

  /**
   * POST /admin/firmware (multipart: version, notes, image) — publishes a
   * release; a refusal goes back to the form (exception handler).
   */
  @inject()
  async store({ request, response, session, auth }: HttpContext, publish: PublishFirmwareRelease) {
    const data = await request.validateUsing(firmwareUploadValidator)
    const release = await publish.handle(auth.user!, {
      version: data.version,
      notes: data.notes,
      imagePath: data.image.tmpPath!,
    })
    session.flash('notice', `Firmware ${release.version} was published and signed.`)
    return response.redirect().toRoute('admin.firmware.index')
  }
}
