// LAN discovery (PROTOCOL.md §12): with no server host configured, the
// device broadcasts `VENDORA_DISCOVER <machine>` to UDP port 12346 and
// connects to the URL in the server's JSON reply.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <string>

#include "backoff.h"
#include "json.h"

namespace vendora {

/** UDP port the server's responder listens on. */
const uint16_t kDiscoveryPort = 12346;

/** The request's fixed prefix. */
extern const char kDiscoveryRequest[];

/** Largest reply accepted, in bytes (a real one is about 80). */
const size_t kMaxDiscoveryReply = 512;

/**
 * The request datagram: `VENDORA_DISCOVER`, then one space and the machine
 * code when it is 1–64 visible ASCII characters. No newline, no NUL.
 */
std::string buildDiscoveryRequest(const std::string& machine);

/** Where the socket.io server is. */
struct ServerTarget {
  std::string host;        // name or address; an IPv6 address without brackets
  uint16_t port;           // 80 / 443 by default
  bool tls;                // https
  std::string pathPrefix;  // "" or e.g. "/vendora" behind a proxy; no trailing slash
  ServerTarget() : port(0), tls(false) {}
  /** The Engine.IO path to connect to: `<prefix>/socket.io/?EIO=4`. */
  std::string socketIoPath() const;
};

/**
 * Reads `http://host[:port][/prefix]` or `https://...`.
 *
 * @returns false for another scheme, an empty or malformed host, a port
 *   outside 1–65535, a query or fragment
 */
bool parseServerUrl(const std::string& url, ServerTarget& out);

/** Why a reply was not used. */
enum class DiscoveryError : uint8_t { None, TooLarge, NotJson, WrongService, BadUrl, WrongNamespace };

/** Short name for logs. */
const char* discoveryErrorName(DiscoveryError error);

/**
 * Reads a reply datagram:
 * `{"service":"vendora","url":"http://<host>:<port>","namespace":"/devices"}`.
 * Key order and extra keys do not matter; `service` must be `vendora`,
 * `namespace` must be `/devices`, `url` must pass parseServerUrl.
 */
DiscoveryError parseDiscoveryReply(JsonReader& reader, const char* data, size_t length, ServerTarget& out);

/**
 * When to broadcast the next request: at once, then after 1 s, 2 s, ...
 * up to 30 s, until reset() (a reply was used).
 */
class DiscoverySchedule {
 public:
  DiscoverySchedule(uint32_t minMs = 1000, uint32_t maxMs = 30000);

  /** Whether a request is due now; if so the next one is scheduled. */
  bool due(uint64_t nowMs, uint32_t random);

  /** Start over: the next request goes out at once. */
  void reset();

 private:
  Backoff backoff_;
  uint64_t nextMs_;
  bool started_;
};

}  // namespace vendora
