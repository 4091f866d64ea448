// Fakes of the board for the host tests, and a Rig that wires a Device to
// them the way the sketch wires it to the ESP32.
#pragma once

#include <algorithm>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "../vendora_esp32/src/core/device.h"
#include "../vendora_esp32/src/core/platform.h"
#include "../vendora_esp32/src/core/wire_session.h"
#include "json_nlohmann.h"
#include "openssl_signer.h"

namespace vendora_test {

class FakeClock : public vendora::Clock {
 public:
  uint64_t now = 0;  // milliseconds
  uint64_t nowMs() override { return now; }
  uint64_t nowUs() override { return now * 1000; }
};

/**
 * Motors, beam, stall input, home switches and the cut-off timer, driven by
 * a script per slot and by simulated time.
 *
 * What the board's interrupts and timer do happens in pump(): every beam
 * and home switch edge, and the timer, reaches the Dispenser's interrupt
 * half at its own microsecond, whether or not the loop ticks in between.
 *
 * Script (times after the motor started; -1 = never): an item falls
 * `dropAfterMs` after the start (even if the motor stopped since) and
 * blocks the beam for `dropBlockUs`; the stall input is active from
 * `stallAfterMs` until `stallUntilMs` (-1: while the motor runs); with
 * `home` the slot has a home switch, released 40 ms after the start and
 * pressed again `homeAfterMs` after it if the motor still turns then.
 */
class FakeHardware : public vendora::Hardware {
 public:
  struct Script {
    long dropAfterMs = -1;
    long dropBlockUs = 20000;
    long stallAfterMs = -1;
    long stallUntilMs = -1;
    bool home = false;
    long homeLeaveAfterMs = 40;
    long homeAfterMs = -1;
    std::vector<std::pair<long, bool>> homeBounces;  // extra switch edges: ms after the start, pressed
  };
  struct MotorEvent {
    int slot;
    bool on;
    uint64_t atUs;
    uint64_t at;  // ms
  };

  explicit FakeHardware(FakeClock& clock) : clock_(clock) {}

  Script scripts[65];
  std::vector<MotorEvent> motorEvents;
  bool forcedBlocked = false;             // something sits in the beam (no edges)
  std::function<void(int)> onMotorStart;  // called as a motor is switched on
  vendora::Dispenser* dispenser = nullptr;  // what the interrupts call
  int timerStarts = 0;

  /** A beam break of `widthUs` beginning at `atUs` (absolute, microseconds). */
  void pulse(uint64_t atUs, uint64_t widthUs) {
    schedule(atUs, Kind::Beam, 0, true);
    schedule(atUs + widthUs, Kind::Beam, 0, false);
  }
  /** The same, `afterUs` after the next motor start. */
  void pulseAfterStart(uint64_t afterUs, uint64_t widthUs) { startPulses_.push_back({afterUs, widthUs}); }

  /**
   * Delivers every edge and timer expiry due by now, in time order, as the
   * board's interrupts would: the loop's ticks play no part.
   */
  void pump() {
    const uint64_t nowUs = clock_.nowUs();
    for (;;) {
      size_t next = events_.size();
      for (size_t i = 0; i < events_.size(); ++i) {
        if (events_[i].atUs <= nowUs && (next == events_.size() || events_[i].atUs < events_[next].atUs)) next = i;
      }
      if (next == events_.size()) return;
      const Event event = events_[next];
      events_.erase(events_.begin() + static_cast<long>(next));
      dispatch(event);
    }
  }

