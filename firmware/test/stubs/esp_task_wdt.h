// Stub for `make check-sketch`: the ESP-IDF 4.4 (Arduino core 2.x) or 5.x
// (core 3.x) task watchdog API, by ESP_ARDUINO_VERSION_MAJOR.
#pragma once
#include <stdint.h>
#include "Arduino.h"

#include "esp_err.h"
typedef void* TaskHandle_t;

#if ESP_ARDUINO_VERSION_MAJOR >= 3
typedef struct {
  uint32_t timeout_ms;
  uint32_t idle_core_mask;
  bool trigger_panic;
} esp_task_wdt_config_t;
esp_err_t esp_task_wdt_init(const esp_task_wdt_config_t* config);
esp_err_t esp_task_wdt_reconfigure(const esp_task_wdt_config_t* config);
#else
esp_err_t esp_task_wdt_init(uint32_t timeout_s, bool panic);
#endif
esp_err_t esp_task_wdt_add(TaskHandle_t task);
esp_err_t esp_task_wdt_reset(void);
