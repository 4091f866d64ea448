#pragma once
#include "FreeRTOS.h"
#ifdef __cplusplus
extern "C" {
#endif
/** The loop task's handle (the twin's main thread). */
TaskHandle_t xTaskGetCurrentTaskHandle(void);
void vTaskDelay(TickType_t ticks);
TickType_t xTaskGetTickCount(void);
UBaseType_t uxTaskGetStackHighWaterMark(TaskHandle_t task);
#ifdef __cplusplus
}
#endif