  void setMotor(int slot, bool on) override {
    const uint64_t atUs = eventTimeUs_ ? eventTimeUs_ : clock_.nowUs();
    motorEvents.push_back({slot, on, atUs, atUs / 1000});
    if (on) {
      if (onMotorStart) onMotorStart(slot);
      runningSlot_ = slot;
      onSinceUs_ = atUs;
      const Script& script = scripts[slot];
      if (script.dropAfterMs >= 0) pulse(atUs + static_cast<uint64_t>(script.dropAfterMs) * 1000, script.dropBlockUs);
      if (script.home) {
        if (script.homeLeaveAfterMs >= 0) {
          schedule(atUs + static_cast<uint64_t>(script.homeLeaveAfterMs) * 1000, Kind::Home, slot, false);
        }
        if (script.homeAfterMs >= 0) schedule(atUs + static_cast<uint64_t>(script.homeAfterMs) * 1000, Kind::Home, slot, true);
        for (const auto& bounce : script.homeBounces) {
          schedule(atUs + static_cast<uint64_t>(bounce.first) * 1000, Kind::Home, slot, bounce.second);
        }
      }
      for (const auto& p : startPulses_) pulse(atUs + p.first, p.second);
      startPulses_.clear();
    } else if (slot == runningSlot_) {
      runningSlot_ = 0;
    }
  }
  bool beamBlocked() override { return forcedBlocked || beamLevel_; }
  bool motorStalled() override {
    if (runningSlot_ == 0) return false;
    const Script& script = scripts[runningSlot_];
    const uint64_t running = (clock_.nowUs() - onSinceUs_) / 1000;
    return script.stallAfterMs >= 0 && running >= static_cast<uint64_t>(script.stallAfterMs) &&
           (script.stallUntilMs < 0 || running < static_cast<uint64_t>(script.stallUntilMs));
  }
  bool hasHomeSwitch(int slot) override { return slot >= 1 && slot <= 64 && scripts[slot].home; }
  bool atHome(int slot) override { return hasHomeSwitch(slot) && !awayFromHome_[slot]; }
  void startCutoffTimer(uint32_t ms) override {
    ++timerStarts;
    stopCutoffTimer();
    schedule(clock_.nowUs() + static_cast<uint64_t>(ms) * 1000, Kind::Timer, 0, false);
  }
  void stopCutoffTimer() override {
    for (size_t i = events_.size(); i-- > 0;) {
      if (events_[i].kind == Kind::Timer) events_.erase(events_.begin() + static_cast<long>(i));
    }
  }

  /** Whether the cut-off timer is armed. */
  bool timerArmed() const {
    for (const Event& event : events_) {
      if (event.kind == Kind::Timer) return true;
    }
    return false;
  }
  /** How many times a motor was switched on. */
  int motorStarts() const {
    int starts = 0;
    for (const MotorEvent& event : motorEvents) starts += event.on ? 1 : 0;
    return starts;
  }
  /** Whether every motor that was switched on was switched off again. */
  bool allMotorsOff() const { return runningSlot_ == 0; }
  /** Milliseconds the last motor run lasted. */
  uint64_t lastRunMs() const { return lastRunUs() / 1000; }
  uint64_t lastRunUs() const {
    uint64_t on = 0;
    uint64_t off = 0;
    for (const MotorEvent& event : motorEvents) (event.on ? on : off) = event.atUs;
    return off >= on ? off - on : 0;
  }
  /** Power loss: every motor stops, the beam and the timer forget everything. */
  void reset() {
    runningSlot_ = 0;
    events_.clear();
    startPulses_.clear();
    beamLevel_ = false;
    for (bool& away : awayFromHome_) away = false;
  }

 private:
  enum class Kind { Beam, Home, Timer };
  struct Event {
    uint64_t atUs;
    Kind kind;
    int slot;
    bool level;  // Beam: blocked; Home: pressed
  };

  void schedule(uint64_t atUs, Kind kind, int slot, bool level) { events_.push_back({atUs, kind, slot, level}); }

  void dispatch(const Event& event) {
    eventTimeUs_ = event.atUs;
    const uint32_t us = static_cast<uint32_t>(event.atUs);
    switch (event.kind) {
      case Kind::Beam:
        beamLevel_ = event.level;
        if (dispenser) dispenser->onBeamEdge(event.level, us);
        break;
      case Kind::Home:
        // The spiral only gets home while its motor turns.
        if (event.level && runningSlot_ != event.slot) break;
        awayFromHome_[event.slot] = !event.level;
        if (dispenser) dispenser->onHomeSwitch(event.slot, event.level, us);
        break;
      case Kind::Timer:
        if (dispenser) dispenser->onMaxRunTimer();
        break;
    }
    eventTimeUs_ = 0;
  }

