// High-resolution timers (esp_timer.h, ESP-IDF 5.x). Callbacks run on the
// twin's hardware thread, like the board's esp_timer task: concurrently
// with loop(), never inside a critical section (see freertos/FreeRTOS.h).
#pragma once
#include <stdbool.h>
#include <stdint.h>

#include "esp_err.h"

typedef struct esp_timer* esp_timer_handle_t;
typedef void (*esp_timer_cb_t)(void* arg);

typedef enum {
  ESP_TIMER_TASK,
  ESP_TIMER_ISR,
  ESP_TIMER_MAX,
} esp_timer_dispatch_t;

typedef struct {
  esp_timer_cb_t callback;
  void* arg;
  esp_timer_dispatch_t dispatch_method;
  const char* name;
  bool skip_unhandled_events;
} esp_timer_create_args_t;

#ifdef __cplusplus
extern "C" {
#endif
esp_err_t esp_timer_init(void);
esp_err_t esp_timer_create(const esp_timer_create_args_t* create_args, esp_timer_handle_t* out_handle);
/** ESP_ERR_INVALID_STATE when the timer is already running. */
esp_err_t esp_timer_start_once(esp_timer_handle_t timer, uint64_t timeout_us);
esp_err_t esp_timer_start_periodic(esp_timer_handle_t timer, uint64_t period);
/** Stops and starts again with a new timeout (or period). */
esp_err_t esp_timer_restart(esp_timer_handle_t timer, uint64_t timeout_us);
/** ESP_ERR_INVALID_STATE when the timer is not running. */
esp_err_t esp_timer_stop(esp_timer_handle_t timer);
/** ESP_ERR_INVALID_STATE while the timer runs. */
esp_err_t esp_timer_delete(esp_timer_handle_t timer);
/** Microseconds since boot. */
int64_t esp_timer_get_time(void);
int64_t esp_timer_get_next_alarm(void);
bool esp_timer_is_active(esp_timer_handle_t timer);
esp_err_t esp_timer_get_expiry_time(esp_timer_handle_t timer, uint64_t* expiry);
#ifdef __cplusplus
}
#endif
