import type { Secret } from '@adonisjs/core/helpers'
import type { LucidModel } from '@adonisjs/lucid/types/model'
import { AccessToken, DbAccessTokensProvider } from '@adonisjs/auth/access_tokens'
import type { DbAccessTokensProviderOptions } from '@adonisjs/auth/types/access_tokens'

/**
 * The API's bearer tokens (`auth_access_tokens`), as AdonisJS's
 * `DbAccessTokensProvider` keeps them, with two changes to `verify`:
 *
 * - `last_used_at` is written at most once per `LAST_USED_WRITE_MS`
 *   (60,000 ms) per token, not on every request. AdonisJS needs no
 *   per-request value: nothing in the framework or in Vendora reads the
 *   column to authenticate (expiry is `expires_at`), it only tells an
 *   operator when a token was last used, which a minute's precision
 *   answers. Written on every request it was one UPDATE per API call, a
 *   tenth of a buy's statements.
 * - it is written only once the secret matched and the token is not
 *   expired (the framework writes it before checking), so a guessed token
 *   id moves nothing.
 *
 * Everything else (the lookup, the hash check, expiry) is the framework's.
 */
export class ThrottledAccessTokensProvider<
  TokenableModel extends LucidModel,
> extends DbAccessTokensProvider<TokenableModel> {
  /** Shortest gap between two `last_used_at` writes of one token (ms). */
  static readonly LAST_USED_WRITE_MS = 60_000

  /**
   * The provider for tokens of `model` (options as `DbAccessTokensProvider.forModel`).
   */
  static forModel<TokenableModel extends LucidModel>(
    model: DbAccessTokensProviderOptions<TokenableModel>['tokenableModel'],
    options?: Omit<DbAccessTokensProviderOptions<TokenableModel>, 'tokenableModel'>
  ): ThrottledAccessTokensProvider<TokenableModel> {
    return new ThrottledAccessTokensProvider({ tokenableModel: model, ...(options ?? {}) })
  }

  /**
   * Verifies a bearer token's value.
   *
   * @returns the token, or null when it is malformed, unknown, does not
   *   match or has expired
   */
  async verify(tokenValue: Secret<string>): Promise<AccessToken | null> {
    const decoded = AccessToken.decode(this.prefix, tokenValue.release())
    if (!decoded) return null

    const client = await this.getDb()
    const row = await client
      .query()
      .from(this.table)
      .where({ id: decoded.identifier, type: this.type })
      .limit(1)
      .first()
    if (!row) return null

    const token = this.dbRowToAccessToken(row)
    if (!token.verify(decoded.secret) || token.isExpired()) return null

    const now = new Date()
    const lastUsedMs = token.lastUsedAt ? new Date(token.lastUsedAt).getTime() : null
    if (
      lastUsedMs === null ||
      now.getTime() - lastUsedMs >= ThrottledAccessTokensProvider.LAST_USED_WRITE_MS
    ) {
      await client
        .from(this.table)
        .where({ id: row.id, type: row.type })
        .update({ last_used_at: now })
      token.lastUsedAt = now
    }
    return token
  }
}
