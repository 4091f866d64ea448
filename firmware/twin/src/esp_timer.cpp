// esp_timer on the twin's hardware thread, and the task watchdog.
#include <esp_task_wdt.h>
#include <esp_timer.h>

#include <map>
#include <mutex>
#include <string>

#include "twin.h"

struct esp_timer {
  esp_timer_cb_t callback;
  void* arg;
  std::string name;
  bool active;
  bool periodic;
  uint64_t periodUs;
  uint64_t expiryUs;
  uint64_t scheduled;   // the hardware thread's action id
  uint64_t generation;  // bumped by every start and stop: a stale firing does nothing
};

namespace {

std::mutex gTimersMutex;

void arm(esp_timer* timer, uint64_t atUs);

void fire(esp_timer* timer, uint64_t generation) {
  esp_timer_cb_t callback;
  void* arg;
  {
    std::lock_guard<std::mutex> lock(gTimersMutex);
    if (timer->generation != generation || !timer->active) return;
    callback = timer->callback;
    arg = timer->arg;
    if (timer->periodic) {
      arm(timer, timer->expiryUs + timer->periodUs);
    } else {
      timer->active = false;
    }
  }
  // Runs holding the interrupt lock (twin::schedule), outside gTimersMutex:
  // the callback may start or stop timers.
  callback(arg);
}

/** Schedules the next firing (gTimersMutex held). */
void arm(esp_timer* timer, uint64_t atUs) {
  timer->active = true;
  timer->expiryUs = atUs;
  const uint64_t generation = ++timer->generation;
  timer->scheduled = twin::schedule(atUs, [timer, generation] { fire(timer, generation); });
}

esp_err_t start(esp_timer_handle_t timer, uint64_t timeoutUs, bool periodic) {
  if (!timer) return ESP_ERR_INVALID_ARG;
  std::lock_guard<std::mutex> lock(gTimersMutex);
  if (timer->active) return ESP_ERR_INVALID_STATE;
  timer->periodic = periodic;
  timer->periodUs = timeoutUs;
  arm(timer, twin::nowUs() + timeoutUs);
  return ESP_OK;
}

}  // namespace

esp_err_t esp_timer_init(void) { return ESP_ERR_INVALID_STATE; }  // the core initialised it at boot

esp_err_t esp_timer_create(const esp_timer_create_args_t* args, esp_timer_handle_t* out) {
  if (!args || !args->callback || !out) return ESP_ERR_INVALID_ARG;
  esp_timer* timer = new esp_timer();
  timer->callback = args->callback;
  timer->arg = args->arg;
  timer->name = args->name ? args->name : "";
  timer->active = false;
  timer->periodic = false;
  timer->periodUs = 0;
  timer->expiryUs = 0;
  timer->scheduled = 0;
  timer->generation = 0;
  *out = timer;
  return ESP_OK;
}

esp_err_t esp_timer_start_once(esp_timer_handle_t timer, uint64_t timeoutUs) { return start(timer, timeoutUs, false); }

esp_err_t esp_timer_start_periodic(esp_timer_handle_t timer, uint64_t periodUs) {
  return start(timer, periodUs, true);
}

esp_err_t esp_timer_restart(esp_timer_handle_t timer, uint64_t timeoutUs) {
  if (!timer) return ESP_ERR_INVALID_ARG;
  std::lock_guard<std::mutex> lock(gTimersMutex);
  if (!timer->active) return ESP_ERR_INVALID_STATE;
  twin::cancel(timer->scheduled);
  if (timer->periodic) timer->periodUs = timeoutUs;
  arm(timer, twin::nowUs() + timeoutUs);
  return ESP_OK;
}

esp_err_t esp_timer_stop(esp_timer_handle_t timer) {
  if (!timer) return ESP_ERR_INVALID_ARG;
  std::lock_guard<std::mutex> lock(gTimersMutex);
  if (!timer->active) return ESP_ERR_INVALID_STATE;
  twin::cancel(timer->scheduled);
  timer->active = false;
  ++timer->generation;
  return ESP_OK;
}

esp_err_t esp_timer_delete(esp_timer_handle_t timer) {
  if (!timer) return ESP_ERR_INVALID_ARG;
  {
    std::lock_guard<std::mutex> lock(gTimersMutex);
    if (timer->active) return ESP_ERR_INVALID_STATE;
  }
  delete timer;
  return ESP_OK;
}

int64_t esp_timer_get_time(void) { return static_cast<int64_t>(twin::nowUs()); }

int64_t esp_timer_get_next_alarm(void) { return static_cast<int64_t>(twin::nowUs() + 1000000); }

bool esp_timer_is_active(esp_timer_handle_t timer) {
  if (!timer) return false;
  std::lock_guard<std::mutex> lock(gTimersMutex);
  return timer->active;
}

esp_err_t esp_timer_get_expiry_time(esp_timer_handle_t timer, uint64_t* expiry) {
  if (!timer || !expiry) return ESP_ERR_INVALID_ARG;
  std::lock_guard<std::mutex> lock(gTimersMutex);
  if (!timer->active || timer->periodic) return ESP_ERR_NOT_SUPPORTED;
  *expiry = timer->expiryUs;
  return ESP_OK;
}

// ---------------------------------------------------------------- task watchdog

