/*
|--------------------------------------------------------------------------
| JavaScript entrypoint for running ace commands
|--------------------------------------------------------------------------
|
| ts-node-maintained compiles TypeScript on the fly in development; the
| production build (`node ace build`) ships compiled JavaScript instead.
*/
import 'ts-node-maintained/register/esm'

await import('./bin/console.js')
