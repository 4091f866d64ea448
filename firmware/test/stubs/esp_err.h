// Stub for `make check-sketch` (see Arduino.h): ESP-IDF's error type.
#pragma once

typedef int esp_err_t;
#define ESP_OK 0
