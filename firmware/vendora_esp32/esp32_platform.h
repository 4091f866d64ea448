// The board side of vendora::Platform: clock, GPIO, Preferences, the
// SocketIOclient transport, the USB serial console. Included once, by the
// sketch.
#pragma once

#include <Arduino.h>
#include <Preferences.h>
#include <SocketIOclient.h>
#include <WiFi.h>
#include <esp_system.h>
#include <esp_task_wdt.h>
#include <esp_timer.h>

#include "src/core/dispenser.h"
#include "src/core/platform.h"

/** Milliseconds and microseconds since boot from the 64-bit esp_timer (millis() wraps after 49 days). */
class Esp32Clock : public vendora::Clock {
 public:
  uint64_t nowMs() override { return static_cast<uint64_t>(esp_timer_get_time() / 1000); }
  uint64_t nowUs() override { return static_cast<uint64_t>(esp_timer_get_time()); }
};

// What the interrupts and the cut-off timer reach: set by Esp32Hardware::attach().
static vendora::Dispenser* volatile gDispenser = nullptr;
static int gSensorPin = -1;
static int gSensorBlockedLevel = HIGH;
static const int* gHomePins = nullptr;
static int gHomeActiveLevel = LOW;

// The beam pin's interrupt, on every change: the core times the break and,
// when it is a drop, stops the motor right here. The core's code is not in
// IRAM: these handlers rely on Arduino's default (CONFIG_ARDUINO_ISR_IRAM
// off), where GPIO interrupts wait while the flash cache is disabled.
static void IRAM_ATTR onBeamChange() {
  vendora::Dispenser* dispenser = gDispenser;
  if (dispenser == nullptr) return;
  dispenser->onBeamEdge(digitalRead(gSensorPin) == gSensorBlockedLevel, static_cast<uint32_t>(esp_timer_get_time()));
}

// A home switch's interrupt; `arg` is its slot number.
static void IRAM_ATTR onHomeChange(void* arg) {
  vendora::Dispenser* dispenser = gDispenser;
  if (dispenser == nullptr || gHomePins == nullptr) return;
  const int slot = static_cast<int>(reinterpret_cast<intptr_t>(arg));
  dispenser->onHomeSwitch(slot, digitalRead(gHomePins[slot - 1]) == gHomeActiveLevel,
                          static_cast<uint32_t>(esp_timer_get_time()));
}

// The one-shot cut-off timer, run by the esp_timer task (priority above
// loop()'s, and not blocked by a network write in loop()).
static void onCutoffTimer(void* arg) {
  (void)arg;
  vendora::Dispenser* dispenser = gDispenser;
  if (dispenser != nullptr) dispenser->onMaxRunTimer();
}

/**
 * Motors on GPIO outputs, the IR drop sensor, the optional stall input and
 * home switches, and the motor cut-off timer (esp_timer, the same API on
 * core 2.x and 3.x).
 */
class Esp32Hardware : public vendora::Hardware {
 public:
  Esp32Hardware(const int* slotPins, const int* homePins, int slotCount, int motorOnLevel, int sensorPin,
                int sensorBlockedLevel, int stallPin, int stallActiveLevel, int homeActiveLevel)
      : slotPins_(slotPins),
        homePins_(homePins),
        slotCount_(slotCount),
        motorOnLevel_(motorOnLevel),
        sensorPin_(sensorPin),
        sensorBlockedLevel_(sensorBlockedLevel),
        stallPin_(stallPin),
        stallActiveLevel_(stallActiveLevel),
        homeActiveLevel_(homeActiveLevel) {}

  /** Every motor off first (a reset leaves the pins floating), then the inputs. */
  void begin() {
    for (int i = 0; i < slotCount_; ++i) {
      digitalWrite(slotPins_[i], motorOffLevel());
      pinMode(slotPins_[i], OUTPUT);
      digitalWrite(slotPins_[i], motorOffLevel());
    }
    pinMode(sensorPin_, INPUT);
    if (stallPin_ >= 0) pinMode(stallPin_, INPUT);
    for (int i = 0; i < slotCount_; ++i) {
      // Microswitches to ground; GPIO 34-39 have no pull-up: add 10 kΩ to 3.3 V there.
      if (homePins_[i] >= 0) pinMode(homePins_[i], INPUT_PULLUP);
    }
  }

