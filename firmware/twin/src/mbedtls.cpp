// mbedtls/pk.h with OpenSSL: what the sketch's MbedtlsSignatureVerifier
// calls, behaving as mbedTLS does for an EC public key (PEM or DER) and a
// DER ECDSA signature over a digest.
#include "mbedtls/pk.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <string.h>

namespace {

EVP_PKEY* keyOf(const mbedtls_pk_context* ctx) { return ctx ? static_cast<EVP_PKEY*>(ctx->pk_ctx) : nullptr; }

}  // namespace

void mbedtls_pk_init(mbedtls_pk_context* ctx) {
  ctx->pk_info = nullptr;
  ctx->pk_ctx = nullptr;
}

void mbedtls_pk_free(mbedtls_pk_context* ctx) {
  if (!ctx) return;
  EVP_PKEY_free(keyOf(ctx));
  mbedtls_pk_init(ctx);
}

int mbedtls_pk_parse_public_key(mbedtls_pk_context* ctx, const unsigned char* key, size_t keylen) {
  if (!ctx || !key || keylen == 0 || ctx->pk_ctx) return MBEDTLS_ERR_PK_BAD_INPUT_DATA;
  EVP_PKEY* parsed = nullptr;
  // mbedTLS takes PEM only with its NUL counted in keylen, as here.
  if (key[keylen - 1] == '\0' && strstr(reinterpret_cast<const char*>(key), "-----BEGIN PUBLIC KEY-----")) {
    BIO* bio = BIO_new_mem_buf(key, static_cast<int>(keylen - 1));
    parsed = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
  } else {
    const unsigned char* cursor = key;
    parsed = d2i_PUBKEY(nullptr, &cursor, static_cast<long>(keylen));
  }
  if (!parsed) return MBEDTLS_ERR_PK_KEY_INVALID_FORMAT;
  ctx->pk_ctx = parsed;
  ctx->pk_info = parsed;
  return 0;
}

int mbedtls_pk_can_do(const mbedtls_pk_context* ctx, mbedtls_pk_type_t type) {
  EVP_PKEY* key = keyOf(ctx);
  if (!key) return 0;
  const int id = EVP_PKEY_get_base_id(key);
  if (id == EVP_PKEY_EC) return type == MBEDTLS_PK_ECKEY || type == MBEDTLS_PK_ECKEY_DH || type == MBEDTLS_PK_ECDSA;
  if (id == EVP_PKEY_RSA) return type == MBEDTLS_PK_RSA;
  return 0;
}

size_t mbedtls_pk_get_bitlen(const mbedtls_pk_context* ctx) {
  EVP_PKEY* key = keyOf(ctx);
  return key ? static_cast<size_t>(EVP_PKEY_get_bits(key)) : 0;
}

int mbedtls_pk_verify(mbedtls_pk_context* ctx, mbedtls_md_type_t md_alg, const unsigned char* hash, size_t hash_len,
                      const unsigned char* sig, size_t sig_len) {
  EVP_PKEY* key = keyOf(ctx);
  if (!key || md_alg != MBEDTLS_MD_SHA256 || hash_len != 32 || !sig) return MBEDTLS_ERR_PK_BAD_INPUT_DATA;
  EVP_PKEY_CTX* verify = EVP_PKEY_CTX_new(key, nullptr);
  if (!verify) return MBEDTLS_ERR_PK_BAD_INPUT_DATA;
  int ok = EVP_PKEY_verify_init(verify) == 1 && EVP_PKEY_CTX_set_signature_md(verify, EVP_sha256()) == 1 &&
           EVP_PKEY_verify(verify, sig, sig_len, hash, hash_len) == 1;
  EVP_PKEY_CTX_free(verify);
  return ok ? 0 : MBEDTLS_ERR_ECP_VERIFY_FAILED;
}
