// The ESP32 Arduino core's plain functions in the twin: time, randomness,
// number formatting, the USB serial port, the ESP object, ESP-IDF system
// calls and FreeRTOS names (see the shims/ headers for what each does).
#include <Arduino.h>
#include <esp_heap_caps.h>
#include <esp_log.h>
#include <esp_mac.h>
#include <esp_system.h>
#include <freertos/FreeRTOS.h>
#include <openssl/evp.h>
#include <poll.h>
#include <sched.h>
#include <sha/sha_parallel_engine.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "api/deprecated-avr-comp/avr/dtostrf.h"
#include "api/itoa.h"
#include "twin.h"

// ---------------------------------------------------------------- time

unsigned long millis(void) { return static_cast<unsigned long>(twin::nowUs() / 1000); }

unsigned long micros(void) { return static_cast<unsigned long>(twin::nowUs()); }

void delay(uint32_t ms) {
  struct timespec wait = {static_cast<time_t>(ms / 1000), static_cast<long>(ms % 1000) * 1000000L};
  while (nanosleep(&wait, &wait) != 0) {
  }
}

void delayMicroseconds(uint32_t us) {
  struct timespec wait = {static_cast<time_t>(us / 1000000), static_cast<long>(us % 1000000) * 1000L};
  while (nanosleep(&wait, &wait) != 0) {
  }
}

void yield(void) { sched_yield(); }

void interrupts(void) { twin::exitCritical(); }
void noInterrupts(void) { twin::enterCritical(); }

extern "C" void twin_enter_critical(void) { twin::enterCritical(); }
extern "C" void twin_exit_critical(void) { twin::exitCritical(); }

TaskHandle_t xTaskGetCurrentTaskHandle(void) {
  static thread_local int marker;
  return &marker;
}

void vTaskDelay(TickType_t ticks) { delay(ticks * portTICK_PERIOD_MS); }

TickType_t xTaskGetTickCount(void) { return static_cast<TickType_t>(millis() / portTICK_PERIOD_MS); }

UBaseType_t uxTaskGetStackHighWaterMark(TaskHandle_t) { return 4096; }

// ---------------------------------------------------------------- numbers

long map(long x, long inMin, long inMax, long outMin, long outMax) {
  if (inMax == inMin) return outMin;
  return (x - inMin) * (outMax - outMin) / (inMax - inMin) + outMin;
}

uint16_t makeWord(uint16_t w) { return w; }
uint16_t makeWord(uint8_t h, uint8_t l) { return static_cast<uint16_t>((h << 8) | l); }

uint32_t esp_random(void) {
  uint32_t value = 0;
  if (getrandom(&value, sizeof value, 0) != static_cast<ssize_t>(sizeof value)) value = static_cast<uint32_t>(rand());
  return value;
}

void esp_fill_random(void* buf, size_t len) {
  uint8_t* out = static_cast<uint8_t*>(buf);
  while (len > 0) {
    const ssize_t got = getrandom(out, len, 0);
    if (got <= 0) break;
    out += got;
    len -= static_cast<size_t>(got);
  }
}

// Arduino's random() on the ESP32 draws from the hardware generator; the seed is ignored there too.
long random(long howbig) {
  if (howbig <= 0) return 0;
  return static_cast<long>(esp_random() % static_cast<uint32_t>(howbig));
}

long random(long howsmall, long howbig) {
  if (howsmall >= howbig) return howsmall;
  return random(howbig - howsmall) + howsmall;
}

void randomSeed(unsigned long) {}

namespace {

char* formatUnsigned(unsigned long long value, char* out, int radix) {
  if (radix < 2 || radix > 36) radix = 10;
  char digits[65];
  int count = 0;
  do {
    const int digit = static_cast<int>(value % static_cast<unsigned>(radix));
    digits[count++] = static_cast<char>(digit < 10 ? '0' + digit : 'a' + digit - 10);
    value /= static_cast<unsigned>(radix);
  } while (value != 0);
  for (int i = 0; i < count; ++i) out[i] = digits[count - 1 - i];
  out[count] = '\0';
  return out;
}

char* formatSigned(long long value, char* out, int radix) {
  if (value < 0 && radix == 10) {
    out[0] = '-';
    formatUnsigned(0ULL - static_cast<unsigned long long>(value), out + 1, radix);
    return out;
  }
  // Other radixes print the two's complement, as avr-libc does.
  return formatUnsigned(static_cast<unsigned long>(value), out, radix);
}

}  // namespace

