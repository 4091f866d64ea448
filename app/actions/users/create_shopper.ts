import { adjectives, animals, uniqueNamesGenerator } from 'unique-names-generator'
import { randomInt } from 'node:crypto'
import { Role } from '#enums/role'
import User from '#models/user'
import { isUniqueViolation } from '#services/db_helpers'

/**
 * A new shopper and the secret that authenticates them. `token` is shown
 * once: only its hash is stored.
 */
export interface CreatedShopper {
  user: User
  token: string
}

/**
 * Creates an anonymous shopper with a readable generated username such as
 * `brave-otter-4821` and a bearer access token. No personal data is asked.
 */
export default class CreateShopper {
  /**
   * @throws the database error if no free username is found in 5 tries
   *   (about 1.4 × 10⁸ names exist, so that means something else is wrong)
   */
  async handle(): Promise<CreatedShopper> {
    for (let attempt = 1; ; attempt++) {
      try {
        // The token provider writes with its own query client, so the user
        // row must be committed first (SQLite has one connection).
        const user = await User.create({
          username: CreateShopper.generateUsername(),
          role: Role.User,
          balancePaise: 0,
        })
        const token = await User.accessTokens.create(user, ['*'], { name: 'shopper' })
        return { user, token: token.value!.release() }
      } catch (error) {
        if (!isUniqueViolation(error) || attempt >= 5) throw error
      }
    }
  }

  /**
   * `adjective-animal-NNNN`, lower case, URL safe.
   */
  static generateUsername(): string {
    const words = uniqueNamesGenerator({
      dictionaries: [adjectives, animals],
      separator: '-',
      length: 2,
      style: 'lowerCase',
    })
    return `${words.replace(/[^a-z-]/g, '')}-${randomInt(1000, 10000)}`
  }
}
