// Stub for `make check-sketch` (see Arduino.h): the ESP32 core's TLS client
// (NetworkClientSecure on core 3.x, with WiFiClientSecure as its name too).
#pragma once
#include "WiFi.h"

class WiFiClientSecure : public WiFiClient {
 public:
  void setCACert(const char* rootCA);
  void setHandshakeTimeout(unsigned long handshake_timeout);  // seconds
  int connect(const char* host, uint16_t port, int32_t timeout);
};
