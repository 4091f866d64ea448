/**
 * Who a user is: an anonymous shopper (`user`) or an operator (`admin`).
 */
export enum Role {
  Admin = 'admin',
  User = 'user',
}
