/*
|--------------------------------------------------------------------------
| Bouncer policies
|--------------------------------------------------------------------------
*/
export const policies = {
  UserPolicy: () => import('#policies/user_policy'),
  OrderPolicy: () => import('#policies/order_policy'),
  PaymentPolicy: () => import('#policies/payment_policy'),
  PanelPolicy: () => import('#policies/panel_policy'),
}
