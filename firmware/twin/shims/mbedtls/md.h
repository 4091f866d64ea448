// mbedTLS's digest identifiers (mbedtls/md.h), for mbedtls_pk_verify.
#pragma once

typedef enum {
  MBEDTLS_MD_NONE = 0,
  MBEDTLS_MD_MD5 = 3,
  MBEDTLS_MD_SHA1 = 4,
  MBEDTLS_MD_SHA224 = 5,
  MBEDTLS_MD_SHA256 = 6,
  MBEDTLS_MD_SHA384 = 7,
  MBEDTLS_MD_SHA512 = 8,
} mbedtls_md_type_t;
