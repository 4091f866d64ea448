// Vendora vending machine controller for the ESP32 (Arduino core 2.x/3.x).
//
// A thin shell: the decisions (vend state machine, command store, result
// outbox, /devices frames, serial line protocol, discovery parsing) live in
// the portable core under src/core/, tested on a PC (firmware/test/). This
// file connects it to Wi-Fi, SocketIOclient, GPIO, Preferences, the USB
// serial port and the OTA partitions (esp32_ota.h). Protocol:
// firmware/PROTOCOL.md; wiring and setup: firmware/README.md.

#include <Arduino.h>
#include <ArduinoJson.h>
#include <Preferences.h>
#include <SocketIOclient.h>
#include <WiFi.h>
#include <esp_system.h>
#include <esp_task_wdt.h>

#if __has_include("config.h")
#include "config.h"
#else
#error "config.h is missing: copy config.example.h to config.h and fill it in (firmware/README.md)"
#endif

// A config.h from before firmware updates: it builds, and refuses `ota`.
#ifndef VENDORA_FIRMWARE_PUBKEY
#define VENDORA_FIRMWARE_PUBKEY ""
#endif

#include "arduinojson_reader.h"
#include "esp32_ota.h"
#include "esp32_platform.h"
#include "lan_discovery_udp.h"
#include "src/core/backoff.h"
#include "src/core/device.h"
#include "src/core/discovery.h"

// The version this build reports (`status.firmware`, the boot line). A build
// may wrap it, e.g. the Linux twin's --version: VENDORA_FIRMWARE_VERSION(v)
// defaults to v itself.
#ifndef VENDORA_FIRMWARE_VERSION
#define VENDORA_FIRMWARE_VERSION(built) built
#endif
static const char* const kFirmwareVersion = VENDORA_FIRMWARE_VERSION("vendora-esp32-0.2.0");

// Heartbeat of the library's websocket layer (PROTOCOL.md §1): a ping every
// 15 s, 10 s to answer, give up after 2 misses. Notices a dead link far
// sooner than the library's 60 s / 90 s / 5 defaults.
static const uint32_t kHeartbeatIntervalMs = 15000;
static const uint32_t kHeartbeatTimeoutMs = 10000;
static const uint8_t kHeartbeatMisses = 2;
// The library's own reconnect pace inside one of the core's 10 s attempt
// windows (between windows the core backs off 1 s, 2 s, ... 30 s).
static const unsigned long kLibraryReconnectMs = 3000;
// Wi-Fi: how long one association may take, and the back-off after a failure.
static const uint64_t kWifiAttemptMs = 20000;
// A discovered server that refuses this many attempts in a row is looked for again.
static const uint32_t kRediscoverAfterFailures = 3;
// Serial bytes handled per loop, so a flood cannot starve the motor.
static const int kSerialBytesPerLoop = 256;

static const int kSlotCount = sizeof cfg::kSlotPins / sizeof cfg::kSlotPins[0];
// A TLS attempt (TCP connect, then handshake) runs inside one loop(): it
// must end before the task watchdog fires, with a second to spare.
static_assert(VendoraSocketIO::kTlsConnectTimeoutMs + cfg::kHandshakeTimeoutMs + 1000 <= cfg::kWatchdogMs,
              "config.h: kHandshakeTimeoutMs must stay 4 s under kWatchdogMs");
static_assert(sizeof cfg::kHomeSwitchPins == sizeof cfg::kSlotPins,
              "config.h: kHomeSwitchPins needs one entry (-1 for none) per entry of kSlotPins");

static VendoraSocketIO socketIO;
static Esp32Clock boardClock;
static Esp32Hardware hardware(cfg::kSlotPins, cfg::kHomeSwitchPins, kSlotCount, cfg::kMotorOnLevel, cfg::kSensorPin,
                              cfg::kSensorBlockedLevel, cfg::kStallPin, cfg::kStallActiveLevel,
                              cfg::kHomeActiveLevel);
