// The FreeRTOS names a sketch uses around its loop task and interrupts.
// Critical sections take the twin's one interrupt lock: the hardware thread
// holds it while it runs an ISR or an esp_timer callback, so code between
// portENTER_CRITICAL and portEXIT_CRITICAL is not interrupted, as on the
// board (the mux argument is accepted and not needed).
#pragma once
#include <stdint.h>

typedef int BaseType_t;
typedef unsigned int UBaseType_t;
typedef uint32_t TickType_t;
typedef void* TaskHandle_t;
typedef struct {
  int owner;
  int count;
} portMUX_TYPE;

#define pdFALSE 0
#define pdTRUE 1
#define pdPASS 1
#define pdFAIL 0
#define portMAX_DELAY ((TickType_t)0xffffffffUL)
#define configTICK_RATE_HZ 1000
#define portTICK_PERIOD_MS (1000 / configTICK_RATE_HZ)
#define pdMS_TO_TICKS(ms) ((TickType_t)(ms))
#define portMUX_INITIALIZER_UNLOCKED {0, 0}

#ifdef __cplusplus
extern "C" {
#endif
void twin_enter_critical(void);
void twin_exit_critical(void);
#ifdef __cplusplus
}
#endif

#define portENTER_CRITICAL(mux) ((void)(mux), twin_enter_critical())
#define portEXIT_CRITICAL(mux) ((void)(mux), twin_exit_critical())
#define portENTER_CRITICAL_ISR(mux) ((void)(mux), twin_enter_critical())
#define portEXIT_CRITICAL_ISR(mux) ((void)(mux), twin_exit_critical())
#define portENTER_CRITICAL_SAFE(mux) ((void)(mux), twin_enter_critical())
#define portEXIT_CRITICAL_SAFE(mux) ((void)(mux), twin_exit_critical())
#define taskENTER_CRITICAL(mux) portENTER_CRITICAL(mux)
#define taskEXIT_CRITICAL(mux) portEXIT_CRITICAL(mux)
#define spinlock_initialize(mux) ((void)(mux))
#define portYIELD_FROM_ISR(...) ((void)0)

#include "task.h"