  /**
   * Connects the interrupts and the cut-off timer to `dispenser`.
   *
   * @returns false when the timer cannot be created (the loop's own
   *   checks still stop the motor, only later when loop() is held up)
   */
  bool attach(vendora::Dispenser& dispenser) {
    gSensorPin = sensorPin_;
    gSensorBlockedLevel = sensorBlockedLevel_;
    gHomePins = homePins_;
    gHomeActiveLevel = homeActiveLevel_;
    gDispenser = &dispenser;
    attachInterrupt(digitalPinToInterrupt(sensorPin_), onBeamChange, CHANGE);
    for (int i = 0; i < slotCount_; ++i) {
      if (homePins_[i] < 0) continue;
      attachInterruptArg(digitalPinToInterrupt(homePins_[i]), onHomeChange,
                         reinterpret_cast<void*>(static_cast<intptr_t>(i + 1)), CHANGE);
    }
    esp_timer_create_args_t args = {};
    args.callback = onCutoffTimer;
    args.arg = nullptr;
    args.dispatch_method = ESP_TIMER_TASK;
    args.name = "motor_cutoff";
    return esp_timer_create(&args, &cutoffTimer_) == ESP_OK;
  }

  void setMotor(int slot, bool on) override {
    if (slot < 1 || slot > slotCount_) return;
    digitalWrite(slotPins_[slot - 1], on ? motorOnLevel_ : motorOffLevel());
  }

  bool beamBlocked() override { return digitalRead(sensorPin_) == sensorBlockedLevel_; }

  bool motorStalled() override { return stallPin_ >= 0 && digitalRead(stallPin_) == stallActiveLevel_; }

  bool hasHomeSwitch(int slot) override { return slot >= 1 && slot <= slotCount_ && homePins_[slot - 1] >= 0; }

  bool atHome(int slot) override {
    return hasHomeSwitch(slot) && digitalRead(homePins_[slot - 1]) == homeActiveLevel_;
  }

  void startCutoffTimer(uint32_t ms) override {
    if (cutoffTimer_ == nullptr) return;
    esp_timer_stop(cutoffTimer_);  // fails harmlessly when not running
    esp_timer_start_once(cutoffTimer_, static_cast<uint64_t>(ms) * 1000);
  }

  void stopCutoffTimer() override {
    if (cutoffTimer_ != nullptr) esp_timer_stop(cutoffTimer_);
  }

 private:
  int motorOffLevel() const { return motorOnLevel_ == HIGH ? LOW : HIGH; }

  const int* slotPins_;
  const int* homePins_;
  int slotCount_;
  int motorOnLevel_;
  int sensorPin_;
  int sensorBlockedLevel_;
  int stallPin_;
  int stallActiveLevel_;
  int homeActiveLevel_;
  esp_timer_handle_t cutoffTimer_ = nullptr;
};

/**
 * The command store in NVS (Preferences namespace "vendora", key "cmds").
 * putBytes commits before it returns, and NVS writes a new copy before it
 * retires the old one, so a power cut leaves either blob, never half of one.
 */
class PreferencesStorage : public vendora::Storage {
 public:
  /**
   * One blob under `key` in the NVS namespace `space` (NVS allows 15
   * characters for each). One instance per namespace: the command store
   * keeps "vendora"/"cmds", the remote settings "vendora_cfg"/"settings".
   */
  explicit PreferencesStorage(const char* space = "vendora", const char* key = "cmds") : space_(space), key_(key) {}

  bool begin() {
    open_ = prefs_.begin(space_, false);
    return open_;
  }

  bool load(std::string& blob) override {
    if (!open_ || !prefs_.isKey(key_)) return false;
    const size_t length = prefs_.getBytesLength(key_);
    if (length == 0) return false;
    blob.assign(length, '\0');
    return prefs_.getBytes(key_, &blob[0], length) == length;
  }

