// Arduino.h for the twin: the subset of the ESP32 Arduino core's API that
// the sketch, arduinoWebSockets and ArduinoJson use, on Linux. Names,
// values and signatures follow arduino-esp32 3.x (cores/esp32/Arduino.h and
// esp32-hal-gpio.h); String, Print, Stream, IPAddress and Client are
// ArduinoCore-API's portable classes (firmware/vendor/ArduinoCore-API-*).
#pragma once

#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "esp_arduino_version.h"
#include "esp_system.h"
#include "pgmspace.h"

#define IRAM_ATTR
#define DRAM_ATTR
#define ARDUINO_ISR_ATTR
#define RTC_DATA_ATTR
#define RTC_NOINIT_ATTR

// Pin levels, modes and interrupt modes (esp32-hal-gpio.h values).
#define LOW 0x0
#define HIGH 0x1
#define INPUT 0x01
#define OUTPUT 0x03
#define PULLUP 0x04
#define INPUT_PULLUP 0x05
#define PULLDOWN 0x08
#define INPUT_PULLDOWN 0x09
#define OPEN_DRAIN 0x10
#define OUTPUT_OPEN_DRAIN 0x13
#define ANALOG 0xC0
#define DISABLED 0x00
#define RISING 0x01
#define FALLING 0x02
#define CHANGE 0x03
#define ONLOW 0x04
#define ONHIGH 0x05
#define ONLOW_WE 0x0C
#define ONHIGH_WE 0x0D

#define NUM_DIGITAL_PINS 49
#define NOT_A_PIN -1
#define NOT_AN_INTERRUPT -1
#define digitalPinToInterrupt(p) ((((uint8_t)(p)) < NUM_DIGITAL_PINS) ? (p) : NOT_AN_INTERRUPT)
#define digitalPinIsValid(p) ((p) >= 0 && (p) < NUM_DIGITAL_PINS)

#define PI 3.1415926535897932384626433832795
#define HALF_PI 1.5707963267948966192313216916398
#define TWO_PI 6.283185307179586476925286766559
#define DEG_TO_RAD 0.017453292519943295769236907684886
#define RAD_TO_DEG 57.295779513082320876798154814105

#define lowByte(w) ((uint8_t)((w) & 0xff))
#define highByte(w) ((uint8_t)((w) >> 8))
#define bitRead(value, bit) (((value) >> (bit)) & 0x01)
#define bitSet(value, bit) ((value) |= (1UL << (bit)))
#define bitClear(value, bit) ((value) &= ~(1UL << (bit)))
#define bitToggle(value, bit) ((value) ^= (1UL << (bit)))
#define bitWrite(value, bit, bitvalue) ((bitvalue) ? bitSet(value, bit) : bitClear(value, bit))
#ifndef bit
#define bit(b) (1UL << (b))
#endif
#define _BV(b) (1UL << (b))

typedef bool boolean;
typedef uint8_t byte;
typedef unsigned int word;

#ifdef __cplusplus
extern "C" {
#endif

/** Milliseconds and microseconds since boot (the twin's start). */
unsigned long millis(void);
unsigned long micros(void);
void delay(uint32_t ms);
void delayMicroseconds(uint32_t us);
/** Lets other tasks run (the twin: the scheduler). */
void yield(void);

/**
 * Simulated GPIO (firmware/twin/src/hardware.cpp): motor outputs print
 * MOTOR lines, the drop sensor and the stall input follow the scripted
 * hardware.
 */
void pinMode(uint8_t pin, uint8_t mode);
void digitalWrite(uint8_t pin, uint8_t val);
int digitalRead(uint8_t pin);
uint16_t analogRead(uint8_t pin);
void analogWrite(uint8_t pin, int value);

/**
 * Interrupts run on the twin's hardware thread, excluded by
 * noInterrupts() and portENTER_CRITICAL() as a real ISR is on its core.
 */
void attachInterrupt(uint8_t pin, void (*handler)(void), int mode);
void attachInterruptArg(uint8_t pin, void (*handler)(void*), void* arg, int mode);
void detachInterrupt(uint8_t pin);
void interrupts(void);
void noInterrupts(void);

long map(long x, long in_min, long in_max, long out_min, long out_max);

#ifdef __cplusplus
}  // extern "C"

#include <algorithm>
#include <cmath>

using std::max;
using std::min;
using std::isinf;
using std::isnan;
using ::round;

#define constrain(amt, low, high) ((amt) < (low) ? (low) : ((amt) > (high) ? (high) : (amt)))
#define sq(x) ((x) * (x))
#define radians(deg) ((deg) * DEG_TO_RAD)
#define degrees(rad) ((rad) * RAD_TO_DEG)

#include "WString.h"
#include "Stream.h"
#include "IPAddress.h"
#include "HardwareSerial.h"
#include "Esp.h"

long random(long howbig);
long random(long howsmall, long howbig);
void randomSeed(unsigned long seed);

uint16_t makeWord(uint16_t w);
uint16_t makeWord(uint8_t h, uint8_t l);
#endif
