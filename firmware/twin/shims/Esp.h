// The ESP object: heap figures, chip facts and restart (cores/esp32/Esp.h).
#pragma once
#include <stdint.h>

class EspClass {
 public:
  uint32_t getHeapSize();
  uint32_t getFreeHeap();
  uint32_t getMinFreeHeap();
  uint32_t getMaxAllocHeap();
  uint32_t getPsramSize() { return 0; }
  uint32_t getFreePsram() { return 0; }
  const char* getChipModel() { return "ESP32-D0WD-V3"; }
  uint16_t getChipRevision() { return 301; }
  uint8_t getChipCores() { return 2; }
  uint32_t getCpuFreqMHz() { return 240; }
  const char* getSdkVersion();
  const char* getCoreVersion();
  uint32_t getFlashChipSize() { return 4 * 1024 * 1024; }
  uint32_t getSketchSize() { return 1024 * 1024; }
  uint32_t getFreeSketchSpace() { return 1310720 - 1024 * 1024; }
  uint64_t getEfuseMac();
  uint32_t getCycleCount();
  /** Reboots: the twin re-executes itself with the same arguments. */
  void restart() __attribute__((noreturn));
};

extern EspClass ESP;
