// mbedTLS's public key layer (mbedtls/pk.h), the calls the sketch's
// signature check makes, implemented with OpenSSL (twin/src/mbedtls.cpp).
// Return values as mbedTLS: 0 on success, a negative error code else.
#pragma once
#include <stddef.h>

#include "md.h"

#define MBEDTLS_ERR_PK_BAD_INPUT_DATA -0x3E80
#define MBEDTLS_ERR_PK_KEY_INVALID_FORMAT -0x3D00
#define MBEDTLS_ERR_ECP_VERIFY_FAILED -0x4E00

typedef enum {
  MBEDTLS_PK_NONE = 0,
  MBEDTLS_PK_RSA,
  MBEDTLS_PK_ECKEY,
  MBEDTLS_PK_ECKEY_DH,
  MBEDTLS_PK_ECDSA,
} mbedtls_pk_type_t;

typedef struct mbedtls_pk_context {
  const void* pk_info;
  void* pk_ctx;  // the twin's OpenSSL EVP_PKEY
} mbedtls_pk_context;

void mbedtls_pk_init(mbedtls_pk_context* ctx);
void mbedtls_pk_free(mbedtls_pk_context* ctx);
/** `key` is PEM including its terminating NUL (keylen counts it), or DER. */
int mbedtls_pk_parse_public_key(mbedtls_pk_context* ctx, const unsigned char* key, size_t keylen);
int mbedtls_pk_can_do(const mbedtls_pk_context* ctx, mbedtls_pk_type_t type);
size_t mbedtls_pk_get_bitlen(const mbedtls_pk_context* ctx);
int mbedtls_pk_verify(mbedtls_pk_context* ctx, mbedtls_md_type_t md_alg, const unsigned char* hash, size_t hash_len,
                      const unsigned char* sig, size_t sig_len);
