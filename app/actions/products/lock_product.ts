import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Product from '#models/product'
import { lockRowForUpdate } from '#services/db_helpers'

/**
 * Reads a product inside a transaction, row-locked on PostgreSQL (SQLite
 * serializes writers already), so two admins' changes apply one after
 * the other and each audit row's "before" is what really was there.
 *
 * @throws E_ROW_NOT_FOUND when there is no such product
 */
export function lockProduct(trx: TransactionClientContract, productId: number): Promise<Product> {
  return lockRowForUpdate(Product, trx, productId)
}
