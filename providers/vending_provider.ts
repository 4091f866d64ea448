import type { ApplicationService } from '@adonisjs/core/types'
import DeviceGateway from '#services/device_gateway'
import VendSweeper from '#services/vend_sweeper'
import LanDiscovery from '#services/lan_discovery'
import PaymentGateway from '#services/payment_gateway'

/**
 * Makes the device gateway, the vend sweeper, the payment gateway and the
 * LAN discovery responder process-wide singletons and,
 * in the web server, attaches socket.io to the HTTP server once it listens.
 * Ace commands and tests start them themselves (see `startRealtime`).
 */
export default class VendingProvider {
  constructor(protected app: ApplicationService) {}

  register() {
    this.app.container.singleton(DeviceGateway, async (resolver) => {
      const { default: RecordVendResult } = await import('#actions/vends/record_vend_result')
      return new DeviceGateway(await resolver.make(RecordVendResult))
    })
    this.app.container.singleton(VendSweeper, async (resolver) => {
      const { default: FailTimedOutVends } = await import('#actions/vends/fail_timed_out_vends')
      const { default: ExpirePaymentHolds } = await import('#actions/payments/expire_payment_holds')
      const { default: IssueCardRefund } = await import('#actions/payments/issue_card_refund')
      const { default: RotateDisplayCodes } = await import('#actions/machines/rotate_display_codes')
      return new VendSweeper(
        await resolver.make(FailTimedOutVends),
        await resolver.make(ExpirePaymentHolds),
        await resolver.make(IssueCardRefund),
        await resolver.make(RotateDisplayCodes)
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
