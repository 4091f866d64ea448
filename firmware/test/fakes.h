// Fakes of the board for the host tests, and a Rig that wires a Device to
// them the way the sketch wires it to the ESP32.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "../vendora_esp32/src/core/device.h"
#include "../vendora_esp32/src/core/platform.h"
#include "../vendora_esp32/src/core/wire_session.h"
#include "json_nlohmann.h"

namespace vendora_test {

class FakeClock : public vendora::Clock {
 public:
  uint64_t now = 0;
  uint64_t nowMs() override { return now; }
};

/**
 * Motors, beam and stall input driven by a script per slot: an item falls
 * `dropAfterMs` after the motor starts (beam blocked for 20 ms), the stall
 * input turns on `stallAfterMs` after it starts. -1 = never.
 */
class FakeHardware : public vendora::Hardware {
 public:
  struct Script {
    long dropAfterMs = -1;   // the item falls this long after the motor started (even if it stopped since)
    long stallAfterMs = -1;  // the stall input is active from this long after the start ...
    long stallUntilMs = -1;  // ... until this long after it (-1: while the motor runs)
  };
  struct MotorEvent {
    int slot;
    bool on;
    uint64_t at;
  };

  explicit FakeHardware(FakeClock& clock) : clock_(clock) {}

  Script scripts[65];
  std::vector<MotorEvent> motorEvents;
  bool forcedBlocked = false;  // something sits in the beam
  std::function<void(int)> onMotorStart;  // called as a motor is switched on
  uint32_t extraBreaks = 0;    // beam flicker injected by a test

  void setMotor(int slot, bool on) override {
    sync();
    motorEvents.push_back({slot, on, clock_.now});
    if (on) {
      if (onMotorStart) onMotorStart(slot);
      runningSlot_ = slot;
      startedSlot_ = slot;
      onSince_ = clock_.now;
      dropped_ = false;
    } else if (slot == runningSlot_) {
      runningSlot_ = 0;
    }
  }
  bool beamBlocked() override {
    sync();
    return forcedBlocked || clock_.now < blockedUntil_;
  }
  uint32_t beamBreaks() override {
    sync();
    return breaks_ + extraBreaks;
  }
  bool motorStalled() override {
    sync();
    if (runningSlot_ == 0) return false;
    const Script& script = scripts[runningSlot_];
    const uint64_t running = clock_.now - onSince_;
    return script.stallAfterMs >= 0 && running >= static_cast<uint64_t>(script.stallAfterMs) &&
           (script.stallUntilMs < 0 || running < static_cast<uint64_t>(script.stallUntilMs));
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
  uint64_t lastRunMs() const {
    uint64_t on = 0;
    uint64_t off = 0;
    for (const MotorEvent& event : motorEvents) (event.on ? on : off) = event.at;
    return off >= on ? off - on : 0;
  }
  /** Power loss: every motor stops, the beam counter restarts. */
  void reset() {
    runningSlot_ = 0;
    startedSlot_ = 0;
    breaks_ = 0;
    extraBreaks = 0;
    blockedUntil_ = 0;
  }

 private:
  void sync() {
    if (startedSlot_ == 0 || dropped_) return;
    const Script& script = scripts[startedSlot_];
    if (script.dropAfterMs >= 0 && clock_.now - onSince_ >= static_cast<uint64_t>(script.dropAfterMs)) {
      dropped_ = true;
      ++breaks_;
      blockedUntil_ = clock_.now + 20;
    }
  }

  FakeClock& clock_;
  int runningSlot_ = 0;
  int startedSlot_ = 0;
  uint64_t onSince_ = 0;
  bool dropped_ = false;
  uint32_t breaks_ = 0;
  uint64_t blockedUntil_ = 0;
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
  uint32_t randomValue = 0;
  bool rssi(int& out) override {
    out = dbm;
    return associated;
  }
  uint32_t freeHeap() override { return heap; }
  uint32_t random32() override { return randomValue; }
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
  vendora::DeviceConfig config;
  std::unique_ptr<vendora::Device> device;
  std::unique_ptr<vendora::WireSession> wire;

  explicit Rig(const vendora::DeviceConfig& deviceConfig = testConfig()) : config(deviceConfig) {}

  /** Builds the Device and runs begin(), as setup() does. */
  void boot() {
    vendora::Platform platform{clock, hardware, storage, transport, console, display, system};
    device.reset(new vendora::Device(config, platform, json));
    wire.reset(new vendora::WireSession(*device, transport));
    device->begin();
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
    if (transport.disconnectPending) {
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
