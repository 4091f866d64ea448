import { createServer } from 'node:http'
import { networkInterfaces } from 'node:os'
import { BaseCommand } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import env from '#start/env'
import SeedDemo from '#actions/demo/seed_demo'
import MachineSimulator from '#services/machine_simulator'
import FirmwareSigner from '#services/firmware_signer'
import { startRealtime, stopRealtime } from '#start/realtime'
import { shopperPageUrl } from '#services/public_url'

/**
 * `npm run demo`: migrates, seeds the demo data, starts the server with its
 * device gateway, drives `demo-1` with the built-in simulator, and prints a
 * walk-through. `demo-2` is left for a real ESP32 or any device client.
 * Refused with `NODE_ENV=production` (exit code 1, nothing changed).
 */
export default class Demo extends BaseCommand {
  static commandName = 'demo'
  static description = 'Run Vendora with demo data and a simulated machine (demo-1)'
  static options: CommandOptions = { startApp: true, staysAlive: true }

  async run() {
    // Its admin password and device key are published (README, the
    // walk-through), so a demo in production is an open door.
    if (this.app.inProduction) {
      this.logger.error(
        'node ace demo refuses to run with NODE_ENV=production: it seeds an admin and machines with published ' +
          'credentials. Nothing was changed. Create real accounts with `node ace admin:create` instead.'
      )
      this.exitCode = 1
      // A command that stays alive gets its exit code passed on only when
      // the app terminates later; this one ends the app here itself.
      process.exitCode = 1
      await this.terminate()
      return
    }

    const port = env.get('PORT')
    const host = env.get('HOST')
    const deviceKey = env.get('DEMO_DEVICE_KEY', 'demo-device-key')
    const adminEmail = env.get('DEMO_ADMIN_EMAIL', 'admin@vendora.local')
    const adminPassword = env.get('DEMO_ADMIN_PASSWORD', 'vendora-admin')

    await this.kernel.exec('migration:run', ['--force'])
    const seedDemo = await this.app.container.make(SeedDemo)
    await seedDemo.handle({ adminEmail, adminPassword, deviceKey })

    const server = await this.app.container.make('server')
    await server.boot()
    const httpServer = createServer(server.handle.bind(server))
    server.setNodeServer(httpServer)
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject)
      httpServer.listen(port, host, () => resolve())
    })
    await startRealtime(httpServer)

    const origin = `http://127.0.0.1:${port}`
    const signer = await this.app.container.make(FirmwareSigner)
    const simulator = new MachineSimulator({
      url: origin,
      machine: 'demo-1',
      key: deviceKey,
      dropRate: 0.9,
      jamRate: 0.05,
      vendMs: 1500,
      // Installs the releases this server signs, so a rollout to demo-1 completes.
      releasePublicKey: signer.releasePublicKeyPem(),
      log: (message) => this.logger.info(`simulator ${message}`),
    })
    await simulator.connect()

    this.app.terminating(async () => {
      simulator.close()
      await stopRealtime()
      await new Promise((resolve) => {
        httpServer.close(resolve)
        // Browsers keep idle keep-alive connections open; they must not hold the exit.
        httpServer.closeIdleConnections()
      })
      // Everything is closed, yet something below us (seen: the process
      // outliving its shutdown, with no handle left that Node reports)
      // can keep it running: exit once the event loop had its chance.
      setTimeout(() => process.exit(), 1000).unref()
    })
    // Ctrl-C in a terminal (bin/console.ts already handles SIGTERM).
    process.once('SIGINT', () => this.terminate())

    this.printWalkthrough(origin, { adminEmail, adminPassword, deviceKey })
  }

  /**
   * Where a phone on the same network opens demo-1's shopper page:
   * `APP_URL` when set, else this machine's LAN address when the server
   * listens on every interface (HOST 0.0.0.0), else `origin`.
   */
  protected shopperPage(origin: string): string {
    if (env.get('APP_URL')) return shopperPageUrl('demo-1')
    const host = env.get('HOST')
    const lan = Object.values(networkInterfaces())
      .flat()
      .find((entry) => entry?.family === 'IPv4' && !entry.internal)
    const everywhere = host === '0.0.0.0' || host === '::'
    return everywhere && lan
      ? `http://${lan.address}:${env.get('PORT')}/m/demo-1`
      : `${origin}/m/demo-1`
  }

  protected printWalkthrough(
    origin: string,
    credentials: { adminEmail: string; adminPassword: string; deviceKey: string }
  ) {
    const api = `${origin}/api/v1`
    this.logger.log('')
    this.logger.success(`Vendora demo is running on ${origin} (Ctrl-C to stop)`)
    this.logger.log(`  Admin login:      ${credentials.adminEmail} / ${credentials.adminPassword}`)
    this.logger.log(`  Device key:       ${credentials.deviceKey} (machines demo-1 and demo-2)`)
    this.logger.log(
      `  demo-1 is driven by the built-in simulator; connect a device as demo-2 (firmware/PROTOCOL.md).`
    )
    this.logger.log(
      `  Shopper page:     ${this.shopperPage(origin)} (open it on your phone on the same network)`
    )
    this.logger.log('')
    this.logger.log('Try it (bash + curl; jq optional):')
    this.logger.log(`  # 1. create a shopper and keep its id and token`)
    this.logger.log(`  R=$(curl -s -X POST ${api}/users); echo "$R"`)
    this.logger.log(
      `  ID=$(echo "$R" | sed -E 's/.*"id":([0-9]+).*/\\1/'); TOKEN=$(echo "$R" | sed -E 's/.*"token":"([^"]+)".*/\\1/')`
    )
    this.logger.log(`  # 2. top up ₹100 (10000 paise) with the demo payment driver`)
    this.logger.log(
      `  curl -s -X POST ${api}/users/$ID/add_balance -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"amount_paise":10000}'`
    )
    this.logger.log(`  # 3. see what demo-1 sells`)
    this.logger.log(`  curl -s ${api}/machines/demo-1/products -H "Authorization: Bearer $TOKEN"`)
    this.logger.log(`  # 4. buy product 2 (Cold Coffee) from demo-1`)
    this.logger.log(
      `  curl -s -X POST ${api}/products/2/buy -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -H 'Idempotency-Key: first-coffee' -d '{"machine":"demo-1"}'`
    )
    this.logger.log(
      `  # 5. a couple of seconds later the order is completed (or failed and refunded)`
    )
    this.logger.log(`  curl -s ${api}/orders -H "Authorization: Bearer $TOKEN"`)
    this.logger.log(`  curl -s ${api}/users/me -H "Authorization: Bearer $TOKEN"`)
    this.logger.log('')
  }
}
