import type { Namespace, Socket } from 'socket.io'
import { inject } from '@adonisjs/core'
import { Secret } from '@adonisjs/core/helpers'
import logger from '@adonisjs/core/services/logger'
import db from '@adonisjs/lucid/services/db'
import User from '#models/user'
import { readLiveTicket } from '#services/live_tickets'
import {
  ProtocolError,
  Rooms,
  ShopperEvent,
  type MachineStatusMessage,
} from '#services/device_protocol'
import { namespaceAuth, refusal } from '#sockets/errors'

/**
 * The `/orders` namespace where shoppers watch their orders live (room
 * `user:<id>`, `order_updated`) and, when the socket names a machine
 * (`auth: { machine: "<code>" }`), its status (room `presence:<id>`,
 * `machine_status`).
 */
@inject()
export default class OrderSockets {
  /**
   * Installs the authentication and the connection handler on `nsp`.
   */
  register(nsp: Namespace): void {
    nsp.use(namespaceAuth((socket: Socket) => this.authenticate(socket)))
    nsp.on('connection', (socket) => {
      socket.join(Rooms.user(socket.data.userId))
      const machineCode = socket.handshake.auth?.machine
      if (typeof machineCode === 'string') {
        this.watchMachine(socket, machineCode).catch((error) =>
          logger.warn({ err: error, machine: machineCode }, 'watching a machine failed')
        )
      }
    })
  }

  /**
   * Checks a shopper's bearer token from `auth: { token }` (programs), or
   * the encrypted ticket `auth: { ticket }` the shopper's order page was
   * rendered with (`{ userId, purpose: 'shopper-live' }`, short-lived; see
   * the shopper OrdersController), so the page's socket proves its session
   * without scripts ever seeing the session cookie.
   *
   * @throws Error `invalid_token`
   */
  protected async authenticate(socket: Socket) {
    const { token, ticket } = socket.handshake.auth ?? {}
    if (typeof ticket === 'string') {
      const userId = readLiveTicket(ticket, 'shopper-live')
      const user = userId === null ? null : await User.find(userId)
      if (!user) throw refusal(ProtocolError.InvalidToken)
      socket.data = { userId: user.id }
      return
    }
    const accessToken =
      typeof token === 'string' ? await User.accessTokens.verify(new Secret(token)) : null
    if (!accessToken) throw refusal(ProtocolError.InvalidToken)
    socket.data = { userId: Number(accessToken.tokenableId) }
  }

  /**
   * Joins `socket` to the machine's presence room, then sends it the
   * machine's status as read after joining, so no change between the two
   * goes unseen. An unknown code is ignored (the page shows a 404 anyway).
   */
  protected async watchMachine(socket: Socket, code: string) {
    const machine = await db.from('machines').where('code', code).select('id').first()
    if (!machine) return
    await socket.join(Rooms.presence(machine.id))
    const current = await db
      .from('machines')
      .where('id', machine.id)
      .select('id', 'code', 'status')
      .first()
    if (current && socket.connected) {
      socket.emit(ShopperEvent.MachineStatus, {
        code: current.code,
        status: current.status,
      } satisfies MachineStatusMessage)
    }
  }
}
