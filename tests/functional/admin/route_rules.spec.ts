import { test } from '@japa/runner'
import router from '@adonisjs/core/services/router'
import { Role } from '#enums/role'
import { PANEL_AREAS, PANEL_ROUTE_RULES, roleMayOpen, ruleFor } from '#policies/panel_access'

/** Panel routes that need no role: the login form and the invitation link's page. */
const PUBLIC_PANEL_ROUTES = new Set([
  'admin.login',
  'admin.login.store',
  'admin.invitations.show',
  'admin.invitations.accept',
])

function panelRoutes() {
  return Object.values(router.toJSON())
    .flat()
    .filter((route) => route.pattern === '/admin' || route.pattern.startsWith('/admin/'))
}

test.group('Panel route rules', () => {
  test('every /admin route has a name and a rule', ({ assert }) => {
    const routes = panelRoutes()
    assert.isAbove(routes.length, 40)
    const missing = routes
      .filter((route) => !PUBLIC_PANEL_ROUTES.has(route.name ?? ''))
      .filter((route) => !route.name || !ruleFor(route.name))
      .map((route) => `${route.methods.join(',')} ${route.pattern} (${route.name ?? 'unnamed'})`)
    assert.deepEqual(missing, [], 'routes without a rule in PANEL_ROUTE_RULES')
  })

  test('a viewer is read-only: every route that changes something refuses a viewer, except logging out', ({
    assert,
  }) => {
    const writable = panelRoutes()
      .flatMap((route) =>
        route.methods
          .filter((method) => !['GET', 'HEAD'].includes(method))
          .map((method) => ({ name: route.name, method }))
      )
      .filter(({ name, method }) => roleMayOpen(Role.Viewer, name, method))
      .map(({ name }) => name)
    assert.deepEqual(writable, ['admin.logout'])
  })

  test('a viewer is refused any POST even where a wildcard rule lets viewers read', ({
    assert,
  }) => {
    assert.isTrue(roleMayOpen(Role.Viewer, 'admin.feedback.index', 'GET'))
    assert.isFalse(roleMayOpen(Role.Viewer, 'admin.feedback.resolve', 'POST'))
    assert.isTrue(roleMayOpen(Role.Admin, 'admin.feedback.resolve', 'POST'))
    assert.isFalse(roleMayOpen(Role.Viewer, 'admin.payments.index', 'DELETE'))
    assert.isTrue(roleMayOpen(Role.Viewer, 'admin.logout', 'POST'))
  })

  test('money and the team stay with admins (and viewers reading)', ({ assert }) => {
    for (const name of [
      'admin.orders.index',
      'admin.orders.export',
      'admin.orders.refund',
      'admin.payments.index',
      'admin.shoppers.adjust',
      'admin.products.index',
      'admin.analytics',
      'admin.team.index',
      'admin.firmware.store',
    ]) {
      assert.notInclude(ruleFor(name)!.roles, Role.Restocker, name)
    }
    assert.deepEqual(ruleFor('admin.team.invite')!.roles, [Role.Admin])
    assert.deepEqual(ruleFor('admin.orders.refund')!.roles, [Role.Admin])
  })

  test('an exact rule wins over a wildcard, a longer wildcard over a shorter one', ({ assert }) => {
    assert.equal(ruleFor('admin.restock.routes.index')!.pattern, 'admin.restock.routes.index')
    assert.equal(ruleFor('admin.restock.routes.update')!.pattern, 'admin.restock.routes.*')
    assert.deepEqual(ruleFor('admin.restock.routes.update')!.roles, [Role.Admin])
    assert.equal(ruleFor('admin.firmware.rollouts.pause')!.pattern, 'admin.firmware.*')
    assert.isNull(ruleFor('admin.unheard_of'))
    assert.isNull(ruleFor('admin.machinesX'))
  })

  test('every rule and nav area names an admin route', ({ assert }) => {
    for (const pattern of Object.keys(PANEL_ROUTE_RULES))
      assert.match(pattern, /^admin\.[a-z_.]+\*?$/)
    const names = new Set(panelRoutes().map((route) => route.name))
    for (const area of PANEL_AREAS) assert.isTrue(names.has(area.route), area.route)
  })
})
