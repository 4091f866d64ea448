import { DateTime } from 'luxon'
import hash from '@adonisjs/core/services/hash'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column, hasMany } from '@adonisjs/lucid/orm'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import { withAuthFinder } from '@adonisjs/auth/mixins/lucid'
import { DbRememberMeTokensProvider } from '@adonisjs/auth/session'
import { Role, isPanelRole } from '#enums/role'
import Order from '#models/order'
import Transaction from '#models/transaction'
import { ThrottledAccessTokensProvider } from '#services/access_tokens'

const AuthFinder = withAuthFinder(() => hash.use('scrypt'), {
  uids: ['email'],
  passwordColumnName: 'password',
})

/**
 * A shopper (anonymous, generated `username`, bearer token) or a panel
 * user (email + password; role admin, restocker or viewer). `balancePaise` is integer paise and always equals the
 * sum of the user's ledger rows; only `Ledger.post` changes it.
 */
export default class User extends compose(BaseModel, AuthFinder) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare username: string

  @column()
  declare role: Role

  @column()
  declare email: string | null

  @column({ serializeAs: null })
  declare password: string | null

  @column({ consume: (value) => Number(value) })
  declare balancePaise: number

  /**
   * When an admin switched this panel user off; null while active. A
   * deactivated user cannot sign in and is signed out on their next request.
   */
  @column.dateTime()
  declare deactivatedAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime | null

  @hasMany(() => Order)
  declare orders: HasMany<typeof Order>

  @hasMany(() => Transaction)
  declare transactions: HasMany<typeof Transaction>

  /**
   * Bearer tokens of the `api` guard; `last_used_at` is kept to the minute
   * (`ThrottledAccessTokensProvider`).
   */
  static accessTokens = ThrottledAccessTokensProvider.forModel(User, {
    prefix: 'vnd_',
    table: 'auth_access_tokens',
    type: 'auth_token',
    tokenSecretLength: 40,
  })

  /**
   * Remember-me tokens of the `shopper` session guard: the cookie that
   * brings an anonymous shopper back to the same wallet after the session
   * ended (table `remember_me_tokens`).
   */
  static rememberMeTokens = DbRememberMeTokensProvider.forModel(User)

  /**
   * Role `admin`: everything in the panel, money and the team included.
   */
  get isAdmin() {
    return this.role === Role.Admin
  }

  /**
   * A member of the panel team (admin, restocker or viewer), active or not.
   */
  get isPanelUser() {
    return isPanelRole(this.role)
  }

  /**
   * A panel user who has not been deactivated: who may sign in and stay in.
   */
  get isActivePanelUser() {
    return this.isPanelUser && !this.deactivatedAt
  }

  /**
   * Whether this user may see money (sales figures, prices, order totals,
   * payments) and shoppers: admins and viewers; restockers work without
   * them (`PANEL_ROUTE_RULES` keeps them off those pages too).
   */
  get seesMoney() {
    return this.role === Role.Admin || this.role === Role.Viewer
  }
}
