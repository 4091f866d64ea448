import app from '@adonisjs/core/services/app'
import factory from '@adonisjs/lucid/factories'
import { Role } from '#enums/role'
import { TransactionKind } from '#enums/transaction_kind'
import User from '#models/user'
import Ledger from '#services/ledger'
import CreateShopper from '#actions/users/create_shopper'

/**
 * Balance given by the `withBalance` state: ₹1,000 in paise.
 */
export const DEFAULT_TEST_BALANCE_PAISE = 100_000

/**
 * Opening balances asked for through `balancePaise`, held between the
 * before and after create hooks.
 */
const openingBalances = new WeakMap<User, number>()

/**
 * Shoppers. A balance is never written bare: whatever `balancePaise` the
 * factory is given (`.merge({ balancePaise })` or the `withBalance` state),
 * the user row is inserted at 0 and the amount is then credited through
 * `Ledger.post` as a `topup` row in the factory's transaction, so the
 * balance equals the sum of the user's ledger rows like any real account.
 *
 * UserFactory.create()                                  → 0 paise, no ledger row
 * UserFactory.apply('withBalance').create()             → DEFAULT_TEST_BALANCE_PAISE
 * UserFactory.merge({ balancePaise: 5000 }).create()    → 5000 paise, one topup row
 * UserFactory.apply('admin').create()                   → an admin
 * UserFactory.apply('restocker' | 'viewer').create()    → the other panel roles
 */
export const UserFactory = factory
  .define(User, () => ({
    username: CreateShopper.generateUsername(),
    role: Role.User,
    balancePaise: 0,
  }))
  .state('withBalance', (user) => {
    user.balancePaise = DEFAULT_TEST_BALANCE_PAISE
  })
  .state('admin', (user) => {
    user.role = Role.Admin
  })
  .state('restocker', (user) => {
    user.role = Role.Restocker
  })
  .state('viewer', (user) => {
    user.role = Role.Viewer
  })
  .before('create', (_, user) => {
    if (user.balancePaise > 0) openingBalances.set(user, user.balancePaise)
    user.balancePaise = 0
  })
  .after('create', async (_, user, ctx) => {
    const amountPaise = openingBalances.get(user)
    if (!amountPaise) return
    openingBalances.delete(user)
    const ledger = await app.container.make(Ledger)
    await ledger.post(ctx.$trx!, {
      userId: user.id,
      kind: TransactionKind.TopUp,
      amountPaise,
      note: 'Opening balance (test factory)',
    })
    await user.refresh()
  })
  .build()
