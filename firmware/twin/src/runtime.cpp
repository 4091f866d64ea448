// The twin's runtime (twin.h): clock, event lines, state directory, reset
// reasons and reboots, and the hardware thread.
#include "twin.h"

#include <fcntl.h>
#include <linux/close_range.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

namespace twin {

namespace {

const std::chrono::steady_clock::time_point kBoot = std::chrono::steady_clock::now();

std::mutex gEventMutex;
std::atomic<bool> gVerbose{false};
std::string gStateDir = ".";
std::string gMachine = "twin";
esp_reset_reason_t gResetReason = ESP_RST_POWERON;
std::vector<char*> gArgv;

// The hardware thread's schedule: time -> id, id -> action.
std::mutex gScheduleMutex;
std::condition_variable gScheduleChanged;
std::multimap<uint64_t, uint64_t> gDue;
std::map<uint64_t, std::function<void()>> gActions;
uint64_t gNextId = 1;
bool gStopping = false;
std::thread gThread;
std::function<void(uint64_t)> gPeriodicCheck;

// Held while an interrupt handler or a timer callback runs, and by the
// sketch's critical sections: the two exclude each other as on one core.
std::recursive_mutex gInterruptLock;

const uint64_t kPeriodicCheckUs = 5000;
// How long a stop request waits for loop() before the process ends anyway.
const uint64_t kStopGraceUs = 1000000;

std::atomic<bool> gStopRequested{false};

std::string resetReasonPath() { return gStateDir + "/reset_reason"; }

void hardwareThread() {
  std::unique_lock<std::mutex> lock(gScheduleMutex);
  uint64_t nextCheckUs = nowUs() + kPeriodicCheckUs;
  uint64_t stopSeenUs = 0;
  while (!gStopping) {
    if (gStopRequested && stopSeenUs == 0) stopSeenUs = nowUs();
    if (stopSeenUs != 0 && nowUs() - stopSeenUs >= kStopGraceUs) exitStopped();
    uint64_t wakeUs = nextCheckUs;
    if (!gDue.empty() && gDue.begin()->first < wakeUs) wakeUs = gDue.begin()->first;
    const uint64_t now = nowUs();
    if (wakeUs > now) {
      gScheduleChanged.wait_for(lock, std::chrono::microseconds(wakeUs - now));
      continue;  // re-read the schedule: something may have been added or cancelled
    }
    std::vector<std::function<void()>> ready;
    while (!gDue.empty() && gDue.begin()->first <= now) {
      const auto found = gActions.find(gDue.begin()->second);
      if (found != gActions.end()) {
        ready.push_back(std::move(found->second));
        gActions.erase(found);
      }
      gDue.erase(gDue.begin());
    }
    const std::function<void(uint64_t)> check = gPeriodicCheck;
    lock.unlock();
    for (std::function<void()>& action : ready) {
      std::lock_guard<std::recursive_mutex> interrupts(gInterruptLock);
      action();
    }
    if (now >= nextCheckUs) {
      if (check) check(now);
      nextCheckUs = now + kPeriodicCheckUs;
    }
    lock.lock();
  }
}

}  // namespace

uint64_t nowUs() {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - kBoot).count());
}

void event(const char* format, ...) {
  std::lock_guard<std::mutex> lock(gEventMutex);
  va_list args;
  va_start(args, format);
  vfprintf(stdout, format, args);
  va_end(args);
  fputc('\n', stdout);
  fflush(stdout);
}

bool verbose() { return gVerbose.load(); }
void setVerbose(bool on) { gVerbose = on; }

const std::string& stateDir() { return gStateDir; }
void setStateDir(const std::string& dir) { gStateDir = dir; }

const std::string& machineCode() { return gMachine; }
void setMachineCode(const std::string& code) { gMachine = code; }

esp_reset_reason_t resetReason() { return gResetReason; }

void loadResetReason() {
  gResetReason = ESP_RST_POWERON;
  FILE* file = fopen(resetReasonPath().c_str(), "r");
  if (!file) return;
  int value = 0;
  if (fscanf(file, "%d", &value) == 1 && value > ESP_RST_UNKNOWN && value <= ESP_RST_CPU_LOCKUP) {
    gResetReason = static_cast<esp_reset_reason_t>(value);
  }
  fclose(file);
  unlink(resetReasonPath().c_str());
}

void setCommandLine(int argc, char** argv) {
  gArgv.assign(argv, argv + argc);
  gArgv.push_back(nullptr);
}

const char* resetReasonName(esp_reset_reason_t reason) {
  switch (reason) {
    case ESP_RST_POWERON:
      return "power-on";
    case ESP_RST_SW:
      return "software";
    case ESP_RST_PANIC:
      return "panic";
    case ESP_RST_INT_WDT:
    case ESP_RST_TASK_WDT:
    case ESP_RST_WDT:
      return "watchdog";
    case ESP_RST_BROWNOUT:
      return "brown-out";
    default:
      return "other";
  }
}

void requestStop() { gStopRequested = true; }

bool stopRequested() { return gStopRequested; }

void exitStopped() {
  // main() and the hardware thread may both get here: one line, one exit.
  static std::atomic<bool> exiting{false};
  if (exiting.exchange(true)) {
    for (;;) pause();
  }
  event("STOPPED");
  fflush(stderr);
  _exit(0);
}

void reboot(esp_reset_reason_t reason) {
  if (gStopRequested) exitStopped();  // the exec would forget the stop
  const std::string path = resetReasonPath();
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd >= 0) {
    char text[16];
    const int length = snprintf(text, sizeof text, "%d\n", static_cast<int>(reason));
    if (write(fd, text, static_cast<size_t>(length)) != length) perror("twin: reset reason");
    fsync(fd);
    close(fd);
  }
  event("REBOOT %s", resetReasonName(reason));
  fflush(stderr);
  if (gArgv.empty() || gArgv[0] == nullptr) _exit(70);
  // A reset drops every connection: nothing but stdio survives the exec.
  // Marked close-on-exec, not closed: loop() may still be using a socket.
  close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
  execv("/proc/self/exe", gArgv.data());
  perror("twin: reboot");
  _exit(70);
}

uint64_t schedule(uint64_t atUs, std::function<void()> action) {
  std::lock_guard<std::mutex> lock(gScheduleMutex);
  const uint64_t id = gNextId++;
  gActions[id] = std::move(action);
  gDue.emplace(atUs, id);
  gScheduleChanged.notify_one();
  return id;
}

bool cancel(uint64_t id) {
  std::lock_guard<std::mutex> lock(gScheduleMutex);
  // The time entry stays; without its action it is skipped.
  return gActions.erase(id) > 0;
}

void startHardwareThread() {
  std::lock_guard<std::mutex> lock(gScheduleMutex);
  if (gThread.joinable()) return;
  gStopping = false;
  gThread = std::thread(hardwareThread);
}

void stopHardwareThread() {
  {
    std::lock_guard<std::mutex> lock(gScheduleMutex);
    gStopping = true;
    gScheduleChanged.notify_one();
  }
  if (gThread.joinable()) gThread.join();
}

void enterCritical() { gInterruptLock.lock(); }
void exitCritical() { gInterruptLock.unlock(); }

void setPeriodicCheck(std::function<void(uint64_t)> check) {
  std::lock_guard<std::mutex> lock(gScheduleMutex);
  gPeriodicCheck = std::move(check);
}

}  // namespace twin