extern "C" char* itoa(int value, char* string, int radix) {
  if (radix != 10) return formatUnsigned(static_cast<unsigned>(value), string, radix);
  return formatSigned(value, string, radix);
}
extern "C" char* ltoa(long value, char* string, int radix) { return formatSigned(value, string, radix); }
extern "C" char* utoa(unsigned value, char* string, int radix) { return formatUnsigned(value, string, radix); }
extern "C" char* ultoa(unsigned long value, char* string, int radix) { return formatUnsigned(value, string, radix); }

extern "C" char* dtostrf(double val, signed char width, unsigned char prec, char* sout) {
  // ArduinoCore-API's String(float) gives a buffer sized for width and precision.
  sprintf(sout, "%*.*f", width, prec, val);
  return sout;
}

// ---------------------------------------------------------------- USB serial

HardwareSerial Serial;

void HardwareSerial::begin(unsigned long, uint32_t, int8_t, int8_t, bool, unsigned long, uint8_t) {}
void HardwareSerial::end() {}

bool HardwareSerial::fill() {
  if (head_ < tail_) return true;
  if (eof_) return false;
  struct pollfd input = {0, POLLIN, 0};
  if (poll(&input, 1, 0) <= 0 || !(input.revents & (POLLIN | POLLHUP))) return false;
  const ssize_t got = ::read(0, buffer_, sizeof buffer_);
  if (got <= 0) {
    eof_ = true;  // stdin closed (or /dev/null): no serial input
    return false;
  }
  head_ = 0;
  tail_ = static_cast<size_t>(got);
  return true;
}

int HardwareSerial::available() { return fill() ? static_cast<int>(tail_ - head_) : 0; }
int HardwareSerial::availableForWrite() { return 128; }
int HardwareSerial::peek() { return fill() ? buffer_[head_] : -1; }
int HardwareSerial::read() { return fill() ? buffer_[head_++] : -1; }

size_t HardwareSerial::read(uint8_t* buffer, size_t size) {
  size_t count = 0;
  while (count < size && fill()) buffer[count++] = buffer_[head_++];
  return count;
}

void HardwareSerial::flush() {}

size_t HardwareSerial::write(uint8_t c) { return write(&c, 1); }

size_t HardwareSerial::write(const uint8_t* buffer, size_t size) {
  // The console goes to stderr; stdout carries the twin's event lines.
  size_t done = 0;
  while (done < size) {
    const ssize_t wrote = ::write(2, buffer + done, size - done);
    if (wrote <= 0) break;
    done += static_cast<size_t>(wrote);
  }
  return size;
}

size_t HardwareSerial::printf(const char* format, ...) {
  char text[512];
  va_list args;
  va_start(args, format);
  const int length = vsnprintf(text, sizeof text, format, args);
  va_end(args);
  if (length <= 0) return 0;
  return write(reinterpret_cast<const uint8_t*>(text), std::min(static_cast<size_t>(length), sizeof text - 1));
}

size_t HardwareSerial::setRxBufferSize(size_t size) { return size; }
size_t HardwareSerial::setTxBufferSize(size_t size) { return size; }
void HardwareSerial::setDebugOutput(bool) {}

// ---------------------------------------------------------------- ESP and ESP-IDF

// An ESP32-WROOM's heap after Wi-Fi and TLS buffers are up, roughly: the
// board's figures, so telemetry looks like a board's.
static const uint32_t kHeapSize = 327680;
static const uint32_t kFreeHeap = 182000;
static const uint32_t kMinFreeHeap = 151000;
static const uint32_t kMaxAlloc = 110580;

EspClass ESP;

