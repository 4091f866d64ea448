import factory from '@adonisjs/lucid/factories'
import Product from '#models/product'

/**
 * Products: active and refundable, ₹25 unless told otherwise.
 * States: `nonRefundable`, `inactive`.
 */
export const ProductFactory = factory
  .define(Product, ({ faker }) => ({
    name: faker.commerce.productName().slice(0, 120),
    description: null,
    pricePaise: 2500,
    isRefundable: true,
    isActive: true,
  }))
  .state('nonRefundable', (product) => {
    product.isRefundable = false
  })
  .state('inactive', (product) => {
    product.isActive = false
  })
  .build()
