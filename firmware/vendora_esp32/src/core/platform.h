// What the core needs from the board. The sketch implements these with
// millis/GPIO/Preferences/SocketIOclient; the host tests with fakes.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <string>

namespace vendora {

/** A monotonic clock. */
class Clock {
 public:
  virtual ~Clock() {}
  /** Milliseconds since boot; never goes back, never wraps in practice (64 bits). */
  virtual uint64_t nowMs() = 0;
  /** Microseconds since boot, on the same clock (esp_timer_get_time on the ESP32). */
  virtual uint64_t nowUs() = 0;
};

/**
 * Motors, the drop sensor, the stall input, the home switches and the
 * motor cut-off timer. Slots are numbered from 1, as in the server's
 * planogram.
 *
 * The board also calls the Dispenser's interrupt half: onBeamEdge from the
 * beam pin's interrupt (every change), onHomeSwitch from each home switch
 * pin's interrupt, onMaxRunTimer when the cut-off timer runs out.
 */
class Hardware {
 public:
  virtual ~Hardware() {}
  /**
   * Energises (true) or stops (false) the motor of `slot`. Stops are also
   * made from interrupt and timer context: a plain GPIO write, nothing
   * that blocks or allocates.
   */
  virtual void setMotor(int slot, bool on) = 0;
  /** Whether something interrupts the drop sensor's IR beam right now. */
  virtual bool beamBlocked() = 0;
  /**
   * Whether the motor reports a stall right now (over-current comparator or
   * driver fault output). Always false when no such input is wired.
   */
  virtual bool motorStalled() = 0;
  /** Whether `slot` has a home switch wired. */
  virtual bool hasHomeSwitch(int slot) = 0;
  /** Whether the home switch of `slot` is pressed (the spiral is home); false without one. */
  virtual bool atHome(int slot) = 0;
  /**
   * Arms the one-shot cut-off timer: in `ms` milliseconds it calls
   * Dispenser::onMaxRunTimer(), whatever loop() is doing. Re-arming
   * replaces the previous deadline.
   */
  virtual void startCutoffTimer(uint32_t ms) = 0;
  /** Disarms it (the motor stopped first). */
  virtual void stopCutoffTimer() = 0;
};

/**
 * Persistent bytes: the command store, and the settings and OTA record
 * (each its own instance: Preferences/NVS keys on the ESP32).
 * `save` must be durable when it returns true: the store is written before
 * a motor turns.
 */
class Storage {
 public:
  virtual ~Storage() {}
  /** @returns false when nothing was ever saved or it cannot be read */
  virtual bool load(std::string& blob) = 0;
  /** @returns false when the write failed */
  virtual bool save(const std::string& blob) = 0;
};

/**
 * The socket.io link. Frames are whole Engine.IO text frames
 * (`42/devices,[...]`); the sketch strips the `4<type>` prefix that
 * SocketIOclient::send adds itself.
 */
class Transport {
 public:
  virtual ~Transport() {}
  /** @returns false when the frame could not be written (link down) */
  virtual bool sendFrame(const std::string& frame) = 0;
  /**
   * Asks for the connection to be closed. The sketch does it after the
   * current callback returns: closing inside SocketIOclient's callback
   * would re-enter it.
   */
  virtual void requestDisconnect() = 0;
};

/**
 * The USB serial console: protocol lines (`RESULT ...`, `ERROR ...`) and
 * log lines (starting `# `). One call, one line; the sketch adds `\n`.
 */
class Console {
 public:
  virtual ~Console() {}
  virtual void writeLine(const std::string& line) = 0;
};

/** An optional display for `display_code` (the sketch prints to serial without one). */
class Display {
 public:
  virtual ~Display() {}
  /** Shows `code` for `ttlMs` milliseconds (0: until the next code). */
  virtual void showCode(const std::string& code, uint32_t ttlMs) = 0;
};

/** Board facts for telemetry, and randomness for back-off jitter. */
class SystemInfo {
 public:
  virtual ~SystemInfo() {}
  /** @returns false when not associated to Wi-Fi */
  virtual bool rssi(int& dbm) = 0;
  /** Free heap in bytes. */
  virtual uint32_t freeHeap() = 0;
  /** The lowest free heap since boot, in bytes. */
  virtual uint32_t minFreeHeap() = 0;
  /**
   * Why the board last started, for `status.reset_reason`: `power_on`,
   * `external`, `software`, `panic`, `watchdog`, `deep_sleep`, `brownout`
   * or `unknown`.
   */
  virtual const char* resetReason() = 0;
  /** The board's IPv4 address, dotted. @returns false without one */
  virtual bool ipAddress(std::string& out) = 0;
  /** The Wi-Fi station MAC, `AA:BB:CC:DD:EE:FF`. @returns false when unknown */
  virtual bool macAddress(std::string& out) = 0;
  /** Any 32 random bits (esp_random on the ESP32). */
  virtual uint32_t random32() = 0;
};

/** Restarts the board (esp_restart on the ESP32; it does not return there). */
class Restarter {
 public:
  virtual ~Restarter() {}
  virtual void restart() = 0;
};

/** Everything the Device uses from the board. */
struct Platform {
  Clock& clock;
  Hardware& hardware;
  Storage& storage;
  Transport& transport;
  Console& console;
  Display& display;
  SystemInfo& system;
};

}  // namespace vendora
