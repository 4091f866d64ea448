import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type { MultipartFile } from '@adonisjs/core/bodyparser'
import Product from '#models/product'
import type User from '#models/user'
import AuditTrail from '#services/audit_trail'
import ProductImages from '#actions/products/product_images'
import {
  PRODUCT_SUBJECT,
  productAuditFields,
  type ProductInput,
} from '#actions/products/product_audit'
import { lockProduct } from '#actions/products/lock_product'

/**
 * Changes a product's name, description, price, refundability or picture.
 * Orders already placed keep the price they were bought at (they hold
 * their own copy); only later purchases see the new price.
 */
@inject()
export default class UpdateProduct {
  constructor(
    protected images: ProductImages,
    protected auditTrail: AuditTrail
  ) {}

  /**
   * @param input validated values; `image` replaces the picture,
   *   `removeImage` drops it when no new one is given
   * @returns the product, updated (unchanged when nothing differed: then
   *   no audit row is written)
   * @throws E_ROW_NOT_FOUND when the product does not exist
   */
  async handle(
    actor: User,
    productId: number,
    input: ProductInput & { image?: MultipartFile | null; removeImage?: boolean }
  ): Promise<Product> {
    const newImagePath = input.image ? await this.images.store(input.image) : null
    let replacedImage: string | null = null
    try {
      const product = await db.transaction(async (trx) => {
        const row = await lockProduct(trx, productId)
        const before = productAuditFields(row)
        row.merge({
          name: input.name,
          description: input.description ?? null,
          pricePaise: input.pricePaise,
          isRefundable: input.isRefundable ?? false,
        })
        if (newImagePath || input.removeImage) {
          replacedImage = row.imagePath
          row.imagePath = newImagePath
        }
        if (!row.$isDirty) return row

        await row.save()
        await this.auditTrail.record(
          {
            actor,
            action: 'product.update',
            subjectType: PRODUCT_SUBJECT,
            subjectId: row.id,
            before,
            after: productAuditFields(row),
          },
          trx
        )
        return row
      })
      await this.images.remove(replacedImage)
      return product
    } catch (error) {
      await this.images.remove(newImagePath)
      throw error
    }
  }
}
