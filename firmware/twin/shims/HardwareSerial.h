// The USB serial port: the board's console lines go to the twin's stderr,
// and lines typed on its stdin arrive as serial input (SERIAL.md).
#pragma once
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "api/Stream.h"

class HardwareSerial : public Stream {
 public:
  void begin(unsigned long baud, uint32_t config = 0, int8_t rxPin = -1, int8_t txPin = -1, bool invert = false,
             unsigned long timeoutMs = 20000UL, uint8_t rxfifoFullThrhd = 112);
  void end();
  int available() override;
  int availableForWrite() override;
  int peek() override;
  int read() override;
  size_t read(uint8_t* buffer, size_t size);
  void flush() override;
  size_t write(uint8_t c) override;
  size_t write(const uint8_t* buffer, size_t size) override;
  using Print::write;
  size_t printf(const char* format, ...) __attribute__((format(printf, 2, 3)));
  size_t setRxBufferSize(size_t size);
  size_t setTxBufferSize(size_t size);
  void setDebugOutput(bool enabled);
  operator bool() const { return true; }

 private:
  bool fill();
  uint8_t buffer_[256];
  size_t head_ = 0;
  size_t tail_ = 0;
  bool eof_ = false;
};

extern HardwareSerial Serial;
