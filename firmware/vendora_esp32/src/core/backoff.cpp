#include "backoff.h"

namespace vendora {

Backoff::Backoff(uint32_t minMs, uint32_t maxMs)
    : minMs_(minMs == 0 ? 1 : minMs), maxMs_(maxMs < minMs ? minMs : maxMs), failures_(0) {}

uint32_t Backoff::next(uint32_t random) {
  uint64_t base = minMs_;
  for (uint32_t i = 0; i < failures_ && base < maxMs_; ++i) base *= 2;
  if (base > maxMs_) base = maxMs_;
  if (failures_ < 0xffffffffu) ++failures_;
  const uint32_t span = static_cast<uint32_t>(base / 5);
  const uint32_t jitter = span == 0 ? 0 : random % (span + 1);
  return static_cast<uint32_t>(base) - jitter;
}

void Backoff::reset() { failures_ = 0; }

}  // namespace vendora
