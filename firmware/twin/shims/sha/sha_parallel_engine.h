// The ESP32's SHA engine call arduinoWebSockets uses for Sec-WebSocket-Accept
// (WebSockets.cpp, under ESP32), computed with OpenSSL in the twin.
#pragma once
#include <stddef.h>

typedef enum { SHA1 = 0, SHA2_256, SHA2_384, SHA2_512 } esp_sha_type;

#ifdef __cplusplus
extern "C" {
#endif
void esp_sha(esp_sha_type type, const unsigned char* input, size_t ilen, unsigned char* output);
#ifdef __cplusplus
}
#endif
