#pragma once
#include <stddef.h>
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif
/** 32 random bits (the twin: getrandom). */
uint32_t esp_random(void);
void esp_fill_random(void* buf, size_t len);
#ifdef __cplusplus
}
#endif
