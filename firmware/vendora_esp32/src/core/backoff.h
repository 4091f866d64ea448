// Exponential back-off with jitter, for Wi-Fi, socket.io and discovery retries.
#pragma once

#include <stdint.h>

namespace vendora {

/**
 * Delays that double after each failure, from `minMs` up to `maxMs`, each
 * shortened by a random 0–20 % so a fleet restarted together (power cut)
 * does not reconnect in lockstep.
 */
class Backoff {
 public:
  Backoff(uint32_t minMs, uint32_t maxMs);

  /**
   * The delay before the next attempt, in milliseconds; counts one failure.
   *
   * @param random any random bits (0 gives the full, unjittered delay)
   */
  uint32_t next(uint32_t random);

  /** Back to `minMs` (after a success). */
  void reset();

  /** Failures counted since the last reset. */
  uint32_t failures() const { return failures_; }

 private:
  uint32_t minMs_;
  uint32_t maxMs_;
  uint32_t failures_;
};

}  // namespace vendora
