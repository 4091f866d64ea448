// Stub for `make check-sketch` (see Arduino.h): mbedTLS's digest types.
#pragma once

typedef enum { MBEDTLS_MD_NONE = 0, MBEDTLS_MD_SHA256 = 6 } mbedtls_md_type_t;
