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

/*
| Operations: liveness, readiness and Prometheus metrics (OpsController).
| Keep /metrics off the public proxy (nginx/); METRICS_TOKEN guards it too.
*/
const OpsController = () => import('#controllers/ops_controller')
router.get('/health', [OpsController, 'health'])
router.get('/ready', [OpsController, 'ready'])
router.get('/metrics', [OpsController, 'metrics'])
