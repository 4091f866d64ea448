// The dispense state machine: one motor, the drop sensor, the stall input
// and an optional home switch decide dropped / no_drop / jam / sensor_fault.
//
// Two halves. The loop half (start, tick, takeResult) runs the phases and
// reports. The interrupt half (onBeamEdge, onHomeSwitch, onMaxRunTimer) is
// called by the beam and home switch interrupts and by a one-shot hardware
// timer, and stops the motor itself: a loop() stuck in a network write or
// a flash erase can then never overrun a spiral. The two halves share only
// lock-free 32-bit atomics; the interrupt half never allocates or blocks.
#pragma once

#include <stdint.h>

#include <atomic>

#include "platform.h"
#include "types.h"

namespace vendora {

/** Timings of one dispense cycle. Milliseconds unless the name says Us. */
struct DispenseTimings {
  /** Before the motor starts, the beam must read clear, without a break, for this long ... */
  uint32_t sensorCheckMs;
  /**
   * ... within this long, else sensor_fault. The slack lets the previous
   * item finish falling through the beam; a blocked or flickering beam
   * never gives a clear stretch.
   */
  uint32_t sensorWaitMs;
  /**
   * Longest the motor may run: one spiral turn plus margin. A one-shot
   * hardware timer cuts the motor when it runs out, whatever loop() does.
   */
  uint32_t motorMaxMs;
  /** Stall input ignored right after the motor starts: inrush current looks like a stall. */
  uint32_t inrushMs;
  /** The stall input must stay active this long to count as a jam. */
  uint32_t stallConfirmMs;
  /** After the motor stops without a drop, an item still falling is awaited this long. */
  uint32_t dropWaitMs;
  /**
   * A beam break counts as a drop only when the beam stays interrupted at
   * least this long (microseconds): a falling item blocks it for
   * milliseconds, electrical noise for microseconds.
   */
  uint32_t beamMinPulseUs;
  /**
   * Breaks that begin within this long after the motor starts are ignored:
   * no item can fall that soon, but the motor's switch-on spike can reach
   * the sensor line.
   */
  uint32_t beamIgnoreAfterStartMs;
  /**
   * With a home switch: switch edges within this long after the start are
   * the spiral leaving home (and contact bounce), not its return.
   */
  uint32_t homeLeaveMs;
  DispenseTimings()
      : sensorCheckMs(50),
        sensorWaitMs(1000),
        motorMaxMs(5000),
        inrushMs(300),
        stallConfirmMs(200),
        dropWaitMs(1500),
        beamMinPulseUs(3000),
        beamIgnoreAfterStartMs(150),
        homeLeaveMs(300) {}
};

/**
 * One vend at a time, advanced by tick():
 *
 *   SensorCheck: the beam must read clear, with no break, for sensorCheckMs
 *     in a row, within sensorWaitMs. Blocked or flickering all that time:
 *     sensor_fault, the motor never turns.
 *   Running: the cut-off timer is armed for motorMaxMs, then the motor
 *     turns. It stops at the first of:
 *       - a qualified drop (a break that began at least
 *         beamIgnoreAfterStartMs after the start and lasted at least
 *         beamMinPulseUs), when the slot has no home switch: dropped;
 *       - the spiral back home (home switch pressed again after it was
 *         released, at least homeLeaveMs after the start);
 *       - the stall input held stallConfirmMs (after inrushMs);
 *       - the cut-off timer (motorMaxMs).
 *   Settling: motor off, dropWaitMs for an item still falling: dropped.
 *     Else: jam if it stalled, or if a slot with a home switch did not get
 *     home; sensor_fault if the beam is still blocked by a break that began
 *     in the ignore window (no judgement possible); no_drop otherwise.
 *
 * A slot with a home switch turns a whole turn even after its item fell;
 * an item that fell still gives dropped when the spiral then failed to get
 * home (the shopper has it), and lastRunFault() reports the jam.
 *
 * The motor is off whenever a result is available.
 */
class Dispenser {
 public:
  Dispenser(Hardware& hardware, Clock& clock, const DispenseTimings& timings);

