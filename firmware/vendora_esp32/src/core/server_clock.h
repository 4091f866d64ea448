// The server's wall clock as the device knows it: set from `hello`'s
// `server_time`, carried forward on the board's monotonic clock. It decides
// whether a vend command can still be served before its `expires_at`.
#pragma once

#include <stdint.h>

#include <string>

namespace vendora {

/**
 * Reads an ISO 8601 UTC time as the server writes it,
 * `YYYY-MM-DDTHH:MM:SS.sssZ` (the fraction optional, 1–9 digits, cut to
 * milliseconds), into milliseconds since 1970-01-01T00:00:00Z.
 *
 * @returns false for anything else: another offset than `Z`, a date that
 *   does not exist, a year outside 1970–9999
 */
bool parseIsoUtcMs(const std::string& text, int64_t& epochMs);

/**
 * The server's clock: `server_time` at the local millisecond `hello`
 * arrived, plus the local time since. It lags the server by the hello's
 * transit time (milliseconds to a second on Wi-Fi), which the deadline
 * margin covers, and drifts with the board's crystal (tens of ppm, reset at
 * every hello).
 */
class ServerClock {
 public:
  ServerClock() : synced_(false), serverMs_(0), localMs_(0) {}

  /** `server_time` (epoch ms) was read from a hello that arrived at local `localMs`. */
  void sync(int64_t serverMs, uint64_t localMs) {
    synced_ = true;
    serverMs_ = serverMs;
    localMs_ = localMs;
  }

  /** Whether a hello gave a usable time since boot. */
  bool synced() const { return synced_; }

  /** The server's time (epoch ms) at local `localMs`; meaningful when synced(). */
  int64_t at(uint64_t localMs) const { return serverMs_ + static_cast<int64_t>(localMs - localMs_); }

 private:
  bool synced_;
  int64_t serverMs_;
  uint64_t localMs_;
};

}  // namespace vendora
