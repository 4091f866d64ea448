import env from '#start/env'

/**
 * LAN discovery: a machine with no server address configured
 * broadcasts `VENDORA_DISCOVER` on UDP and the server answers with its URL
 * (firmware/PROTOCOL.md, "LAN discovery"). Off unless enabled.
 */
const discoveryConfig = {
  /**
   * Answer discovery requests at all (`DISCOVERY_ENABLED=true`).
   */
  enabled: env.get('DISCOVERY_ENABLED', false),

  /**
   * UDP port the server listens on for requests (`DISCOVERY_PORT`).
   */
  port: env.get('DISCOVERY_PORT', 12_346),

  /**
   * Address the UDP socket binds to. The wildcard is needed to receive
   * broadcasts (`255.255.255.255`, the subnet's broadcast address), which a
   * socket bound to one unicast address never sees.
   */
  bindAddress: '0.0.0.0',

  /**
   * URL to announce instead of `http://<local address>:<PORT>`
   * (`DISCOVERY_URL`), for a server behind a proxy or on another port.
   */
  url: env.get('DISCOVERY_URL'),

  /**
   * The HTTP server's address and port, from which the announced URL is
   * made when `url` is not set.
   */
  httpHost: env.get('HOST'),
  httpPort: env.get('PORT'),
}

export default discoveryConfig
