import type { ApplicationService } from '@adonisjs/core/types'
import VendSweeper from '#jobs/vend_sweeper'
import RolloutTicker from '#jobs/rollout_ticker'
import RolloutDispatcher from '#services/rollout_dispatcher'
import ClusterLock from '#services/cluster_lock'
import DeviceChannel from '#services/device_channel'
import MachinePresence from '#services/machine_presence'
import MachineWriteQueue from '#services/machine_write_queue'
import LanDiscovery from '#services/lan_discovery'
import PaymentGateway from '#services/payment_gateway'
import SocketServer from '#sockets/server'
import DeviceSockets from '#sockets/devices'
import OrderSockets from '#sockets/orders'
import AdminSockets from '#sockets/admin'
import { gracefulShutdown, startRealtime, stopRealtime } from '#start/realtime'
import FailTimedOutVends from '#actions/vends/fail_timed_out_vends'
import ResendUnansweredVends from '#actions/vends/resend_unanswered_vends'
import ExpirePaymentHolds from '#actions/payments/expire_payment_holds'
import IssueCardRefund from '#actions/payments/issue_card_refund'
import RotateDisplayCodes from '#actions/machines/rotate_display_codes'
import CheckAlerts from '#actions/alerts/check_alerts'
import AlertSchedule from '#services/alert_schedule'
import Metrics, { orderCountsByStatus } from '#services/metrics'

/**
 * Makes the real-time parts process-wide singletons: the socket.io server
 * (`SocketServer`) and the channel everything sends through
 * (`DeviceChannel`), machine presence and its per-machine write queue, the
 * vend sweeper, the cluster lock (node registry and run-once locks), the
 * payment gateway, the LAN discovery responder and the metrics. In the web server it
 * attaches socket.io to the HTTP server once it listens and drains the node
 * on SIGTERM. Ace commands and tests start them themselves (see
 * `startRealtime`).
 */
export default class VendingProvider {
  constructor(protected app: ApplicationService) {}

  register() {
    this.app.container.singleton(ClusterLock, () => new ClusterLock())
    this.app.container.singleton(
      DeviceChannel,
      async (resolver) => new DeviceChannel(await resolver.make(ClusterLock))
    )
    this.app.container.singleton(MachineWriteQueue, () => new MachineWriteQueue())
    this.app.container.singleton(MachinePresence, async (resolver) => {
      return new MachinePresence(
        await resolver.make(ClusterLock),
        await resolver.make(MachineWriteQueue)
      )
    })
    this.app.container.singleton(SocketServer, async (resolver) => {
      return new SocketServer(
        await resolver.make(DeviceChannel),
        await resolver.make(ClusterLock),
        await resolver.make(MachinePresence),
        await resolver.make(MachineWriteQueue),
        await resolver.make(DeviceSockets),
        await resolver.make(OrderSockets),
        await resolver.make(AdminSockets)
      )
    })
    this.app.container.singleton(VendSweeper, async (resolver) => {
      return new VendSweeper(
        await resolver.make(FailTimedOutVends),
        await resolver.make(ResendUnansweredVends),
        await resolver.make(ExpirePaymentHolds),
        await resolver.make(IssueCardRefund),
        await resolver.make(RotateDisplayCodes),
        await resolver.make(ClusterLock),
        await resolver.make(MachinePresence),
        await resolver.make(CheckAlerts)
      )
    })
    this.app.container.singleton(RolloutTicker, async (resolver) => {
      return new RolloutTicker(
        await resolver.make(RolloutDispatcher),
        await resolver.make(ClusterLock)
      )
    })
    // Configs read when first made, not when the provider is imported.
    this.app.container.singleton(PaymentGateway, async () => {
      const { default: paymentsConfig } = await import('#config/payments')
      return new PaymentGateway(paymentsConfig)
    })
    this.app.container.singleton(LanDiscovery, async () => {
      const { default: discoveryConfig } = await import('#config/discovery')
      return new LanDiscovery(discoveryConfig)
    })
    // One alert schedule per process, whichever CheckAlerts asks.
    this.app.container.singleton(AlertSchedule, () => new AlertSchedule())
    // Metric series belong to the process, like its logger.
    this.app.container.singleton(Metrics, async (resolver) => {
      const channel = await resolver.make(DeviceChannel)
      return new Metrics({
        devicesConnected: () => channel.connectedCount,
        orderCounts: orderCountsByStatus,
      })
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
      // Imported here, when it is needed: the env schema is validated once the app boots.
      const { default: env } = await import('#start/env')
      const server = await this.app.container.make('server')
      await gracefulShutdown(server.getNodeServer(), env.get('SHUTDOWN_TIMEOUT_MS', 10_000))
    })
  }

  async ready() {
    if (this.app.getEnvironment() !== 'web') return
    const server = await this.app.container.make('server')
    const nodeServer = server.getNodeServer()
    if (nodeServer) {
      await startRealtime(nodeServer)
    }
  }

  async shutdown() {
    await stopRealtime()
  }
}
