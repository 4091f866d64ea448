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

/**
 * Adds a product to the catalogue (admin panel). New products
 * are on sale (`is_active`) at once.
 */
@inject()
export default class CreateProduct {
  constructor(
    protected images: ProductImages,
    protected auditTrail: AuditTrail
  ) {}

  /**
   * @param input validated values; `image` is an already validated upload
   * @returns the new product
   */
  async handle(
    actor: User,
    input: ProductInput & { image?: MultipartFile | null }
  ): Promise<Product> {
    // The file is written first and deleted again if the rows are not.
    const imagePath = input.image ? await this.images.store(input.image) : null
    try {
      return await db.transaction(async (trx) => {
        const product = await Product.create(
          {
            name: input.name,
            description: input.description ?? null,
            pricePaise: input.pricePaise,
            isRefundable: input.isRefundable ?? false,
            isActive: true,
            imagePath,
          },
          { client: trx }
        )
        await this.auditTrail.record(
          {
            actor,
            action: 'product.create',
            subjectType: PRODUCT_SUBJECT,
            subjectId: product.id,
            after: productAuditFields(product),
          },
          trx
        )
        return product
      })
    } catch (error) {
      await this.images.remove(imagePath)
      throw error
    }
  }
}