  /**
   * Starts a vend of `slot` (the caller has stored the command first).
   *
   * @returns false when a vend is already running
   */
  bool start(int slot);

  /**
   * Replaces the timings (settings pushed by the server). Only while idle:
   * a running vend, and its interrupt half, keep the ones it started with.
   *
   * @returns false when a vend is running (nothing changed)
   */
  bool setTimings(const DispenseTimings& timings);

  /** Advances the state machine; call every loop. */
  void tick();

  /** Whether a vend is running (its result not yet taken). */
  bool busy() const { return phase_ != Phase::Idle; }

  /** Whether a motor is energised right now. Nothing may block the loop while it is. */
  bool motorOn() const { return motorSlot_.load() != 0; }

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

  /** The slot of the vend whose result was taken last (0 before any). */
  int lastSlot() const { return lastSlot_; }
  /** Of the vend whose result was taken last: whether its motor turned. */
  bool lastRunTurnedMotor() const { return lastTurned_; }
  /** ... whether its spiral stalled or, with a home switch, did not get home. */
  bool lastRunFault() const { return lastFault_; }
  /** ... how many beam breaks it ignored (too short, or in the ignore window). */
  uint32_t lastRunIgnoredBreaks() const { return lastIgnored_; }

  // ---- Interrupt half: callable from an ISR or a timer task at any time.

  /**
   * The beam's receiver changed level (the sensor pin's interrupt).
   *
   * @param blocked whether the beam is interrupted now
   * @param nowUs   a microsecond clock (esp_timer_get_time), wrapping at 2^32
   */
  void onBeamEdge(bool blocked, uint32_t nowUs);

  /** The home switch of `slot` changed level: `atHome` is whether it is pressed now. */
  void onHomeSwitch(int slot, bool atHome, uint32_t nowUs);

  /** The one-shot cut-off timer armed at motor start ran out. */
  void onMaxRunTimer();

 private:
  enum class Phase : uint8_t { Idle, SensorCheck, Running, Settling, Done };

  void startMotor(uint64_t nowMs);
  /** Stops the motor if it runs; safe from every context. */
  void cutMotor();
  /** Whether a break that began at `startUs` and has lasted `widthUs` is a drop. */
  bool qualifies(uint32_t startUs, uint32_t widthUs) const;
  void checkLongBreak(uint32_t nowUs);
  void finish(VendResult result);

  Hardware& hardware_;
  Clock& clock_;
  DispenseTimings timings_;

  // Loop half only.
  Phase phase_;
  int slot_;
  bool stalled_;
  bool sensorCheckFailed_;
  bool stallTiming_;
  bool turned_;
  uint32_t edgesBase_;
  uint64_t phaseStartMs_;
  uint64_t clearSinceMs_;
  uint64_t stallSinceMs_;
  VendResult result_;
  int lastSlot_;
  bool lastTurned_;
  bool lastFault_;
  uint32_t lastIgnored_;

  // Written by the loop before listening_ turns true, read by the interrupt half.
  uint32_t motorStartUs_;
  bool homeMode_;
  int homeSlot_;

  // Shared.
  std::atomic<int> motorSlot_;          // the energised slot, 0 when none
  std::atomic<bool> listening_;         // breaks and home edges are judged (Running, Settling)
  std::atomic<bool> beamBlocked_;       // as the last edge left it
  std::atomic<uint32_t> breakStartUs_;  // when the current break began
  std::atomic<uint32_t> edges_;         // clear-to-blocked edges since boot
  std::atomic<uint32_t> ignored_;       // breaks ignored in this vend
  std::atomic<bool> dropped_;           // a qualified drop in this vend
  std::atomic<bool> homeLeft_;          // the home switch was released in this vend
  std::atomic<bool> homeReached_;       // ... and pressed again: one whole turn
};

}  // namespace vendora
