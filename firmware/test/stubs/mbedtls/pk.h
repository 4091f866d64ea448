// Stub for `make check-sketch` (see Arduino.h): mbedTLS's public key layer,
// with the signatures 2.x (core 2.x) and 3.x (core 3.x) share.
#pragma once
#include <stddef.h>

#include "md.h"

typedef enum {
  MBEDTLS_PK_NONE = 0,
  MBEDTLS_PK_RSA,
  MBEDTLS_PK_ECKEY,
  MBEDTLS_PK_ECKEY_DH,
  MBEDTLS_PK_ECDSA,
} mbedtls_pk_type_t;

typedef struct mbedtls_pk_context {
  const void* pk_info;
  void* pk_ctx;
} mbedtls_pk_context;

void mbedtls_pk_init(mbedtls_pk_context* ctx);
void mbedtls_pk_free(mbedtls_pk_context* ctx);
int mbedtls_pk_parse_public_key(mbedtls_pk_context* ctx, const unsigned char* key, size_t keylen);
int mbedtls_pk_can_do(const mbedtls_pk_context* ctx, mbedtls_pk_type_t type);
size_t mbedtls_pk_get_bitlen(const mbedtls_pk_context* ctx);
int mbedtls_pk_verify(mbedtls_pk_context* ctx, mbedtls_md_type_t md_alg, const unsigned char* hash, size_t hash_len,
                      const unsigned char* sig, size_t sig_len);