static PreferencesStorage storage;
static PreferencesStorage settingsStorage("vendora_cfg", "settings");  // `config` (PROTOCOL.md §13.2)
static EspRestarter restarter;
static SocketTransport transport(socketIO);
static SerialConsole console;
static SerialDisplay display(console);
static Esp32System board;
static ArduinoJsonReader json;

// ---- Firmware updates (PROTOCOL.md §13.1): with the release key's public
// half in config.h; without one (or one that does not parse) `ota` is
// answered `not_supported`, since no image could be checked.
static vendora::OtaTimings makeOtaTimings() {
  vendora::OtaTimings timings;
  timings.confirmDeadlineMs = cfg::kOtaConfirmDeadlineMs;
  return timings;
}
static Esp32FirmwareDownload otaDownload(cfg::kCaCert, cfg::kHandshakeTimeoutMs, console);
static Esp32FirmwareSlot otaSlot;
static MbedtlsSignatureVerifier otaVerifier;
static PreferencesStorage otaRecord("vendora_ota", "record");  // survives the restart into the new image
static vendora::OtaUpdater otaUpdater(boardClock, otaDownload, otaSlot, otaVerifier, otaRecord, restarter,
                                      makeOtaTimings());

static vendora::DeviceConfig makeConfig() {
  vendora::DeviceConfig config;
  config.machine = cfg::kMachineCode;
  config.key = cfg::kDeviceKey;
  config.firmware = kFirmwareVersion;
  config.slotCount = kSlotCount;
  config.dispense.sensorCheckMs = cfg::kSensorCheckMs;
  config.dispense.sensorWaitMs = cfg::kSensorWaitMs;
  config.dispense.motorMaxMs = cfg::kMotorMaxMs;
  config.dispense.inrushMs = cfg::kInrushMs;
  config.dispense.stallConfirmMs = cfg::kStallConfirmMs;
  config.dispense.dropWaitMs = cfg::kDropWaitMs;
  config.dispense.beamMinPulseUs = cfg::kBeamMinPulseUs;
  config.dispense.beamIgnoreAfterStartMs = cfg::kBeamIgnoreAfterStartMs;
  config.dispense.homeLeaveMs = cfg::kHomeLeaveMs;
  config.deadlineMarginMs = cfg::kVendDeadlineMarginMs;
  config.statusIntervalMs = cfg::kTelemetryPeriodMs;
  config.resendIntervalMs = cfg::kResendIntervalMs;
  return config;
}

static vendora::Platform platform = {boardClock, hardware, storage, transport, console, display, board};
static vendora::Device device(makeConfig(), platform, json);

// ---- Wi-Fi with back-off
enum class WifiPhase { Idle, Associating, Up };
static WifiPhase wifiPhase = WifiPhase::Idle;
static vendora::Backoff wifiBackoff(2000, 60000);
static uint64_t wifiRetryAtMs = 0;
static uint64_t wifiAttemptStartMs = 0;

// ---- Where the server is
static vendora::ServerTarget target;
static bool haveTarget = false;
static bool targetFromDiscovery = false;
static bool socketBegun = false;
static bool socketRefused = false;  // TLS without a CA: told once, never connects
static vendora::DiscoverySchedule discoverySchedule;
static LanDiscoveryUdp discoveryUdp;

static void logLine(const String& message) { console.writeLine(std::string("# ") + message.c_str()); }

static void onSocketIOEvent(socketIOmessageType_t type, uint8_t* payload, size_t length) {
  device.onSocketIoEvent(static_cast<char>(type), reinterpret_cast<const char*>(payload), length);
}

static void startWatchdog() {
#if defined(ESP_ARDUINO_VERSION_MAJOR) && ESP_ARDUINO_VERSION_MAJOR >= 3
  esp_task_wdt_config_t config = {};
  config.timeout_ms = cfg::kWatchdogMs;
  config.idle_core_mask = 0;
  config.trigger_panic = true;
  if (esp_task_wdt_reconfigure(&config) != ESP_OK) esp_task_wdt_init(&config);
#else
  esp_task_wdt_init(cfg::kWatchdogMs / 1000, true);
#endif
  esp_task_wdt_add(nullptr);  // this loop task; a reset mid-vend is reported as interrupted
}