  FakeClock& clock_;
  std::vector<Event> events_;
  std::vector<std::pair<uint64_t, uint64_t>> startPulses_;
  uint64_t eventTimeUs_ = 0;  // while an interrupt runs: its time
  int runningSlot_ = 0;
  uint64_t onSinceUs_ = 0;
  bool beamLevel_ = false;
  bool awayFromHome_[65] = {};
};

class FakeStorage : public vendora::Storage {
 public:
  std::string blob;
  bool hasBlob = false;
  bool failSaves = false;
  int saves = 0;
  bool load(std::string& out) override {
    if (!hasBlob) return false;
    out = blob;
    return true;
  }
  bool save(const std::string& data) override {
    if (failSaves) return false;
    blob = data;
    hasBlob = true;
    ++saves;
    return true;
  }
};

class FakeTransport : public vendora::Transport {
 public:
  std::vector<std::string> frames;
  int disconnectRequests = 0;
  bool up = true;
  bool helloSeen = false;  // set by the Rig when it delivers `hello`
  std::vector<std::string> sentBeforeHello;
  bool sendFrame(const std::string& frame) override {
    if (!up) return false;
    if (frame.compare(0, 2, "42") == 0 && !helloSeen) sentBeforeHello.push_back(frame);
    frames.push_back(frame);
    return true;
  }
  void requestDisconnect() override {
    ++disconnectRequests;
    disconnectPending = true;
  }
  bool disconnectPending = false;  // the sketch closes the socket on its next loop
};

class FakeConsole : public vendora::Console {
 public:
  std::vector<std::string> lines;
  void writeLine(const std::string& line) override { lines.push_back(line); }
  /** Lines for the serial bridge (everything but `# ` logs). */
  std::vector<std::string> protocolLines() const {
    std::vector<std::string> out;
    for (const std::string& line : lines) {
      if (line.compare(0, 1, "#") != 0) out.push_back(line);
    }
    return out;
  }
};

class FakeDisplay : public vendora::Display {
 public:
  std::string code;
  uint32_t ttlMs = 0;
  int shows = 0;
  void showCode(const std::string& text, uint32_t ttl) override {
    code = text;
    ttlMs = ttl;
    ++shows;
  }
};

class FakeSystem : public vendora::SystemInfo {
 public:
  bool associated = true;
  int dbm = -61;
  uint32_t heap = 183204;
  uint32_t minHeap = 151040;
  std::string reset = "power_on";
  std::string ip = "192.168.1.57";
  std::string mac = "24:6F:28:AA:BB:CC";
  uint32_t randomValue = 0;
  bool rssi(int& out) override {
    out = dbm;
    return associated;
  }
  uint32_t freeHeap() override { return heap; }
  uint32_t minFreeHeap() override { return minHeap; }
  const char* resetReason() override { return reset.c_str(); }
  bool ipAddress(std::string& out) override {
    out = ip;
    return associated && !ip.empty();
  }
  bool macAddress(std::string& out) override {
    out = mac;
    return !mac.empty();
  }
  uint32_t random32() override { return randomValue; }
};

/**
 * The image server behind the signed download URL: serves `image` from the
 * requested offset, `chunk` bytes per read, and can refuse connections,
 * drop one when it reaches a byte offset, or go silent.
 */
class FakeDownload : public vendora::FirmwareDownload {
 public:
  std::string url = "https://vendora.example/firmware/download?sig=abc";
  std::string image;
  size_t chunk = 1024;
  std::vector<uint32_t> dropAt;  // the connection drops once here (each entry once)
  int refuseOpens = 0;           // the next this many opens fail
  bool silent = false;           // connections open but never send
  std::vector<uint32_t> opens;   // offsets asked for, in order
  std::vector<uint64_t> openTimes;
  FakeClock* clock = nullptr;

  /** `GET <url> Range: bytes=<offset>-` for each request, as the vectors write them. */
  std::vector<std::string> requests() const {
    std::vector<std::string> out;
    for (uint32_t offset : opens) out.push_back("GET " + url + " Range: bytes=" + std::to_string(offset) + "-");
    return out;
  }

  bool open(const std::string& requested, uint32_t offset) override {
    opens.push_back(offset);
    openTimes.push_back(clock ? clock->now : 0);
    if (refuseOpens > 0) {
      --refuseOpens;
      return false;
    }
    // 416 Range Not Satisfiable, or another URL.
    if (requested != url || offset >= image.size()) return false;
    pos_ = offset;
    open_ = true;
    return true;
  }
  int read(uint8_t* buffer, size_t capacity) override {
    if (!open_) return -1;
    if (silent) return 0;
    for (size_t i = 0; i < dropAt.size(); ++i) {
      if (dropAt[i] == pos_) {
        dropAt.erase(dropAt.begin() + static_cast<long>(i));
        open_ = false;
        return -1;
      }
    }
    if (pos_ >= image.size()) {
      open_ = false;  // the server closed after the last byte
      return -1;
    }
    size_t n = std::min(capacity, std::min(chunk, image.size() - pos_));
    for (uint32_t drop : dropAt) {
      if (drop > pos_ && drop - pos_ < n) n = drop - pos_;
    }
    std::copy(image.begin() + static_cast<long>(pos_), image.begin() + static_cast<long>(pos_ + n), buffer);
    pos_ += n;
    return static_cast<int>(n);
  }
  void close() override { open_ = false; }
  bool isOpen() const { return open_; }

