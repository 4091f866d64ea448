#include "openssl_signer.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>

#include <stdexcept>
#include <vector>

namespace vendora_test {

ReleaseKey::ReleaseKey() : key_(EVP_EC_gen("P-256")) {
  if (!key_) throw std::runtime_error("cannot make a P-256 key");
}

ReleaseKey::~ReleaseKey() { EVP_PKEY_free(static_cast<EVP_PKEY*>(key_)); }

std::string ReleaseKey::publicPem() const {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PUBKEY(bio, static_cast<EVP_PKEY*>(key_));
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<size_t>(length));
  BIO_free(bio);
  return pem;
}

std::string ReleaseKey::signBase64(const std::string& image) const {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  size_t length = 0;
  std::vector<unsigned char> der;
  if (EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, static_cast<EVP_PKEY*>(key_)) != 1 ||
      EVP_DigestSign(ctx, nullptr, &length, reinterpret_cast<const unsigned char*>(image.data()), image.size()) != 1) {
    EVP_MD_CTX_free(ctx);
    throw std::runtime_error("cannot sign");
  }
  der.resize(length);
  EVP_DigestSign(ctx, der.data(), &length, reinterpret_cast<const unsigned char*>(image.data()), image.size());
  EVP_MD_CTX_free(ctx);
  der.resize(length);
  std::vector<unsigned char> text(4 * ((length + 2) / 3) + 1);
  const int written = EVP_EncodeBlock(text.data(), der.data(), static_cast<int>(length));
  return std::string(reinterpret_cast<char*>(text.data()), static_cast<size_t>(written));
}

const ReleaseKey& testReleaseKey() {
  static const ReleaseKey key;
  return key;
}

OpenSslVerifier::OpenSslVerifier(const std::string& publicPem) : key_(nullptr) {
  BIO* bio = BIO_new_mem_buf(publicPem.data(), static_cast<int>(publicPem.size()));
  key_ = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (!key_) throw std::runtime_error("cannot read the public key");
}

OpenSslVerifier::~OpenSslVerifier() { EVP_PKEY_free(static_cast<EVP_PKEY*>(key_)); }

bool OpenSslVerifier::verify(const uint8_t digest[vendora::Sha256::kDigestSize], const uint8_t* der, size_t length) {
  ++calls;
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(static_cast<EVP_PKEY*>(key_), nullptr);
  const bool ok = ctx && EVP_PKEY_verify_init(ctx) == 1 && EVP_PKEY_CTX_set_signature_md(ctx, EVP_sha256()) == 1 &&
                  EVP_PKEY_verify(ctx, der, length, digest, vendora::Sha256::kDigestSize) == 1;
  EVP_PKEY_CTX_free(ctx);
  return ok;
}

std::string opensslSha256Hex(const std::string& data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  return vendora::toHex(digest, sizeof digest);
}

}  // namespace vendora_test
