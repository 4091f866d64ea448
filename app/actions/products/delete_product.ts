import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import type User from '#models/user'
import AuditTrail from '#services/audit_trail'
import VendingException from '#exceptions/vending_exception'
import ProductImages from '#actions/products/product_images'
import { PRODUCT_SUBJECT, productAuditFields } from '#actions/products/product_audit'
import { lockProduct } from '#actions/products/lock_product'

/**
 * Where a product is in use: slots holding it and orders that bought it.
 */
export interface ProductUsage {
  slots: number
  orders: number
}

/**
 * Deletes a product that was never used. A product a slot holds, or that
 * any order refers to, stays: order history must keep its product, and a
 * slot must not silently lose its product. Such a product is deactivated
 * instead (SetProductActive).
 */
@inject()
export default class DeleteProduct {
  constructor(
    protected images: ProductImages,
    protected auditTrail: AuditTrail
  ) {}

  /**
   * @throws VendingException `product_in_use` (409) when a slot or an
   *   order refers to the product
   * @throws E_ROW_NOT_FOUND when the product does not exist
   */
  async handle(actor: User, productId: number): Promise<void> {
    const imagePath = await db.transaction(async (trx) => {
      const product = await lockProduct(trx, productId)
      const usage = await DeleteProduct.usage(productId, trx)
      if (usage.slots > 0 || usage.orders > 0) throw DeleteProduct.inUse(product.name, usage)

      await this.auditTrail.record(
        {
          actor,
          action: 'product.delete',
          subjectType: PRODUCT_SUBJECT,
          subjectId: product.id,
          before: productAuditFields(product),
        },
        trx
      )
      try {
        await product.useTransaction(trx).delete()
      } catch (error) {
        // An order placed since the check above: the RESTRICT foreign key refuses.
        if (isForeignKeyViolation(error))
          throw DeleteProduct.inUse(product.name, { slots: 0, orders: 1 })
        throw error
      }
      return product.imagePath
    })
    await this.images.remove(imagePath)
  }

  /**
   * How many slots hold product `productId` and how many orders refer to it.
   */
  static async usage(
    productId: number,
    client: QueryClientContract = db.connection()
  ): Promise<ProductUsage> {
    const slots = await client
      .from('slots')
      .where('product_id', productId)
      .count('* as total')
      .first()
    const orders = await client
      .from('orders')
      .where('product_id', productId)
      .count('* as total')
      .first()
    return { slots: Number(slots?.total ?? 0), orders: Number(orders?.total ?? 0) }
  }

  protected static inUse(name: string, usage: ProductUsage) {
    const reasons = [
      usage.slots > 0
        ? `${usage.slots} slot${usage.slots === 1 ? '' : 's'} hold${usage.slots === 1 ? 's' : ''} it`
        : null,
      usage.orders > 0
        ? `${usage.orders} order${usage.orders === 1 ? ' refers' : 's refer'} to it`
        : null,
    ].filter(Boolean)
    return new VendingException(
      `“${name}” cannot be deleted: ${reasons.join(' and ')}. Deactivate it instead to take it off sale.`,
      { status: 409, code: 'product_in_use' }
    )
  }
}

function isForeignKeyViolation(error: unknown): boolean {
  const err = error as { code?: string; message?: string }
  return (
    err?.code === '23503' ||
    (String(err?.code).startsWith('SQLITE_CONSTRAINT') && /FOREIGN KEY/i.test(err?.message ?? ''))
  )
}
