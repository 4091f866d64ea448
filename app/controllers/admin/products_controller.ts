import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'
import Product from '#models/product'
import CreateProduct from '#actions/products/create_product'
import UpdateProduct from '#actions/products/update_product'
import DeleteProduct from '#actions/products/delete_product'
import SetProductActive from '#actions/products/set_product_active'
import { createProductValidator, updateProductValidator } from '#validators/product'
import { containsPattern } from '#services/db_helpers'

const PER_PAGE = 20

/**
 * The catalogue in the admin panel: list, search, create, edit,
 * deactivate/reactivate and delete. Rules live in
 * `#actions/products/*`.
 */
export default class ProductsController {
  /**
   * GET /admin/products?q=&page= — newest first, 20 a page, searched by name.
   */
  async index({ request, view }: HttpContext) {
    const q = String(request.input('q') ?? '')
      .trim()
      .slice(0, 120)
    const page = Math.max(
      1,
      Math.min(100_000, Number.parseInt(String(request.input('page') ?? '1'), 10) || 1)
    )

    const products = await Product.query()
      .withCount('slots')
      .if(q, (query) => {
        const pattern = containsPattern(q)
        query.whereRaw(`lower(name) like ? escape '\\'`, [pattern])
      })
      .orderBy('id', 'desc')
      .paginate(page, PER_PAGE)
    products.baseUrl(router.makeUrl('admin.products.index')).queryString(q ? { q } : {})

    return view.render('pages/admin/products/index', {
      title: 'Products',
      active: 'products',
      products,
      q,
    })
  }

  /**
   * GET /admin/products/new
   */
  async create({ view }: HttpContext) {
    return view.render('pages/admin/products/form', {
      title: 'New product',
      active: 'products',
      product: null,
    })
  }

  /**
   * POST /admin/products (multipart: the image is optional)
   */
  @inject()
  async store({ request, response, session, auth }: HttpContext, createProduct: CreateProduct) {
    const data = await request.validateUsing(createProductValidator)
    const product = await createProduct.handle(auth.user!, {
      name: data.name,
      description: data.description,
      pricePaise: data.price,
      isRefundable: data.is_refundable,
      image: data.image,
    })
    session.flash('notice', `“${product.name}” was added.`)
    return response.redirect().toRoute('admin.products.index')
  }

  /**
   * GET /admin/products/:id/edit
   */
  async edit({ params, view }: HttpContext) {
    const product = await Product.findOrFail(params.id)
    return view.render('pages/admin/products/form', {
      title: `Edit ${product.name}`,
      active: 'products',
      product,
    })
  }

  /**
   * POST /admin/products/:id
   */
  @inject()
  async update(
    { params, request, response, session, auth }: HttpContext,
    updateProduct: UpdateProduct
  ) {
    await Product.findOrFail(params.id)
    const data = await request.validateUsing(updateProductValidator)
    const product = await updateProduct.handle(auth.user!, params.id, {
      name: data.name,
      description: data.description,
      pricePaise: data.price,
      isRefundable: data.is_refundable,
      image: data.image,
      removeImage: data.remove_image,
    })
    session.flash('notice', `“${product.name}” was saved.`)
    return response.redirect().toRoute('admin.products.index')
  }

  /**
   * GET /admin/products/:id/deactivate — asks before taking it off sale.
   */
  async confirmDeactivate({ params, view }: HttpContext) {
    const product = await Product.findOrFail(params.id)
    const usage = await DeleteProduct.usage(product.id)
    return view.render('pages/admin/products/confirm', {
      title: `Deactivate ${product.name}`,
      active: 'products',
      product,
      usage,
      intent: 'deactivate',
    })
  }

  /**
   * POST /admin/products/:id/deactivate
   */
  @inject()
  async deactivate({ params, response, session, auth }: HttpContext, setActive: SetProductActive) {
    const product = await setActive.handle(auth.user!, params.id, false)
    session.flash('notice', `“${product.name}” is off sale now. Reactivate it to sell it again.`)
    return response.redirect().toRoute('admin.products.index')
  }

  /**
   * POST /admin/products/:id/reactivate
   */
  @inject()
  async reactivate({ params, response, session, auth }: HttpContext, setActive: SetProductActive) {
    const product = await setActive.handle(auth.user!, params.id, true)
    session.flash('notice', `“${product.name}” is on sale again.`)
    return response.redirect().toRoute('admin.products.index')
  }

  /**
   * GET /admin/products/:id/delete — asks first, and says up front when
   * the product cannot be deleted.
   */
  async confirmDestroy({ params, view }: HttpContext) {
    const product = await Product.findOrFail(params.id)
    const usage = await DeleteProduct.usage(product.id)
    return view.render('pages/admin/products/confirm', {
      title: `Delete ${product.name}`,
      active: 'products',
      product,
      usage,
      intent: 'delete',
    })
  }

  /**
   * POST /admin/products/:id/delete
   */
  @inject()
  async destroy(ctx: HttpContext, deleteProduct: DeleteProduct) {
    const { params, response, session, auth } = ctx
    const product = await Product.findOrFail(params.id)
    // Refused (a slot or an order uses it): to the list, not back to the confirmation.
    ctx.formRefusal = { redirectTo: router.makeUrl('admin.products.index') }
    await deleteProduct.handle(auth.user!, product.id)
    session.flash('notice', `“${product.name}” was deleted.`)
    return response.redirect().toRoute('admin.products.index')
  }
}
