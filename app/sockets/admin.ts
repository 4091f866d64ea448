import type { Namespace, Socket } from 'socket.io'
import { inject } from '@adonisjs/core'
import User from '#models/user'
import { readLiveTicket } from '#services/live_tickets'
import { ProtocolError, Rooms } from '#services/device_protocol'
import { namespaceAuth, refusal } from '#sockets/errors'

/**
 * The `/admin` namespace the dashboard listens on (`fleet_changed`,
 * `machine_event`); it sends nothing, so only authentication lives here.
 */
@inject()
export default class AdminSockets {
  /**
   * Installs the authentication on `nsp`.
   */
  register(nsp: Namespace): void {
    nsp.use(namespaceAuth((socket: Socket) => this.authenticate(socket)))
  }

  /**
   * Checks the encrypted ticket the dashboard page was rendered with
   * (`DashboardController.show` and the other live pages): it names a panel
   * user who must still be active. The socket joins the user's room.
   *
   * @throws Error `unauthorized`
   */
  protected async authenticate(socket: Socket) {
    const userId = readLiveTicket(socket.handshake.auth?.ticket, 'admin-live')
    if (userId === null) throw refusal(ProtocolError.Unauthorized)
    const user = await User.find(userId)
    if (!user?.isActivePanelUser) throw refusal(ProtocolError.Unauthorized)
    // Deactivating the user disconnects this room, on every node (DeviceChannel.disconnectPanelUser).
    await socket.join(Rooms.panelUser(user.id))
  }
}
