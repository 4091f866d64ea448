// The twin's runtime: what the shims share with the twin's main(): the
// clock since boot, the event lines on stdout, the hardware thread that
// plays interrupts and esp_timer callbacks, the simulated hardware, the
// state directory (flash) and reboots.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <functional>
#include <string>

#include "esp_system.h"

namespace twin {

/** Microseconds since the twin (the board) booted; monotonic. */
uint64_t nowUs();

/**
 * Prints one event line on stdout, e.g. `MOTOR 1 ON <id>` (printf
 * format). Thread-safe; flushed at once so a test reading the pipe sees it.
 */
void event(const char* format, ...) __attribute__((format(printf, 1, 2)));

/** Whether --verbose was given (ESP-IDF and library logs to stderr). */
bool verbose();
void setVerbose(bool on);

/** The directory that stands for the board's flash (--state-dir). */
const std::string& stateDir();
void setStateDir(const std::string& dir);

/** The machine code, for a MAC address and host name that stay the same. */
const std::string& machineCode();
void setMachineCode(const std::string& code);

/** This boot's reset reason, read (and cleared) from the state directory. */
esp_reset_reason_t resetReason();
/** Reads the reason the last run left; call once, before setup(). */
void loadResetReason();

/** Remembers argv so a reboot can run the same command again. */
void setCommandLine(int argc, char** argv);

/**
 * Reboots the board: notes `reason` for the next boot, prints
 * `REBOOT <name>`, and re-executes the twin with the same arguments
 * (same process id; sockets are closed as a reset drops them).
 */
[[noreturn]] void reboot(esp_reset_reason_t reason);

/**
 * Asks the twin to stop (SIGTERM, SIGINT; async-signal-safe). main() stops
 * between two loop() passes; when a pass is blocked (a connect, a TLS
 * handshake) the hardware thread ends the process after a second, and a
 * reboot asked for meanwhile ends it instead.
 */
void requestStop();
bool stopRequested();

/** Prints `STOPPED` and ends the process with status 0 (no destructors, like a switched-off board). */
[[noreturn]] void exitStopped();

/** Short name of a reset reason: power-on, software, panic, watchdog, brown-out... */
const char* resetReasonName(esp_reset_reason_t reason);

// ---- the hardware thread

/**
 * Runs `action` on the hardware thread at `atUs` (nowUs() clock), holding
 * the interrupt lock, as an ISR or the esp_timer task would run on the
 * board.
 *
 * @returns an id for cancel()
 */
uint64_t schedule(uint64_t atUs, std::function<void()> action);

/** Cancels a scheduled action. @returns false when it already ran or was cancelled */
bool cancel(uint64_t id);

/** Starts the hardware thread (before setup()). */
void startHardwareThread();
/** Stops it (at a clean exit). */
void stopHardwareThread();

/** The lock that keeps interrupts out: noInterrupts(), portENTER_CRITICAL(). */
void enterCritical();
void exitCritical();

/** A periodic check the hardware thread runs every few milliseconds (the watchdog). */
void setPeriodicCheck(std::function<void(uint64_t nowUs)> check);

// ---- the simulated machine (hardware.cpp)

/** How the sketch's pins are wired (from its config.h). */
struct Wiring {
  const int* slotPins;
  int slotCount;
  int motorOnLevel;
  int sensorPin;
  int sensorBlockedLevel;
  int stallPin;
  int stallActiveLevel;
  const int* homePins;  // per slot, -1: none
  int homeActiveLevel;
};

/** What the simulated mechanics do after a motor starts (command line). */
struct Script {
  bool drop = true;
  uint32_t dropAfterMs = 800;     // the item crosses the beam this long after the motor starts ...
  uint32_t dropBlockMs = 25;      // ... and blocks it this long
  int64_t glitchAtMs = -1;        // a beam glitch this long after the motor starts (-1: none)
  uint32_t glitchUs = 300;        // the glitch's length
  int64_t stallAfterMs = -1;      // the stall input turns active this long after the motor starts (-1: never)
  uint32_t turnMs = 2000;         // one turn of a spiral (the home switch's period)
};

void configureHardware(const Wiring& wiring, const Script& script);

/**
 * Names the command a motor that starts now turns for (the MOTOR line),
 * asked by the simulated hardware when a motor pin goes on.
 */
void setCommandIdProvider(std::function<std::string()> provider);

// ---- firmware updates (ota.cpp, wire_tap.cpp)

/**
 * The image a slot holds: a twin image begins with the line
 * `VENDORA-TWIN-IMAGE <firmware>[ <flag>...]\n` (firmware/README.md, "Firmware updates in the twin").
 * `firmware` empty: the image the twin was built as.
 */
struct BootImage {
  std::string firmware;
  bool noRejoin = false;  // flag `no-rejoin`: its Wi-Fi never associates
};

/**
 * The bootloader: reads otadata in `stateDir`, abandons an image that was
 * booted before and never confirmed (back to the other slot), and says
 * which image runs. Call once per start, before the sketch's objects are
 * built (it only uses state built on first use).
 */
BootImage bootFromFlash(const std::string& stateDir);

/** Whether the running image is one that never gets on the network (`no-rejoin`). */
bool wifiBlocked();

/**
 * Watches what a client writes to its socket: after the HTTP request of a
 * websocket upgrade, the (masked) websocket frames; each socket.io
 * `ota_progress` event among them is printed as an event line
 * `OTA <state>[ <percent>][ <reason>]`.
 */
void tapWrite(const void* client, const uint8_t* data, size_t size);
/** Forgets a client's stream (closed, or about to connect again). */
void tapReset(const void* client);

}  // namespace twin
