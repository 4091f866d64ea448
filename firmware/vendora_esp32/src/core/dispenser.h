// The non-blocking dispense state machine: one motor, the drop sensor and
// the stall input decide dropped / no_drop / jam / sensor_fault.
#pragma once

#include <stdint.h>

#include "platform.h"
#include "types.h"

namespace vendora {

/** Timings of one dispense cycle, in milliseconds. */
struct DispenseTimings {
  /** Before the motor starts, the beam must read clear, without a break, for this long ... */
  uint32_t sensorCheckMs;
  /**
   * ... within this long, else sensor_fault. The slack lets the previous
   * item finish falling through the beam; a blocked or flickering beam
   * never gives a clear stretch.
   */
  uint32_t sensorWaitMs;
  /** Longest the motor may run without a drop (one spiral turn plus margin). */
  uint32_t motorMaxMs;
  /** Stall input ignored right after the motor starts: inrush current looks like a stall. */
  uint32_t inrushMs;
  /** The stall input must stay active this long to count as a jam. */
  uint32_t stallConfirmMs;
  /** After the motor stops without a drop, an item still falling is awaited this long. */
  uint32_t dropWaitMs;
  DispenseTimings()
      : sensorCheckMs(50), sensorWaitMs(1000), motorMaxMs(5000), inrushMs(300), stallConfirmMs(200), dropWaitMs(1500) {}
};

/**
 * One vend at a time, advanced by tick():
 *
 *   SensorCheck: the beam must read clear, with no break, for sensorCheckMs
 *     in a row, within sensorWaitMs. Blocked or flickering all that time:
 *     sensor_fault, the motor never turns.
 *   Running: motor on. A beam break stops it at once: dropped. The stall
 *     input held for stallConfirmMs (after inrushMs) stops it: jam, unless
 *     an item still falls during Settling. motorMaxMs without a drop stops it.
 *   Settling: motor off, dropWaitMs for a late drop: dropped, else jam (if
 *     it stalled) or no_drop.
 *
 * The motor is off whenever a result is available.
 */
class Dispenser {
 public:
  Dispenser(Hardware& hardware, const DispenseTimings& timings);

  /**
   * Starts a vend of `slot` (the caller has stored the command first).
   *
   * @returns false when a vend is already running
   */
  bool start(int slot, uint64_t nowMs);

  /** Advances the state machine; call every loop. */
  void tick(uint64_t nowMs);

  /** Whether a vend is running (its result not yet taken). */
  bool busy() const { return phase_ != Phase::Idle; }

  /** Takes the result of the finished vend. @returns false when none is ready */
  bool takeResult(VendResult& out);

  /**
   * Whether the drop sensor can be trusted: when idle, the beam reads
   * clear; during a vend, the last sensor check passed.
   */
  bool sensorOk();

  /** The slot being vended, 0 when idle. */
  int slot() const { return busy() ? slot_ : 0; }

  /** Phase name for the console: idle, sensor_check, running, settling, done. */
  const char* phaseName() const;

 private:
  enum class Phase : uint8_t { Idle, SensorCheck, Running, Settling, Done };

  bool dropSeen();
  void finish(VendResult result);
  void stopMotor();

  Hardware& hardware_;
  DispenseTimings timings_;
  Phase phase_;
  int slot_;
  bool motorOn_;
  bool stalled_;
  bool sensorCheckFailed_;
  bool stallTiming_;
  uint32_t breaksBase_;
  uint64_t phaseStartMs_;
  uint64_t clearSinceMs_;
  uint64_t stallSinceMs_;
  VendResult result_;
};

}  // namespace vendora