static void manageWifi(uint64_t now) {
  const bool associated = WiFi.status() == WL_CONNECTED;
  switch (wifiPhase) {
    case WifiPhase::Idle:
      if (now >= wifiRetryAtMs) {
        WiFi.begin(cfg::kWifiSsid, cfg::kWifiPassword);
        wifiAttemptStartMs = now;
        wifiPhase = WifiPhase::Associating;
      }
      break;
    case WifiPhase::Associating:
      if (associated) {
        wifiPhase = WifiPhase::Up;
        wifiBackoff.reset();
        logLine(String("wifi: connected, ") + WiFi.localIP().toString() + ", RSSI " + WiFi.RSSI() + " dBm");
      } else if (now - wifiAttemptStartMs >= kWifiAttemptMs) {
        WiFi.disconnect();
        const uint32_t delayMs = wifiBackoff.next(esp_random());
        wifiRetryAtMs = now + delayMs;
        wifiPhase = WifiPhase::Idle;
        logLine(String("wifi: not connected; retrying in ") + delayMs + " ms");
      }
      break;
    case WifiPhase::Up:
      if (!associated) {
        WiFi.disconnect();
        const uint32_t delayMs = wifiBackoff.next(esp_random());
        wifiRetryAtMs = now + delayMs;
        wifiPhase = WifiPhase::Idle;
        logLine(String("wifi: lost; reconnecting in ") + delayMs + " ms");
      }
      break;
  }
}

/** Broadcasts VENDORA_DISCOVER on its schedule and takes the first usable reply. */
static void discover(uint64_t now) {
  if (!discoveryUdp.openSocket()) return;
  if (discoverySchedule.due(now, esp_random())) {
    discoveryUdp.broadcastRequest(vendora::buildDiscoveryRequest(cfg::kMachineCode));
  }
  char buffer[vendora::kMaxDiscoveryReply + 1];
  int length;
  while ((length = discoveryUdp.receiveReply(buffer, sizeof buffer)) >= 0) {
    vendora::ServerTarget found;
    const vendora::DiscoveryError error =
        vendora::parseDiscoveryReply(json, buffer, static_cast<size_t>(length), found);
    if (error != vendora::DiscoveryError::None) {
      logLine(String("discovery: reply ignored (") + vendora::discoveryErrorName(error) + ")");
      continue;
    }
    target = found;
    haveTarget = true;
    targetFromDiscovery = true;
    discoveryUdp.closeSocket();
    logLine(String("discovery: server at ") + target.host.c_str() + ":" + target.port +
            (target.tls ? " (tls)" : ""));
    return;
  }
}

/** Points SocketIOclient at the server. @returns false when TLS is wanted without a CA */
static bool beginSocket() {
  const std::string path = target.socketIoPath();
  if (target.tls) {
    if (strstr(cfg::kCaCert, "BEGIN CERTIFICATE") == nullptr || strstr(cfg::kCaCert, "paste the CA") != nullptr) {
      logLine("tls: the server wants TLS and config.h has no CA certificate; not connecting");
      return false;
    }
    socketIO.beginTlsWithCA(target.host.c_str(), target.port, path.c_str(), cfg::kCaCert, kHeartbeatIntervalMs,
                            kHeartbeatTimeoutMs, kHeartbeatMisses, cfg::kHandshakeTimeoutMs);
  } else {
    // Not the library's "/socket.io/?EIO=3" default: the server speaks Engine.IO v4 only.
    socketIO.begin(target.host.c_str(), target.port, path.c_str(), "arduino", kHeartbeatIntervalMs,
                   kHeartbeatTimeoutMs, kHeartbeatMisses);
  }
  socketIO.setReconnectInterval(kLibraryReconnectMs);
  socketBegun = true;
  logLine(String("server: ") + (target.tls ? "wss://" : "ws://") + target.host.c_str() + ":" + target.port +
          path.c_str());
  return true;
}

