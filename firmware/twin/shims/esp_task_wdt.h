// The task watchdog (esp_task_wdt.h, ESP-IDF 5.x). In the twin a subscribed
// task that does not reset it within timeout_ms trips it: with trigger_panic
// the twin prints `REBOOT watchdog` and restarts as the board does (the next
// boot reports ESP_RST_TASK_WDT); without, it prints `WATCHDOG` only.
#pragma once
#include <stdbool.h>
#include <stdint.h>

#include "esp_err.h"
#include "freertos/FreeRTOS.h"

typedef struct {
  uint32_t timeout_ms;
  uint32_t idle_core_mask;
  bool trigger_panic;
} esp_task_wdt_config_t;

typedef struct esp_task_wdt_user_handle_s* esp_task_wdt_user_handle_t;

#ifdef __cplusplus
extern "C" {
#endif
/** ESP_ERR_INVALID_STATE when already initialised (arduino-esp32 initialises it at boot). */
esp_err_t esp_task_wdt_init(const esp_task_wdt_config_t* config);
esp_err_t esp_task_wdt_reconfigure(const esp_task_wdt_config_t* config);
esp_err_t esp_task_wdt_deinit(void);
/** Subscribes a task; nullptr is the calling task. */
esp_err_t esp_task_wdt_add(TaskHandle_t task);
esp_err_t esp_task_wdt_add_user(const char* name, esp_task_wdt_user_handle_t* handle);
esp_err_t esp_task_wdt_reset(void);
esp_err_t esp_task_wdt_reset_user(esp_task_wdt_user_handle_t handle);
esp_err_t esp_task_wdt_delete(TaskHandle_t task);
esp_err_t esp_task_wdt_delete_user(esp_task_wdt_user_handle_t handle);
esp_err_t esp_task_wdt_status(TaskHandle_t task);
#ifdef __cplusplus
}
#endif