 private:
  bool open_ = false;
  size_t pos_ = 0;
};

/** The inactive OTA partition and the boot switch. */
class FakeSlot : public vendora::FirmwareSlot {
 public:
  uint32_t size = 1536 * 1024;  // a 1.5 MiB app partition
  std::string image;
  bool failBegin = false;
  bool failWrite = false;
  bool failConfirm = false;
  int begins = 0, finishes = 0, aborts = 0, confirms = 0, rollbacks = 0;
  bool outOfOrder = false;  // a write that did not continue the previous one

  uint32_t capacity() override { return size; }
  bool begin(uint32_t) override {
    ++begins;
    image.clear();
    return !failBegin;
  }
  bool write(uint32_t offset, const uint8_t* data, size_t length) override {
    if (failWrite) return false;
    if (offset != image.size()) outOfOrder = true;
    image.append(reinterpret_cast<const char*>(data), length);
    return true;
  }
  bool finish() override {
    ++finishes;
    return true;
  }
  void abort() override { ++aborts; }
  bool confirm() override {
    ++confirms;
    return !failConfirm;
  }
  void rollback() override { ++rollbacks; }
};

class FakeRestarter : public vendora::Restarter {
 public:
  int restarts = 0;
  uint64_t lastAt = 0;
  FakeClock* clock = nullptr;
  void restart() override {
    ++restarts;
    lastAt = clock ? clock->now : 0;
  }
};

/** A release as the server would announce it: a test image, its hash and signature. */
struct Release {
  std::string version = "vendora-esp32-0.3.0";
  std::string image;
  std::string sha256;
  std::string signature;
  /** `size` bytes of reproducible noise, hashed and signed with the test key. */
  explicit Release(size_t size = 10240, uint32_t seed = 1) {
    uint32_t x = seed * 2654435761u + 1;
    for (size_t i = 0; i < size; ++i) {
      x = x * 1103515245u + 12345u;
      image += static_cast<char>(x >> 24);
    }
    sha256 = opensslSha256Hex(image);
    signature = testReleaseKey().signBase64(image);
  }
};

/** The machine the tests talk to. */
const char kMachine[] = "vm-0042";
const char kKey[] = "k3y-0f-vm-0042";
const char kFirmware[] = "vendora-esp32-0.1.0";

/** A DeviceConfig as the sketch's config.example.h makes it. */
inline vendora::DeviceConfig testConfig() {
  vendora::DeviceConfig config;
  config.machine = kMachine;
  config.key = kKey;
  config.firmware = kFirmware;
  config.slotCount = 5;
  return config;
}

/**
 * A Device on fake hardware, with a WireSession in front as SocketIOclient
 * would be. `reboot()` keeps only the storage, as a power cycle does.
 */
class Rig {
 public:
  FakeClock clock;
  FakeHardware hardware{clock};
  FakeStorage storage;
  FakeTransport transport;
  FakeConsole console;
  FakeDisplay display;
  FakeSystem system;
  NlohmannJsonReader json;
  // Remote operations (PROTOCOL.md §13); `remote = false` leaves them unwired.
  FakeStorage settingsStorage;
  FakeStorage otaRecord;
  FakeDownload download;
  FakeSlot slot;
  FakeRestarter restarter;
  OpenSslVerifier verifier{testReleaseKey().publicPem()};
  vendora::OtaTimings otaTimings;
  bool remote = true;
  vendora::DeviceConfig config;
  std::unique_ptr<vendora::OtaUpdater> ota;
  std::unique_ptr<vendora::Device> device;
  std::unique_ptr<vendora::WireSession> wire;

  explicit Rig(const vendora::DeviceConfig& deviceConfig = testConfig()) : config(deviceConfig) {
    download.clock = &clock;
    restarter.clock = &clock;
  }

  /** Builds the Device and runs begin(), as setup() does, then wires the interrupts. */
  void boot() {
    vendora::Platform platform{clock, hardware, storage, transport, console, display, system};
    device.reset(new vendora::Device(config, platform, json));
    wire.reset(new vendora::WireSession(*device, transport));
    if (remote) {
      ota.reset(new vendora::OtaUpdater(clock, download, slot, verifier, otaRecord, restarter, otaTimings));
      vendora::RemoteOps ops;
      ops.settings = &settingsStorage;
      ops.ota = ota.get();
      ops.restarter = &restarter;
      device->attachRemote(ops);
    }
    device->begin();
    hardware.dispenser = &device->dispenser();
  }