/** Forgets a discovered server that keeps failing, to look for it again. */
static void forgetTarget() {
  socketIO.disconnect();
  haveTarget = false;
  targetFromDiscovery = false;
  socketBegun = false;
  socketRefused = false;
  discoverySchedule.reset();
  logLine("discovery: server unreachable; looking for it again");
}

void setup() {
  hardware.begin();  // motors off before anything else
  Serial.begin(cfg::kSerialBaud);
  startWatchdog();
  logLine(String("boot: ") + kFirmwareVersion + ", reset reason: " + resetReasonCode(esp_reset_reason()));
  if (!storage.begin()) logLine("nvs: cannot open; vends cannot be recorded and will be refused");
  if (!settingsStorage.begin()) logLine("nvs: cannot open the settings; config.h's values run");

  // Remote settings, logs, restarts and firmware updates (PROTOCOL.md §13).
  vendora::RemoteOps remote;
  remote.settings = &settingsStorage;
  remote.restarter = &restarter;
  if (!otaRecord.begin()) {
    logLine("nvs: cannot open the update record; firmware updates are off");
  } else if (!otaVerifier.begin(VENDORA_FIRMWARE_PUBKEY)) {
    logLine("ota: no usable VENDORA_FIRMWARE_PUBKEY in config.h; firmware updates are off");
  } else {
    remote.ota = &otaUpdater;
  }
  device.attachRemote(remote);
  device.begin();
  // An image that another route installed (a serial flash keeps no
  // record) and that boots pending its verdict is kept at once: only an
  // update of ours waits for the server (the core's Pending state).
  if (otaSlot.pendingVerify() && otaUpdater.state() != vendora::OtaState::Pending) {
    logLine(otaSlot.confirm() ? "ota: running image marked valid" : "ota: cannot mark the running image valid");
  }
  // From here the beam and home switch interrupts and the cut-off timer
  // can stop a motor without loop().
  if (!hardware.attach(device.dispenser())) logLine("motor cut-off timer: cannot create; loop() checks only");

  WiFi.mode(WIFI_STA);
  WiFi.setAutoReconnect(false);  // reconnects are paced by manageWifi()
  socketIO.onEvent(onSocketIOEvent);

  if (strlen(cfg::kServerHost) > 0) {
    target.host = cfg::kServerHost;
    target.port = static_cast<uint16_t>(cfg::kServerPort);
    target.tls = cfg::kUseTls;
    target.pathPrefix = cfg::kServerPath;
    haveTarget = true;
  } else {
    logLine("server: no host in config.h; using LAN discovery (UDP 12346)");
  }
}

// The Arduino core marks a freshly booted image valid before setup()
// unless the sketch says it decides later: this one does, once the image
// has rejoined the server (or rolls it back).
extern "C" bool verifyRollbackLater() { return true; }

void loop() {
  esp_task_wdt_reset();
  const uint64_t now = boardClock.nowMs();

  for (int i = 0; i < kSerialBytesPerLoop && Serial.available() > 0; ++i) {
    device.onSerialByte(static_cast<char>(Serial.read()));
  }

  manageWifi(now);
  const bool wifiUp = wifiPhase == WifiPhase::Up;
  if (wifiUp && !haveTarget) discover(now);
  if (wifiUp && haveTarget && !socketBegun && !socketRefused) socketRefused = !beginSocket();
  device.setNetworkReady(wifiUp && socketBegun);

  // Closing the socket writes a close frame: it waits, like every other
  // network call, until no motor turns.
  if (device.mayUseNetwork() && transport.takeDisconnectRequest()) socketIO.disconnect();
  // Not while the core backs off: the library would reconnect every
  // kLibraryReconnectMs by itself, and its connect blocks during a vend.
  if (socketBegun && device.shouldRunLink()) socketIO.loop();
  // A link can die without a disconnect event reaching the core: the
  // library's own state is the second witness.
  device.setLinkConnected(socketBegun && socketIO.isConnected());

  device.tick();
  display.tick(now);

  if (targetFromDiscovery && device.linkFailures() >= kRediscoverAfterFailures && device.mayUseNetwork()) {
    forgetTarget();
  }
}