  bool save(const std::string& blob) override {
    return open_ && prefs_.putBytes(key_, blob.data(), blob.size()) == blob.size();
  }

 private:
  const char* space_;
  const char* key_;
  Preferences prefs_;
  bool open_ = false;
};

/** The `reboot` command's restart: ESP.restart() (reset reason `software`). */
class EspRestarter : public vendora::Restarter {
 public:
  void restart() override { ESP.restart(); }
};

/**
 * SocketIOclient with a CA-checked TLS begin, and connection attempts that
 * stay under the task watchdog.
 *
 * The library's beginSSLWithCA is not compiled for the ESP32 in every 2.x
 * release; the WebSocketsClient call under it is. The library opens its
 * WiFiClientSecure and connects it in the same call, leaving the TLS
 * handshake at the ESP32 core's default limit of 120 s, far past the 15 s
 * watchdog. So on the ESP32 this class opens the TLS connection itself,
 * with setHandshakeTimeout, and hands it to the library as the library
 * would (its protected `_client`, `connectedCb()`: unchanged from 2.7.2 to
 * 2.7.3). It also resolves the server's name before each attempt, with
 * the watchdog fed, so that a slow DNS (up to ~14 s in lwIP) and the
 * connect that follows (a cache hit then) are each bounded on their own.
 * Other network types (a custom client on a PC) keep the library's path.
 */
class VendoraSocketIO : public SocketIOclient {
 public:
  /** TCP connect limit of a TLS attempt; with the handshake limit it stays under the watchdog. */
  static const uint32_t kTlsConnectTimeoutMs = 3000;

  void beginTlsWithCA(const char* host, uint16_t port, const char* url, const char* caCert, uint32_t pingIntervalMs,
                      uint32_t pongTimeoutMs, uint8_t disconnectTimeoutCount, uint32_t handshakeTimeoutMs) {
    WebSocketsClient::beginSocketIOSSLWithCA(host, port, url, caCert, "arduino");
    WebSocketsClient::enableHeartbeat(pingIntervalMs, pongTimeoutMs, disconnectTimeoutCount);
    initClient();  // sees EIO=4 in the URL and turns the library's own Engine.IO ping off
    tls_ = true;
    handshakeTimeoutMs_ = handshakeTimeoutMs;
  }

  /** SocketIOclient::loop(), with the connection attempt made as described on the class. */
  void loop() {
#if defined(WEBSOCKETS_NETWORK_TYPE) && defined(NETWORK_ESP32) && WEBSOCKETS_NETWORK_TYPE == NETWORK_ESP32
    if (!clientIsConnected(&_client)) {
      if (millis() - _lastConnectionFail < _reconnectInterval) return;  // the library's own pace
      IPAddress address;
      esp_task_wdt_reset();
      if (!WiFi.hostByName(_host.c_str(), address)) {
        _lastConnectionFail = millis();
        return;
      }
      if (tls_) {
        connectTls();
        return;
      }
      esp_task_wdt_reset();  // the library's connect: TCP, WEBSOCKETS_TCP_TIMEOUT (5 s)
    }
#endif
    SocketIOclient::loop();
  }

 private:
#if defined(WEBSOCKETS_NETWORK_TYPE) && defined(NETWORK_ESP32) && WEBSOCKETS_NETWORK_TYPE == NETWORK_ESP32
  /** What WebSocketsClient::loop() does for wss, with the handshake bounded. */
  void connectTls() {
    WEBSOCKETS_NETWORK_SSL_CLASS* client = new WEBSOCKETS_NETWORK_SSL_CLASS();
    client->setCACert(_CA_cert);
    client->setHandshakeTimeout((handshakeTimeoutMs_ + 999) / 1000);  // seconds
    esp_task_wdt_reset();
    // By name, not by the address just resolved: the name goes into SNI and
    // the certificate check, and lwIP's cache answers the lookup at once.
    if (!client->connect(_host.c_str(), _port, static_cast<int32_t>(kTlsConnectTimeoutMs))) {
      delete client;
      _lastConnectionFail = millis();
      return;
    }
    if (_client.ssl != nullptr) delete _client.ssl;
    _client.ssl = client;
    _client.tcp = client;
    connectedCb();  // sends the HTTP upgrade; the library carries on from here
    _lastConnectionFail = 0;
  }
#endif