uint32_t EspClass::getHeapSize() { return kHeapSize; }
uint32_t EspClass::getFreeHeap() { return kFreeHeap; }
uint32_t EspClass::getMinFreeHeap() { return kMinFreeHeap; }
uint32_t EspClass::getMaxAllocHeap() { return kMaxAlloc; }
const char* EspClass::getSdkVersion() { return "v5.5.1"; }
const char* EspClass::getCoreVersion() { return ESP_ARDUINO_VERSION_STR; }
uint32_t EspClass::getCycleCount() { return static_cast<uint32_t>(twin::nowUs() * 240); }

uint64_t EspClass::getEfuseMac() {
  uint8_t mac[6];
  esp_efuse_mac_get_default(mac);
  uint64_t value = 0;
  for (int i = 5; i >= 0; --i) value = (value << 8) | mac[i];
  return value;
}

void EspClass::restart() { twin::reboot(ESP_RST_SW); }

esp_reset_reason_t esp_reset_reason(void) { return twin::resetReason(); }
void esp_restart(void) { twin::reboot(ESP_RST_SW); }
uint32_t esp_get_free_heap_size(void) { return kFreeHeap; }
uint32_t esp_get_free_internal_heap_size(void) { return kFreeHeap; }
uint32_t esp_get_minimum_free_heap_size(void) { return kMinFreeHeap; }

size_t heap_caps_get_free_size(uint32_t) { return kFreeHeap; }
size_t heap_caps_get_minimum_free_size(uint32_t) { return kMinFreeHeap; }
size_t heap_caps_get_largest_free_block(uint32_t) { return kMaxAlloc; }
size_t heap_caps_get_total_size(uint32_t) { return kHeapSize; }

esp_err_t esp_efuse_mac_get_default(uint8_t* mac) {
  // Espressif's OUI and three bytes of the machine code's FNV-1a hash: the
  // same twin keeps its MAC across restarts.
  uint32_t hash = 2166136261u;
  for (char c : twin::machineCode()) hash = (hash ^ static_cast<uint8_t>(c)) * 16777619u;
  mac[0] = 0x24;
  mac[1] = 0x0a;
  mac[2] = 0xc4;
  mac[3] = static_cast<uint8_t>(hash >> 16);
  mac[4] = static_cast<uint8_t>(hash >> 8);
  mac[5] = static_cast<uint8_t>(hash);
  return ESP_OK;
}

esp_err_t esp_read_mac(uint8_t* mac, esp_mac_type_t type) {
  esp_efuse_mac_get_default(mac);
  mac[5] = static_cast<uint8_t>(mac[5] + static_cast<int>(type));  // station, AP, BT, Ethernet follow each other
  return ESP_OK;
}

const char* esp_err_to_name(esp_err_t code) {
  switch (code) {
    case ESP_OK:
      return "ESP_OK";
    case ESP_FAIL:
      return "ESP_FAIL";
    case ESP_ERR_NO_MEM:
      return "ESP_ERR_NO_MEM";
    case ESP_ERR_INVALID_ARG:
      return "ESP_ERR_INVALID_ARG";
    case ESP_ERR_INVALID_STATE:
      return "ESP_ERR_INVALID_STATE";
    case ESP_ERR_INVALID_SIZE:
      return "ESP_ERR_INVALID_SIZE";
    case ESP_ERR_NOT_FOUND:
      return "ESP_ERR_NOT_FOUND";
    case ESP_ERR_NOT_SUPPORTED:
      return "ESP_ERR_NOT_SUPPORTED";
    case ESP_ERR_TIMEOUT:
      return "ESP_ERR_TIMEOUT";
    default:
      return "UNKNOWN ERROR";
  }
}

extern "C" int twin_log_enabled(void) { return twin::verbose() ? 1 : 0; }

void esp_sha(esp_sha_type type, const unsigned char* input, size_t ilen, unsigned char* output) {
  const EVP_MD* digest = type == SHA1 ? EVP_sha1() : type == SHA2_256 ? EVP_sha256() : type == SHA2_384 ? EVP_sha384() : EVP_sha512();
  EVP_Digest(input, ilen, output, nullptr, digest, nullptr);
}
