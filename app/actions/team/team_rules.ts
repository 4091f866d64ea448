import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { Role } from '#enums/role'
import User from '#models/user'
import VendingException from '#exceptions/vending_exception'

/**
 * The panel user `id` for a change, locked for the transaction on
 * PostgreSQL.
 *
 * @throws VendingException `not_found` (404) for a missing user or a shopper
 */
export async function findTeamMember(id: number, trx: TransactionClientContract): Promise<User> {
  const user = await User.query({ client: trx }).where('id', id).forUpdate().first()
  if (!user?.isPanelUser) {
    throw new VendingException('No such team member.', { status: 404, code: 'not_found' })
  }
  return user
}

/**
 * The panel must keep one active admin, or nobody could manage the team
 * again: refuses taking `target` out of the active admins when it is the
 * last one. The admins are locked (PostgreSQL) so two admins demoting each
 * other at once cannot both pass.
 *
 * @throws VendingException `last_admin` (409)
 */
export async function keepAnActiveAdmin(target: User, trx: TransactionClientContract) {
  if (!target.isAdmin || target.deactivatedAt) return
  const admins = await User.query({ client: trx })
    .where('role', Role.Admin)
    .whereNull('deactivated_at')
    .forUpdate()
  if (admins.every((admin) => admin.id === target.id)) {
    throw new VendingException('The panel needs at least one active admin.', {
      status: 409,
      code: 'last_admin',
    })
  }
}
