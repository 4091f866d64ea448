import { Role } from '#enums/role'
import User from '#models/user'
import { createAdminValidator } from '#validators/admin'
import VendingException from '#exceptions/vending_exception'

/**
 * Creates an operator account. The only way an admin comes to exist
 * (besides the demo seed): there is no open registration page.
 */
export default class CreateAdmin {
  /**
   * @param input `{ email, password }`; the password needs 12+ characters
   * @throws the VineJS validation error for a bad email or short password
   * @throws VendingException `email_taken` (409) when the email is in use
   */
  async handle(input: { email: unknown; password: unknown }): Promise<User> {
    const { email, password } = await createAdminValidator.validate(input)
    if (await User.findBy('email', email)) {
      throw new VendingException('An account with this email already exists.', {
        status: 409,
        code: 'email_taken',
        field: 'email',
      })
    }
    return User.create({
      email,
      password,
      role: Role.Admin,
      username: `admin-${email.split('@')[0]}`.slice(0, 64),
      balancePaise: 0,
    })
  }
}
