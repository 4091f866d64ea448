import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type Product from '#models/product'
import type User from '#models/user'
import AuditTrail from '#services/audit_trail'
import { PRODUCT_SUBJECT, productAuditFields } from '#actions/products/product_audit'
import { lockProduct } from '#actions/products/lock_product'

/**
 * Takes a product off sale (`active: false`) or puts it back. An inactive
 * product keeps its slots and its order history but cannot be bought
 * (BuyProduct refuses it with `product_unavailable`).
 */
@inject()
export default class SetProductActive {
  constructor(protected auditTrail: AuditTrail) {}

  /**
   * @returns the product; when it already was in the asked state nothing
   *   changes and no audit row is written
   * @throws E_ROW_NOT_FOUND when the product does not exist
   */
  async handle(actor: User, productId: number, active: boolean): Promise<Product> {
    return db.transaction(async (trx) => {
      const product = await lockProduct(trx, productId)
      if (product.isActive === active) return product

      const before = productAuditFields(product)
      product.isActive = active
      await product.save()
      await this.auditTrail.record(
        {
          actor,
          action: active ? 'product.reactivate' : 'product.deactivate',
          subjectType: PRODUCT_SUBJECT,
          subjectId: product.id,
          before,
          after: productAuditFields(product),
        },
        trx
      )
      return product
    })
  }
}
