// Wi-Fi in the twin is always available: begin() associates at once and
// the station stays connected until disconnect(). Addresses are the host's
// loopback; the MAC is derived from the machine code; RSSI is -55 dBm.
#pragma once
#include <stdint.h>

#include "Arduino.h"
#include "IPAddress.h"
#include "NetworkClient.h"
#include "WString.h"

typedef enum {
  WL_NO_SHIELD = 255,
  WL_STOPPED = 254,
  WL_IDLE_STATUS = 0,
  WL_NO_SSID_AVAIL = 1,
  WL_SCAN_COMPLETED = 2,
  WL_CONNECTED = 3,
  WL_CONNECT_FAILED = 4,
  WL_CONNECTION_LOST = 5,
  WL_DISCONNECTED = 6
} wl_status_t;

typedef enum { WIFI_MODE_NULL = 0, WIFI_MODE_STA, WIFI_MODE_AP, WIFI_MODE_APSTA, WIFI_MODE_MAX } wifi_mode_t;
#define WIFI_OFF WIFI_MODE_NULL
#define WIFI_STA WIFI_MODE_STA
#define WIFI_AP WIFI_MODE_AP
#define WIFI_AP_STA WIFI_MODE_APSTA

typedef enum { WIFI_PS_NONE, WIFI_PS_MIN_MODEM, WIFI_PS_MAX_MODEM } wifi_ps_type_t;

class WiFiClass {
 public:
  wl_status_t begin(const char* ssid, const char* passphrase = nullptr, int32_t channel = 0,
                    const uint8_t* bssid = nullptr, bool connect = true);
  wl_status_t begin(const String& ssid, const String& passphrase) { return begin(ssid.c_str(), passphrase.c_str()); }
  bool disconnect(bool wifioff = false, bool eraseap = false);
  bool reconnect();
  wl_status_t status();
  bool isConnected() { return status() == WL_CONNECTED; }
  bool mode(wifi_mode_t mode);
  wifi_mode_t getMode() { return mode_; }
  bool setAutoReconnect(bool autoReconnect);
  bool getAutoReconnect() { return autoReconnect_; }
  bool setSleep(bool enabled);
  bool setSleep(wifi_ps_type_t sleepType);
  bool setHostname(const char* hostname);
  const char* getHostname();
  IPAddress localIP();
  IPAddress gatewayIP();
  IPAddress subnetMask();
  IPAddress dnsIP(uint8_t dnsNo = 0);
  String macAddress();
  uint8_t* macAddress(uint8_t* mac);
  String SSID();
  String BSSIDstr();
  int8_t RSSI();
  int32_t channel() { return 6; }
  int hostByName(const char* host, IPAddress& result);

 private:
  wl_status_t status_ = WL_IDLE_STATUS;
  wifi_mode_t mode_ = WIFI_MODE_NULL;
  bool autoReconnect_ = true;
  String ssid_;
  String hostname_;
};

extern WiFiClass WiFi;
typedef WiFiClass NetworkManager;