  bool tls_ = false;
  uint32_t handshakeTimeoutMs_ = 10000;
};

/**
 * Frames from the core to SocketIOclient::send, which writes the `4<type>`
 * prefix itself. A disconnect is only noted here: it runs from loop(),
 * outside the library's callback.
 */
class SocketTransport : public vendora::Transport {
 public:
  explicit SocketTransport(SocketIOclient& socket) : socket_(socket) {}

  bool sendFrame(const std::string& frame) override {
    if (frame.size() < 3 || frame[0] != '4') return false;  // Engine.IO frames are the library's job
    return socket_.send(static_cast<socketIOmessageType_t>(frame[1]), frame.c_str() + 2, frame.size() - 2);
  }

  void requestDisconnect() override { disconnectRequested_ = true; }

  /** Whether a disconnect was asked for since the last call. */
  bool takeDisconnectRequest() {
    const bool requested = disconnectRequested_;
    disconnectRequested_ = false;
    return requested;
  }

 private:
  SocketIOclient& socket_;
  bool disconnectRequested_ = false;
};

/** Lines on the USB serial port, ended with \n only (SERIAL.md). */
class SerialConsole : public vendora::Console {
 public:
  void writeLine(const std::string& line) override {
    Serial.write(reinterpret_cast<const uint8_t*>(line.data()), line.size());
    Serial.write('\n');
  }
};

/**
 * display_code without a display: the code goes to the serial console.
 * To drive a real display, draw in showCode() and clear in tick().
 */
class SerialDisplay : public vendora::Display {
 public:
  explicit SerialDisplay(vendora::Console& console) : console_(console) {}

  void showCode(const std::string& code, uint32_t ttlMs) override {
    code_ = code;
    untilMs_ = ttlMs == 0 ? 0 : millis64() + ttlMs;
    console_.writeLine("# display: " + code);
  }

  /** Clears an expired code; call every loop. */
  void tick(uint64_t nowMs) {
    if (code_.empty() || untilMs_ == 0 || nowMs < untilMs_) return;
    code_.clear();
    console_.writeLine("# display: (cleared)");
  }

 private:
  static uint64_t millis64() { return static_cast<uint64_t>(esp_timer_get_time() / 1000); }
  vendora::Console& console_;
  std::string code_;
  uint64_t untilMs_ = 0;
};

/** The wire name of a reset reason (`status.reset_reason`, PROTOCOL.md §3). */
static const char* resetReasonCode(esp_reset_reason_t reason) {
  switch (reason) {
    case ESP_RST_POWERON:
      return "power_on";
    case ESP_RST_EXT:
      return "external";
    case ESP_RST_SW:
      return "software";
    case ESP_RST_PANIC:
      return "panic";
    case ESP_RST_INT_WDT:
    case ESP_RST_TASK_WDT:
    case ESP_RST_WDT:
      return "watchdog";
    case ESP_RST_DEEPSLEEP:
      return "deep_sleep";
    case ESP_RST_BROWNOUT:
      return "brownout";
    default:
      return "unknown";
  }
}

/** RSSI, heap, reset reason, addresses and hardware random numbers. */
class Esp32System : public vendora::SystemInfo {
 public:
  bool rssi(int& dbm) override {
    if (WiFi.status() != WL_CONNECTED) return false;
    dbm = WiFi.RSSI();
    return true;
  }
  uint32_t freeHeap() override { return ESP.getFreeHeap(); }
  uint32_t minFreeHeap() override { return ESP.getMinFreeHeap(); }
  const char* resetReason() override { return resetReasonCode(esp_reset_reason()); }
  bool ipAddress(std::string& out) override {
    if (WiFi.status() != WL_CONNECTED) return false;
    out = WiFi.localIP().toString().c_str();
    return true;
  }
  bool macAddress(std::string& out) override {
    out = WiFi.macAddress().c_str();  // "AA:BB:CC:DD:EE:FF"
    return !out.empty();
  }
  uint32_t random32() override { return esp_random(); }
};
