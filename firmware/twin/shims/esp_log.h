// ESP-IDF logging: to stderr when the twin runs with --verbose, else nothing.
#pragma once
#include <stdio.h>
#ifdef __cplusplus
extern "C" {
#endif
int twin_log_enabled(void);
#ifdef __cplusplus
}
#endif
#define TWIN_LOG_(level, tag, format, ...) \
  do { if (twin_log_enabled()) fprintf(stderr, "%s (%s) " format "\n", level, tag, ##__VA_ARGS__); } while (0)
#define ESP_LOGE(tag, format, ...) TWIN_LOG_("E", tag, format, ##__VA_ARGS__)
#define ESP_LOGW(tag, format, ...) TWIN_LOG_("W", tag, format, ##__VA_ARGS__)
#define ESP_LOGI(tag, format, ...) TWIN_LOG_("I", tag, format, ##__VA_ARGS__)
#define ESP_LOGD(tag, format, ...) TWIN_LOG_("D", tag, format, ##__VA_ARGS__)
#define ESP_LOGV(tag, format, ...) TWIN_LOG_("V", tag, format, ##__VA_ARGS__)
#define log_e(format, ...) TWIN_LOG_("E", "arduino", format, ##__VA_ARGS__)
#define log_w(format, ...) TWIN_LOG_("W", "arduino", format, ##__VA_ARGS__)
#define log_i(format, ...) TWIN_LOG_("I", "arduino", format, ##__VA_ARGS__)
#define log_d(format, ...) TWIN_LOG_("D", "arduino", format, ##__VA_ARGS__)
#define log_v(format, ...) TWIN_LOG_("V", "arduino", format, ##__VA_ARGS__)
