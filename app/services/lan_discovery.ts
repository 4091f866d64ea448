import dgram from 'node:dgram'
import { networkInterfaces } from 'node:os'
import { isIPv4, isIPv6, type AddressInfo } from 'node:net'
import logger from '@adonisjs/core/services/logger'

/**
 * The request a machine broadcasts, optionally followed by one space and
 * its machine code (1–64 visible ASCII characters). A trailing `\n` or
 * `\r\n` is tolerated; anything else gets no reply.
 */
export const DISCOVERY_REQUEST = 'VENDORA_DISCOVER'

const REQUEST_PATTERN = /^VENDORA_DISCOVER(?: ([\x21-\x7e]{1,64}))?(?:\r?\n)?$/

/** Requests are tiny; a bigger datagram is not one of ours. */
const MAX_REQUEST_BYTES = 128

const WILDCARDS = new Set(['', '0.0.0.0', '::'])

/**
 * Settings of the discovery responder (config/discovery.ts).
 *
 * - `port`: UDP port to listen on (0 picks a free one, for tests)
 * - `bindAddress`: address of the UDP socket, normally `0.0.0.0` (only a
 *   wildcard socket receives broadcasts)
 * - `url`: URL to announce as is (`DISCOVERY_URL`); when absent the URL is
 *   `http://<host>:<httpPort>`, see `LanDiscovery.announcedUrl`
 * - `httpHost`, `httpPort`: where the HTTP server listens (`HOST`, `PORT`)
 */
export interface LanDiscoveryOptions {
  port: number
  bindAddress: string
  url?: string
  httpHost: string
  httpPort: number
}

/**
 * The reply, sent as JSON to the requester's address and port.
 */
export interface DiscoveryReply {
  service: 'vendora'
  url: string
  namespace: '/devices'
}

/**
 * Answers LAN discovery requests so that a machine with no server address
 * configured can find the server (firmware/PROTOCOL.md, "LAN discovery"):
 * a UDP datagram `VENDORA_DISCOVER` (or `VENDORA_DISCOVER <machine code>`)
 * gets the unicast reply
 * `{"service":"vendora","url":"http://<host>:<port>","namespace":"/devices"}`;
 * any other datagram is ignored. Started by `startRealtime()` only when
 * `DISCOVERY_ENABLED=true`.
 */
export default class LanDiscovery {
  #socket?: dgram.Socket

  constructor(protected options: LanDiscoveryOptions) {}

  /**
   * The bound UDP address, or `null` when not listening.
   */
  get address(): AddressInfo | null {
    return this.#socket ? this.#socket.address() : null
  }

  /**
   * Binds the UDP socket (`udp4`, `bindAddress:port`) and starts answering.
   * Calling it again while listening changes nothing.
   *
   * @returns the bound address (with the real port when `port` was 0)
   * @throws Error from the bind, e.g. `EADDRINUSE` when another process
   *   holds the port
   */
  async start(): Promise<AddressInfo> {
    if (this.#socket) return this.#socket.address()
    const socket = dgram.createSocket('udp4')
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject)
      socket.bind(this.options.port, this.options.bindAddress, () => {
        socket.off('error', reject)
        resolve()
      })
    }).catch((error) => {
      socket.close()
      throw error
    })
    socket.on('error', (error) => logger.error({ err: error }, 'LAN discovery socket error'))
    socket.on('message', (message, sender) => this.onMessage(socket, message, sender))
    this.#socket = socket

    const bound = socket.address()
    logger.info({ address: `${bound.address}:${bound.port}` }, 'LAN discovery listening (udp)')
    // Only a socket that hears the LAN needs the warning.
    if (
      !this.options.url &&
      isLoopback(this.options.httpHost) &&
      !isLoopback(this.options.bindAddress)
    ) {
      logger.warn(
        `LAN discovery announces ${this.options.httpHost}, which other hosts cannot reach: set HOST or DISCOVERY_URL`
      )
    }
    return bound
  }

  /**
   * Stops answering and releases the port. Safe to call when not started.
   */
  async stop(): Promise<void> {
    const socket = this.#socket
    this.#socket = undefined
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()))
  }

  /**
   * The reply to one datagram, or `null` when it is not a discovery
   * request (no reply is sent then).
   *
   * @param message the datagram's bytes
   * @param senderAddress the requester's IPv4 address
   */
  replyFor(message: Buffer, senderAddress: string): DiscoveryReply | null {
    if (message.length > MAX_REQUEST_BYTES) return null
    if (!REQUEST_PATTERN.test(message.toString('latin1'))) return null
    return { service: 'vendora', url: this.announcedUrl(senderAddress), namespace: '/devices' }
  }

  /**
   * The server URL to announce to a requester at `senderAddress`:
   * `DISCOVERY_URL` when set; otherwise `http://<host>:<httpPort>` where
   * `<host>` is `HOST` when the HTTP server listens on one address, else
   * the address the UDP socket is bound to when it is not a wildcard (the
   * request arrived there), else this host's IPv4 address on the
   * requester's subnet (the interface the request arrived on), else its
   * first non-internal IPv4 address.
   */
  announcedUrl(senderAddress: string): string {
    if (this.options.url) return this.options.url.replace(/\/+$/, '')
    const host = !WILDCARDS.has(this.options.httpHost)
      ? this.options.httpHost
      : !WILDCARDS.has(this.options.bindAddress)
        ? this.options.bindAddress
        : localAddressFacing(senderAddress)
    return `http://${isIPv6(host) ? `[${host}]` : host}:${this.options.httpPort}`
  }

  protected onMessage(socket: dgram.Socket, message: Buffer, sender: dgram.RemoteInfo) {
    const reply = this.replyFor(message, sender.address)
    if (!reply) return
    logger.debug(
      { from: `${sender.address}:${sender.port}`, request: message.toString('latin1').trim() },
      'LAN discovery request'
    )
    socket.send(JSON.stringify(reply), sender.port, sender.address, (error) => {
      if (error) logger.warn({ err: error, to: sender.address }, 'LAN discovery reply failed')
    })
  }
}

/**
 * This host's IPv4 address on `remote`'s subnet, else its first
 * non-internal IPv4 address, else `127.0.0.1`.
 */
function localAddressFacing(remote: string): string {
  const addresses = Object.values(networkInterfaces())
    .flat()
    .filter((entry) => entry !== undefined && entry.family === 'IPv4')
  if (isIPv4(remote)) {
    const remoteBits = ipv4Bits(remote)
    const facing = addresses.find((entry) => {
      const mask = ipv4Bits(entry!.netmask)
      return (ipv4Bits(entry!.address) & mask) === (remoteBits & mask)
    })
    if (facing) return facing.address
  }
  return addresses.find((entry) => !entry!.internal)?.address ?? '127.0.0.1'
}

function ipv4Bits(address: string): number {
  return address.split('.').reduce((bits, part) => ((bits << 8) | Number(part)) >>> 0, 0)
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.')
}
