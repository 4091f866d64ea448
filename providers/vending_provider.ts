import type { ApplicationService } from '@adonisjs/core/types'
import DeviceGateway from '#services/device_gateway'
import VendSweeper from '#services/vend_sweeper'
import ClusterLock from '#services/cluster_lock'
import DeviceChannel from '#services/device_channel'
import LanDiscovery from '#services/lan_discovery'
import PaymentGateway from '#services/payment_gateway'

/**
 * Makes the device gateway, the vend sweeper, the cluster lock (node
 * registry and run-once locks, issue #7), the payment gateway and the LAN
 * discovery responder process-wide singletons and, in the web server,
 * attaches socket.io to the HTTP server once it listens and drains the node
 * on SIGTERM. Ace commands and tests start them themselves (see
 * `startRealtime`).
 */
export default class VendingProvider {
  constructor(protected app: ApplicationService) {}

  register() {
    this.app.container.singleton(ClusterLock, () => new ClusterLock())
    this.app.container.singleton(DeviceChannel, async (resolver) => new DeviceChannel(await resolver.make(ClusterLock)))
    this.app.container.singleton(DeviceGateway, async (resolver) => {
      const { default: RecordVendResult } = await import('#actions/vends/record_vend_result')
      return new DeviceGateway(await resolver.make(RecordVendResult), await resolver.make(ClusterLock))
    })
    this.app.container.singleton(VendSweeper, async (resolver) => {
      const { default: FailTimedOutVends } = await import('#actions/vends/fail_timed_out_vends')
      const { default: ResendUnansweredVends } = await import('#actions/vends/resend_unanswered_vends')
      const { default: ExpirePaymentHolds } = await import('#actions/payments/expire_payment_holds')
      const { default: IssueCardRefund } = await import('#actions/payments/issue_card_refund')
      const { default: RotateDisplayCodes } = await import('#actions/machines/rotate_display_codes')
      const { default: CheckAlerts } = await import('#actions/alerts/check_alerts')
      return new VendSweeper(
        await resolver.make(FailTimedOutVends),
        await resolver.make(ResendUnansweredVends),
        await resolver.make(ExpirePaymentHolds),
        await resolver.make(IssueCardRefund),
        await resolver.make(RotateDisplayCodes),
        await resolver.make(ClusterLock),
        await resolver.make(DeviceGateway),
        await resolver.make(CheckAlerts)
      )
    })
    this.app.container.singleton(PaymentGateway, async () => {
      const { default: paymentsConfig } = await import('#config/payments')
      return new PaymentGateway(paymentsConfig)
    })
    this.app.container.singleton(LanDiscovery, async () => {
      const { default: discoveryConfig } = await import('#config/discovery')
      return new LanDiscovery(discoveryConfig)
    })
  }

  /**
   * In the web server, SIGTERM drains this node before the framework
   * closes the HTTP server and the database (`gracefulShutdown`). Hooked
   * here, in start(), so it runs before the HTTP server's own terminating
   * hook, which would otherwise wait for every socket.io connection.
   */
  async start() {
    if (this.app.getEnvironment() !== 'web') return
    this.app.terminating(async () => {
      const { default: env } = await import('#start/env')
      const server = await this.app.container.make('server')
      const { gracefulShutdown } = await import('#services/realtime')
      await gracefulShutdown(server.getNodeServer(), env.get('SHUTDOWN_TIMEOUT_MS', 10_000))
    })
  }

  async ready() {
    if (this.app.getEnvironment() !== 'web') return
    const server = await this.app.container.make('server')
    const nodeServer = server.getNodeServer()
    if (nodeServer) {
      const { startRealtime } = await import('#services/realtime')
      await startRealtime(nodeServer)
    }
  }

  async shutdown() {
    const { stopRealtime } = await import('#services/realtime')
    await stopRealtime()
  }
}
