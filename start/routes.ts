/*
|--------------------------------------------------------------------------
| Routes
|--------------------------------------------------------------------------
|
| Each area keeps its routes in routes/<area>.ts; this file loads them.
*/
import router from '@adonisjs/core/services/router'
import '#routes/api_v1'
import '#routes/admin'
import '#routes/shopper'

router.get('/', async () => ({
  name: 'Vendora',
  api: '/api/v1',
  devices: '/socket.io/ (namespace /devices)',
}))

router.get('/health', async () => ({ status: 'ok' }))
