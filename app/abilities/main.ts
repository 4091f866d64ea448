/*
|--------------------------------------------------------------------------
| Bouncer abilities
|--------------------------------------------------------------------------
|
| Rules live in policies (app/policies); no standalone abilities yet.
*/
export {}
