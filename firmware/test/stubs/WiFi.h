// Stub for `make check-sketch` (see Arduino.h).
#pragma once
#include "Arduino.h"

typedef enum { WL_IDLE_STATUS = 0, WL_CONNECTED = 3, WL_DISCONNECTED = 6 } wl_status_t;
typedef enum { WIFI_OFF = 0, WIFI_STA = 1 } wifi_mode_t;

class IPAddress {
 public:
  String toString() const;
};

class WiFiClient {
 public:
  virtual ~WiFiClient();
  int connect(const char* host, uint16_t port, int32_t timeout);
  size_t write(const uint8_t* buf, size_t size);
  int available();
  int read();
  int read(uint8_t* buf, size_t size);
  uint8_t connected();
  void stop();
};

class WiFiClass {
 public:
  wl_status_t begin(const char* ssid, const char* passphrase = nullptr);
  bool disconnect(bool wifioff = false, bool eraseap = false);
  wl_status_t status();
  int8_t RSSI();
  IPAddress localIP();
  String macAddress();
  bool mode(wifi_mode_t mode);
  bool setAutoReconnect(bool autoReconnect);
  static int hostByName(const char* aHostname, IPAddress& aResult);
};
extern WiFiClass WiFi;
