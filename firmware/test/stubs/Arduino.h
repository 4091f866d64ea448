// Stub of the Arduino-ESP32 API, only for `make check-sketch`: a host
// g++ -fsyntax-only pass over the sketch. Declarations mirror the real
// signatures the sketch calls; nothing here runs.
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <functional>
#include <string>

#define HIGH 0x1
#define LOW 0x0
#define INPUT 0x01
#define INPUT_PULLUP 0x05
#define OUTPUT 0x03
#define CHANGE 0x03
#define IRAM_ATTR
#ifndef ESP_ARDUINO_VERSION_MAJOR
#define ESP_ARDUINO_VERSION_MAJOR 3
#endif

void pinMode(uint8_t pin, uint8_t mode);
void digitalWrite(uint8_t pin, uint8_t value);
int digitalRead(uint8_t pin);
int digitalPinToInterrupt(uint8_t pin);
void attachInterrupt(uint8_t interrupt, void (*handler)(void), int mode);
typedef void (*voidFuncPtrArg)(void*);
void attachInterruptArg(uint8_t pin, voidFuncPtrArg handler, void* arg, int mode);
unsigned long millis();
void delay(uint32_t ms);

class String {
 public:
  String(const char* text = "");
  String(const String& other);
  const char* c_str() const;
  String& operator=(const String& other);
  friend String operator+(const String& a, const String& b);
  friend String operator+(const String& a, const char* b);
  friend String operator+(const String& a, int b);
  friend String operator+(const String& a, unsigned int b);
  friend String operator+(const String& a, long b);
  friend String operator+(const String& a, unsigned long b);
};

class HardwareSerial {
 public:
  void begin(unsigned long baud);
  int available();
  int read();
  size_t write(uint8_t byte);
  size_t write(const uint8_t* buffer, size_t size);
};
extern HardwareSerial Serial;

class EspClass {
 public:
  uint32_t getFreeHeap();
  uint32_t getMinFreeHeap();
  void restart();
};
extern EspClass ESP;
