// SHA-256 (FIPS 180-4), portable and incremental: the OTA image is hashed
// as its chunks arrive, so a download resumed after a dropped connection
// carries on with the same state instead of reading the partition back.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <string>

namespace vendora {

/** An incremental SHA-256. update() any number of times, then finish() once. */
class Sha256 {
 public:
  static const size_t kDigestSize = 32;

  Sha256() { reset(); }

  /** Starts a new hash. */
  void reset();

  /** Hashes `length` more bytes. */
  void update(const uint8_t* data, size_t length);

  /** Writes the 32-byte digest; the object must be reset() before reuse. */
  void finish(uint8_t digest[kDigestSize]);

  /** Bytes hashed since reset(). */
  uint64_t length() const { return length_; }

 private:
  void block(const uint8_t* data);

  uint32_t state_[8];
  uint8_t buffer_[64];
  size_t buffered_;
  uint64_t length_;
};

/** Lower-case hex of `length` bytes. */
std::string toHex(const uint8_t* data, size_t length);

}  // namespace vendora
