import { DateTime } from 'luxon'
import hash from '@adonisjs/core/services/hash'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column, hasMany } from '@adonisjs/lucid/orm'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import { withAuthFinder } from '@adonisjs/auth/mixins/lucid'
import { DbAccessTokensProvider } from '@adonisjs/auth/access_tokens'
import { DbRememberMeTokensProvider } from '@adonisjs/auth/session'
import { Role } from '#enums/role'
import Order from '#models/order'
import Transaction from '#models/transaction'

const AuthFinder = withAuthFinder(() => hash.use('scrypt'), {
  uids: ['email'],
  passwordColumnName: 'password',
})

/**
 * A shopper (anonymous, generated `username`, bearer token) or an admin
 * (email + password). `balancePaise` is integer paise and always equals the
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

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime | null

  @hasMany(() => Order)
  declare orders: HasMany<typeof Order>

  @hasMany(() => Transaction)
  declare transactions: HasMany<typeof Transaction>

  static accessTokens = DbAccessTokensProvider.forModel(User, {
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

  get isAdmin() {
    return this.role === Role.Admin
  }
}
