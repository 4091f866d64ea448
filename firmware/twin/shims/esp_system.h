// Reset reasons, restart, heap and randomness (esp_system.h, ESP-IDF 5.x).
// The twin keeps the reason of its last reset in --state-dir: a watchdog
// or esp_restart() re-executes the twin and the next boot reports it; a
// process start (or kill -9, like a power cut) is a power-on.
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "esp_err.h"
#include "esp_idf_version.h"
#include "esp_random.h"

typedef enum {
  ESP_RST_UNKNOWN,
  ESP_RST_POWERON,
  ESP_RST_EXT,
  ESP_RST_SW,
  ESP_RST_PANIC,
  ESP_RST_INT_WDT,
  ESP_RST_TASK_WDT,
  ESP_RST_WDT,
  ESP_RST_DEEPSLEEP,
  ESP_RST_BROWNOUT,
  ESP_RST_SDIO,
  ESP_RST_USB,
  ESP_RST_JTAG,
  ESP_RST_EFUSE,
  ESP_RST_PWR_GLITCH,
  ESP_RST_CPU_LOCKUP,
} esp_reset_reason_t;

#ifdef __cplusplus
extern "C" {
#endif
esp_reset_reason_t esp_reset_reason(void);
/** Reboots: the twin re-executes itself with the same arguments. */
void esp_restart(void) __attribute__((noreturn));
uint32_t esp_get_free_heap_size(void);
uint32_t esp_get_free_internal_heap_size(void);
uint32_t esp_get_minimum_free_heap_size(void);
#ifdef __cplusplus
}
#endif
