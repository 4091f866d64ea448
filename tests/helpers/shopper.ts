import User from '#models/user'
import { UserFactory } from '#database/factories/user_factory'

/**
 * A shopper (or, with `admin: true`, an admin) and a bearer token for the
 * API and the `/orders` namespace. The opening balance (`balancePaise`,
 * default 0) is credited through the ledger by `UserFactory`, so the
 * balance equals the sum of the user's ledger rows.
 */
export async function createShopper(options: { balancePaise?: number; admin?: boolean } = {}) {
  const factory = UserFactory.merge({ balancePaise: options.balancePaise ?? 0 })
  const user = options.admin ? await factory.apply('admin').create() : await factory.create()
  const token = await User.accessTokens.create(user, ['*'], { name: 'test' })
  return { user, token: token.value!.release() }
}