  /** `42/devices,["ota",{...}]` announcing `release` at the download's URL. */
  void sendOta(const Release& release) { server(otaFrame(release)); }
  std::string otaFrame(const Release& release, const std::string& sha256 = "", const std::string& signature = "") {
    return "42/devices,[\"ota\",{\"version\":\"" + release.version + "\",\"url\":\"" + download.url +
           "\",\"size\":" + std::to_string(release.image.size()) + ",\"sha256\":\"" +
           (sha256.empty() ? release.sha256 : sha256) + "\",\"signature\":\"" +
           (signature.empty() ? release.signature : signature) + "\"}]";
  }

  /** Power cycle: RAM, motors and the link are gone; flash stays. */
  void reboot() {
    hardware.reset();
    transport.helloSeen = false;
    boot();
  }

  /**
   * One pass of the sketch's loop() after the library's: a disconnect the
   * core asked for closes the socket (its event comes back), the library's
   * connected state is passed on, the core ticks.
   */
  void tick() {
    hardware.pump();
    if (transport.disconnectPending && device->mayUseNetwork()) {
      transport.disconnectPending = false;
      wire->closed();
    }
    device->setLinkConnected(wire->isOpen());
    device->tick();
  }

  /** Runs the loop for `ms` milliseconds of simulated time. */
  void advance(uint64_t ms, uint64_t step = 5) {
    for (uint64_t done = 0; done < ms; done += step) {
      clock.now += step;
      tick();
    }
  }

  /**
   * `ms` of simulated time with loop() stuck (a blocked network write, a
   * flash erase): interrupts and the timer still run, the core never ticks.
   */
  void stall(uint64_t ms) {
    for (uint64_t done = 0; done < ms; ++done) {
      clock.now += 1;
      hardware.pump();
    }
  }

  /** Network up and the link attempt started (the sketch would now call socketIO.loop()). */
  void networkUp() {
    device->setNetworkReady(true);
    tick();
  }

  /** A direct websocket opens: the open packet arrives, the device sends its 40. */
  void open() {
    transport.helloSeen = false;
    wire->onFrame(
        "0{\"sid\":\"s1\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":45000,\"maxPayload\":16384}");
  }

  /** One server frame; a `hello` also marks the connection as greeted for the checks. */
  void server(const std::string& frame) {
    if (frame.compare(0, 19, "42/devices,[\"hello\"") == 0) transport.helloSeen = true;
    wire->onFrame(frame);
  }

  void hello() {
    server("42/devices,[\"hello\",{\"machine\":\"vm-0042\",\"server_time\":\"2026-11-23T12:53:18.965Z\"}]");
  }

  /** Network up, connect, join, hello: the device is Ready. Frames so far are dropped. */
  void connectReady() {
    networkUp();
    open();
    server("40/devices,{\"sid\":\"n1\"}");
    hello();
    transport.frames.clear();
  }

  /** connectReady() without dropping the frames sent after hello. */
  void connectReadyKeepFrames() {
    networkUp();
    open();
    server("40/devices,{\"sid\":\"n1\"}");
    transport.frames.clear();
    hello();
  }

  void vend(const std::string& commandId, int slot) {
    server("42/devices,[\"vend\",{\"command_id\":\"" + commandId + "\",\"order_id\":1,\"slot\":" +
           std::to_string(slot) + "}]");
  }

  /** Frames sent since the last call. */
  std::vector<std::string> takeFrames() {
    std::vector<std::string> out;
    out.swap(transport.frames);
    return out;
  }

  /** Frames of one kind (`vend_result`, `status`) sent since the last takeFrames. */
  std::vector<std::string> framesWith(const std::string& needle) const {
    std::vector<std::string> out;
    for (const std::string& frame : transport.frames) {
      if (frame.find(needle) != std::string::npos) out.push_back(frame);
    }
    return out;
  }

  /** Serial protocol lines written so far, then forgotten. */
  std::vector<std::string> takeLines() {
    std::vector<std::string> out = console.protocolLines();
    console.lines.clear();
    return out;
  }
};

/** `42/devices,<ack>["vend_result",{"command_id":"<id>","result":"<result>"}]` */
inline std::string resultFrame(uint32_t ackId, const std::string& id, const std::string& result) {
  return "42/devices," + std::to_string(ackId) + "[\"vend_result\",{\"command_id\":\"" + id + "\",\"result\":\"" +
         result + "\"}]";
}

}  // namespace vendora_test
