import type Product from '#models/product'

/**
 * Subject type of product rows in the audit log.
 */
export const PRODUCT_SUBJECT = 'product'

/**
 * The fields of a product an audit reader cares about, under their column
 * names (money stays integer paise; the audit page formats it).
 */
export function productAuditFields(product: Product) {
  return {
    name: product.name,
    description: product.description,
    price_paise: product.pricePaise,
    is_refundable: product.isRefundable,
    is_active: product.isActive,
    image_path: product.imagePath,
  }
}

/**
 * Values of a product an admin may set through the panel's form.
 * `pricePaise` is integer paise.
 */
export interface ProductInput {
  name: string
  description?: string | null
  pricePaise: number
  isRefundable?: boolean
}
