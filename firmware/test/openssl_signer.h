// The release key and the signature check with OpenSSL (libssl-dev), as
// the server signs images and the board verifies them: ECDSA P-256, DER,
// over the SHA-256 digest of the whole image (PROTOCOL.md §13).
#pragma once

#include <stdint.h>

#include <string>

#include "../vendora_esp32/src/core/ota.h"

namespace vendora_test {

/** A P-256 key pair made for the test run. */
class ReleaseKey {
 public:
  ReleaseKey();
  ~ReleaseKey();
  ReleaseKey(const ReleaseKey&) = delete;
  ReleaseKey& operator=(const ReleaseKey&) = delete;

  /** The public half as PEM (what the board would carry). */
  std::string publicPem() const;
  /** The base64 DER signature of SHA-256(`image`), as the server puts it in `ota`. */
  std::string signBase64(const std::string& image) const;

 private:
  void* key_;  // EVP_PKEY
};

/** The key every test signs with (made once per run). */
const ReleaseKey& testReleaseKey();

/** SignatureVerifier with OpenSSL and a PEM public key. */
class OpenSslVerifier : public vendora::SignatureVerifier {
 public:
  explicit OpenSslVerifier(const std::string& publicPem);
  ~OpenSslVerifier() override;
  bool verify(const uint8_t digest[vendora::Sha256::kDigestSize], const uint8_t* der, size_t length) override;
  int calls = 0;

 private:
  void* key_;  // EVP_PKEY
};

/** SHA-256 by OpenSSL, lower-case hex: the reference the core's own is checked against. */
std::string opensslSha256Hex(const std::string& data);

}  // namespace vendora_test
