/*
| Admin panel: products
*/
import router from '@adonisjs/core/services/router'
import { panelRoutes } from '#routes/admin/panel'

const ProductsController = () => import('#controllers/admin/products_controller')
const UploadsController = () => import('#controllers/uploads_controller')

// Product pictures are public: the shopper catalogue links to them too.
router.get('/uploads/products/:file', [UploadsController, 'product']).as('uploads.products.show')

panelRoutes(() => {
  const id = router.matchers.number()
  router.get('products', [ProductsController, 'index']).as('admin.products.index')
  router.get('products/new', [ProductsController, 'create']).as('admin.products.create')
  router.post('products', [ProductsController, 'store']).as('admin.products.store')
  router
    .get('products/:id/edit', [ProductsController, 'edit'])
    .where('id', id)
    .as('admin.products.edit')
  router
    .post('products/:id', [ProductsController, 'update'])
    .where('id', id)
    .as('admin.products.update')
  router
    .get('products/:id/deactivate', [ProductsController, 'confirmDeactivate'])
    .where('id', id)
    .as('admin.products.confirm_deactivate')
  router
    .post('products/:id/deactivate', [ProductsController, 'deactivate'])
    .where('id', id)
    .as('admin.products.deactivate')
  router
    .post('products/:id/reactivate', [ProductsController, 'reactivate'])
    .where('id', id)
    .as('admin.products.reactivate')
  router
    .get('products/:id/delete', [ProductsController, 'confirmDestroy'])
    .where('id', id)
    .as('admin.products.confirm_destroy')
  router
    .post('products/:id/delete', [ProductsController, 'destroy'])
    .where('id', id)
    .as('admin.products.destroy')
})