namespace {

struct Watched {
  uint64_t lastResetUs;
  bool reported;
};

std::mutex gWatchdogMutex;
// arduino-esp32 starts the task watchdog at boot (5 s, no panic) before setup().
esp_task_wdt_config_t gWatchdog = {5000, 0, false};
bool gWatchdogOn = true;
std::map<const void*, Watched> gWatched;
bool gCheckInstalled = false;

const void* taskKey(TaskHandle_t task) { return task ? task : xTaskGetCurrentTaskHandle(); }

void checkWatchdog(uint64_t) {
  bool panic = false;
  {
    std::lock_guard<std::mutex> lock(gWatchdogMutex);
    if (!gWatchdogOn) return;
    const uint64_t nowUs = twin::nowUs();  // not the hardware thread's: a reset may be newer
    for (auto& entry : gWatched) {
      Watched& watched = entry.second;
      if (nowUs < watched.lastResetUs + static_cast<uint64_t>(gWatchdog.timeout_ms) * 1000) continue;
      if (gWatchdog.trigger_panic) {
        panic = true;
      } else if (!watched.reported) {
        watched.reported = true;
        twin::event("WATCHDOG");
      }
    }
  }
  if (panic) {
    twin::event("WATCHDOG");
    twin::reboot(ESP_RST_TASK_WDT);
  }
}

void installCheck() {
  if (gCheckInstalled) return;
  gCheckInstalled = true;
  twin::setPeriodicCheck(checkWatchdog);
}

}  // namespace

esp_err_t esp_task_wdt_init(const esp_task_wdt_config_t* config) {
  if (!config) return ESP_ERR_INVALID_ARG;
  std::lock_guard<std::mutex> lock(gWatchdogMutex);
  if (gWatchdogOn) return ESP_ERR_INVALID_STATE;
  gWatchdog = *config;
  gWatchdogOn = true;
  installCheck();
  return ESP_OK;
}

esp_err_t esp_task_wdt_reconfigure(const esp_task_wdt_config_t* config) {
  if (!config) return ESP_ERR_INVALID_ARG;
  std::lock_guard<std::mutex> lock(gWatchdogMutex);
  if (!gWatchdogOn) return ESP_ERR_INVALID_STATE;
  gWatchdog = *config;
  installCheck();
  return ESP_OK;
}

esp_err_t esp_task_wdt_deinit(void) {
  std::lock_guard<std::mutex> lock(gWatchdogMutex);
  if (!gWatchdogOn || !gWatched.empty()) return ESP_ERR_INVALID_STATE;
  gWatchdogOn = false;
  return ESP_OK;
}

esp_err_t esp_task_wdt_add(TaskHandle_t task) {
  std::lock_guard<std::mutex> lock(gWatchdogMutex);
  if (!gWatchdogOn) return ESP_ERR_INVALID_STATE;
  const void* key = taskKey(task);
  if (gWatched.count(key)) return ESP_ERR_INVALID_ARG;
  gWatched[key] = Watched{twin::nowUs(), false};
  installCheck();
  return ESP_OK;
}

esp_err_t esp_task_wdt_add_user(const char*, esp_task_wdt_user_handle_t* handle) {
  if (!handle) return ESP_ERR_INVALID_ARG;
  std::lock_guard<std::mutex> lock(gWatchdogMutex);
  if (!gWatchdogOn) return ESP_ERR_INVALID_STATE;
  Watched* watched = new Watched{twin::nowUs(), false};
  gWatched[watched] = *watched;
  *handle = reinterpret_cast<esp_task_wdt_user_handle_t>(watched);
  installCheck();
  return ESP_OK;
}

esp_err_t esp_task_wdt_reset(void) {
  std::lock_guard<std::mutex> lock(gWatchdogMutex);
  const auto found = gWatched.find(xTaskGetCurrentTaskHandle());
  if (found == gWatched.end()) return ESP_ERR_NOT_FOUND;
  found->second.lastResetUs = twin::nowUs();
  found->second.reported = false;
  return ESP_OK;
}

esp_err_t esp_task_wdt_reset_user(esp_task_wdt_user_handle_t handle) {
  std::lock_guard<std::mutex> lock(gWatchdogMutex);
  const auto found = gWatched.find(handle);
  if (found == gWatched.end()) return ESP_ERR_NOT_FOUND;
  found->second.lastResetUs = twin::nowUs();
  found->second.reported = false;
  return ESP_OK;
}

esp_err_t esp_task_wdt_delete(TaskHandle_t task) {
  std::lock_guard<std::mutex> lock(gWatchdogMutex);
  return gWatched.erase(taskKey(task)) > 0 ? ESP_OK : ESP_ERR_NOT_FOUND;
}

esp_err_t esp_task_wdt_delete_user(esp_task_wdt_user_handle_t handle) {
  std::lock_guard<std::mutex> lock(gWatchdogMutex);
  if (gWatched.erase(handle) == 0) return ESP_ERR_NOT_FOUND;
  delete reinterpret_cast<Watched*>(handle);
  return ESP_OK;
}

esp_err_t esp_task_wdt_status(TaskHandle_t task) {
  std::lock_guard<std::mutex> lock(gWatchdogMutex);
  if (!gWatchdogOn) return ESP_ERR_INVALID_STATE;
  return gWatched.count(taskKey(task)) ? ESP_OK : ESP_ERR_NOT_FOUND;
}
