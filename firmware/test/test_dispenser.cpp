// The dispense state machine on a fake motor, beam, stall input and home
// switch driven by simulated time: the results, the drop qualification
// (minimum pulse width, the ignore window after start), the home switch,
// and the motor stops that need no loop() at all.
#include <doctest/doctest.h>

#include "../vendora_esp32/src/core/dispenser.h"
#include "fakes.h"

using namespace vendora;
using vendora_test::FakeClock;
using vendora_test::FakeHardware;

namespace {

struct Bench {
  FakeClock clock;
  FakeHardware hardware{clock};
  DispenseTimings timings;
  Dispenser dispenser{hardware, clock, timings};

  Bench() { hardware.dispenser = &dispenser; }

  /** One loop pass `stepMs` later: interrupts first, then the tick. */
  void step(uint64_t stepMs = 5) {
    clock.now += stepMs;
    hardware.pump();
    dispenser.tick();
  }

  /** Starts a vend of `slot` and runs until a result (at most `limitMs`), returning it. */
  VendResult run(int slot, uint64_t limitMs = 20000) {
    REQUIRE(dispenser.start(slot));
    return finish(limitMs);
  }

  /** Runs the loop until the running vend has a result. */
  VendResult finish(uint64_t limitMs = 20000) {
    VendResult result;
    for (uint64_t t = 0; t <= limitMs; t += 5) {
      dispenser.tick();
      if (dispenser.takeResult(result)) return result;
      clock.now += 5;
      hardware.pump();
    }
    FAIL("no result within the limit");
    return VendResult::NoDrop;
  }

  /** Starts a vend and runs the loop until its motor turns; returns the start time (µs). */
  uint64_t startMotor(int slot) {
    REQUIRE(dispenser.start(slot));
    for (int i = 0; i < 1000 && !dispenser.motorOn(); ++i) step();
    REQUIRE(dispenser.motorOn());
    return hardware.motorEvents.back().atUs;
  }

  /** Time passes with loop() stuck: only the interrupts and the timer run. */
  void stall(uint64_t ms) {
    for (uint64_t done = 0; done < ms; ++done) {
      clock.now += 1;
      hardware.pump();
    }
  }
};

}  // namespace

TEST_CASE("a falling item stops the motor within the minimum pulse width: dropped") {
  Bench bench;
  bench.hardware.scripts[2].dropAfterMs = 800;
  const uint64_t started = bench.clock.now;
  CHECK(bench.run(2) == VendResult::Dropped);
  REQUIRE(bench.hardware.motorEvents.size() == 2);
  CHECK(bench.hardware.motorEvents[0].slot == 2);
  CHECK(bench.hardware.motorEvents[0].on);
  CHECK(bench.hardware.motorEvents[0].at - started >= bench.timings.sensorCheckMs);
  // The break counts once it has lasted 3 ms, at the next loop pass.
  CHECK(bench.hardware.lastRunMs() >= 803);
  CHECK(bench.hardware.lastRunMs() <= 810);
  CHECK(bench.hardware.allMotorsOff());
  CHECK_FALSE(bench.dispenser.busy());
  CHECK_FALSE(bench.hardware.timerArmed());
  CHECK(bench.dispenser.lastRunTurnedMotor());
  CHECK_FALSE(bench.dispenser.lastRunFault());
}

TEST_CASE("the cut-off timer is armed before the motor turns, and disarmed after") {
  Bench bench;
  bench.hardware.scripts[1].dropAfterMs = 500;
  bool armedAtStart = false;
  bench.hardware.onMotorStart = [&](int) { armedAtStart = bench.hardware.timerArmed(); };
  CHECK(bench.run(1) == VendResult::Dropped);
  CHECK(armedAtStart);
  CHECK_FALSE(bench.hardware.timerArmed());
}

TEST_CASE("no drop within the motor limit: the timer stops the motor, a late drop is awaited, then no_drop") {
  Bench bench;
  const uint64_t started = bench.clock.now;
  CHECK(bench.run(1) == VendResult::NoDrop);
  CHECK(bench.hardware.lastRunUs() == bench.timings.motorMaxMs * 1000ULL);
  CHECK(bench.clock.now - started >= bench.timings.sensorCheckMs + bench.timings.motorMaxMs + bench.timings.dropWaitMs);
  CHECK(bench.hardware.allMotorsOff());
}

TEST_CASE("an item that falls just after the motor stopped still counts as dropped") {
  Bench bench;
  bench.hardware.scripts[1].dropAfterMs = static_cast<long>(bench.timings.motorMaxMs + 700);
  CHECK(bench.run(1) == VendResult::Dropped);
  CHECK(bench.hardware.lastRunMs() <= bench.timings.motorMaxMs);
}

TEST_CASE("a stall held past the confirm time is a jam, and the motor stops at once") {
  Bench bench;
  bench.hardware.scripts[3].stallAfterMs = 100;  // during inrush already, and it stays
  CHECK(bench.run(3) == VendResult::Jam);
  // Ignored during inrush, then confirmed: stopped at inrush + confirm.
  CHECK(bench.hardware.lastRunMs() >= bench.timings.inrushMs + bench.timings.stallConfirmMs);
  CHECK(bench.hardware.lastRunMs() <= bench.timings.inrushMs + bench.timings.stallConfirmMs + 10);
  CHECK(bench.hardware.allMotorsOff());
  CHECK(bench.dispenser.lastRunFault());
}

TEST_CASE("a brief stall (a stiff spot in the spiral) is not a jam") {
  Bench bench;
  bench.hardware.scripts[1].stallAfterMs = 400;
  bench.hardware.scripts[1].stallUntilMs = 500;  // 100 ms, below the 200 ms confirm time
  bench.hardware.scripts[1].dropAfterMs = 1200;
  CHECK(bench.run(1) == VendResult::Dropped);
}

TEST_CASE("stall current during inrush alone is not a jam") {
  Bench bench;
  bench.hardware.scripts[1].stallAfterMs = 0;
  bench.hardware.scripts[1].stallUntilMs = static_cast<long>(bench.timings.inrushMs);
  CHECK(bench.run(1) == VendResult::NoDrop);
}

TEST_CASE("an item that falls after a stall is dropped, not jam") {
  Bench bench;
  bench.hardware.scripts[1].stallAfterMs = 350;
  bench.hardware.scripts[1].dropAfterMs = 1000;  // after the motor stopped at ~550 ms
  CHECK(bench.run(1) == VendResult::Dropped);
}

TEST_CASE("a beam blocked before the motor starts is a sensor fault, and no motor turns") {
  Bench bench;
  bench.hardware.forcedBlocked = true;
  CHECK_FALSE(bench.dispenser.sensorOk());
  const uint64_t started = bench.clock.now;
  CHECK(bench.run(4) == VendResult::SensorFault);
  CHECK(bench.clock.now - started >= bench.timings.sensorWaitMs);
  CHECK(bench.clock.now - started <= bench.timings.sensorWaitMs + 10);
  CHECK(bench.hardware.motorStarts() == 0);
  CHECK(bench.hardware.timerStarts == 0);
  CHECK_FALSE(bench.dispenser.lastRunTurnedMotor());
  bench.hardware.forcedBlocked = false;
  CHECK(bench.dispenser.sensorOk());
}

TEST_CASE("a beam that keeps flickering never passes the sensor check: sensor fault") {
  Bench bench;
  for (uint64_t t = 10; t < 2000; t += 10) bench.hardware.pulse(t * 1000, 500);  // 0.5 ms every 10 ms
  CHECK(bench.run(1) == VendResult::SensorFault);
  CHECK(bench.clock.now >= bench.timings.sensorWaitMs);
  CHECK(bench.hardware.motorStarts() == 0);
}

TEST_CASE("the previous item still falling through the beam does not fault the next vend") {
  Bench bench;
  bench.hardware.scripts[1].dropAfterMs = 500;
  bench.hardware.pulse(0, 30000);      // blocked for the first 30 ms
  bench.hardware.pulse(35000, 2000);   // and a flicker as it leaves
  CHECK(bench.run(1) == VendResult::Dropped);
  CHECK(bench.hardware.motorStarts() == 1);
  CHECK(bench.hardware.motorEvents[0].at >= 35 + bench.timings.sensorCheckMs);
}

TEST_CASE("one vend at a time") {
  Bench bench;
  REQUIRE(bench.dispenser.start(1));
  CHECK(bench.dispenser.busy());
  CHECK(bench.dispenser.slot() == 1);
  CHECK_FALSE(bench.dispenser.start(2));
  CHECK(std::string(bench.dispenser.phaseName()) == "sensor_check");
}

// ---- drop qualification

TEST_CASE("a glitch shorter than the minimum pulse width is no drop: no_drop, never dropped") {
  Bench bench;
  bench.hardware.pulseAfterStart(800000, bench.timings.beamMinPulseUs - 1000);  // 2 ms
  CHECK(bench.run(1) == VendResult::NoDrop);
  CHECK(bench.hardware.lastRunUs() == bench.timings.motorMaxMs * 1000ULL);  // it did not stop the motor
  CHECK(bench.dispenser.lastRunIgnoredBreaks() == 1);
}

TEST_CASE("a break of exactly the minimum pulse width counts") {
  Bench bench;
  bench.hardware.pulseAfterStart(800000, bench.timings.beamMinPulseUs);
  CHECK(bench.run(1) == VendResult::Dropped);
  CHECK(bench.dispenser.lastRunIgnoredBreaks() == 0);
}

TEST_CASE("a break inside the ignore window after motor start is ignored, however long") {
  Bench bench;
  bench.hardware.pulseAfterStart(0, 5000);        // the switch-on spike, right at the start
  bench.hardware.pulseAfterStart(100000, 40000);  // 40 ms, beginning at 100 ms
  CHECK(bench.run(1) == VendResult::NoDrop);
  CHECK(bench.dispenser.lastRunIgnoredBreaks() == 2);
}

TEST_CASE("a break beginning right after the ignore window counts") {
  Bench bench;
  bench.hardware.pulseAfterStart(bench.timings.beamIgnoreAfterStartMs * 1000ULL, 20000);
  CHECK(bench.run(1) == VendResult::Dropped);
}

TEST_CASE("noise in the window, then the real item: dropped") {
  Bench bench;
  bench.hardware.pulseAfterStart(20000, 8000);
  bench.hardware.scripts[1].dropAfterMs = 900;
  CHECK(bench.run(1) == VendResult::Dropped);
  CHECK(bench.dispenser.lastRunIgnoredBreaks() == 1);
}

TEST_CASE("a beam still blocked at the end by a break that began in the window is a sensor fault") {
  Bench bench;
  bench.hardware.pulseAfterStart(100000, 60000000);  // blocked from 100 ms on, for a minute
  CHECK(bench.run(1) == VendResult::SensorFault);
}

TEST_CASE("an item resting in the beam counts as soon as the break is long enough, without its end") {
  Bench bench;
  bench.hardware.scripts[1].dropAfterMs = 700;
  bench.hardware.scripts[1].dropBlockUs = 60000000;
  CHECK(bench.run(1) == VendResult::Dropped);
  CHECK(bench.hardware.lastRunMs() <= 710);
}

// ---- home switch

TEST_CASE("with a home switch the motor turns until the spiral is home again, and waits for the item") {
  Bench bench;
  bench.hardware.scripts[1].home = true;
  bench.hardware.scripts[1].homeAfterMs = 2400;
  bench.hardware.scripts[1].dropAfterMs = 1800;  // the item falls before the turn ends: the motor keeps turning
  CHECK(bench.run(1) == VendResult::Dropped);
  CHECK(bench.hardware.lastRunUs() == 2400000);
  CHECK_FALSE(bench.dispenser.lastRunFault());
}

TEST_CASE("home reached and nothing fell: no_drop") {
  Bench bench;
  bench.hardware.scripts[1].home = true;
  bench.hardware.scripts[1].homeAfterMs = 2400;
  CHECK(bench.run(1) == VendResult::NoDrop);
  CHECK(bench.hardware.lastRunUs() == 2400000);
}

TEST_CASE("no home within the maximum run time: jam, the motor cut by the timer") {
  Bench bench;
  bench.hardware.scripts[1].home = true;  // released at 40 ms, never pressed again
  CHECK(bench.run(1) == VendResult::Jam);
  CHECK(bench.hardware.lastRunUs() == bench.timings.motorMaxMs * 1000ULL);
  CHECK(bench.dispenser.lastRunFault());
}

TEST_CASE("a spiral that never leaves home is a jam, not a turn") {
  Bench bench;
  bench.hardware.scripts[1].home = true;
  bench.hardware.scripts[1].homeLeaveAfterMs = -1;
  CHECK(bench.run(1) == VendResult::Jam);
  CHECK(bench.hardware.lastRunUs() == bench.timings.motorMaxMs * 1000ULL);
}

TEST_CASE("an item that fell counts even when the spiral then failed to get home; the jam is reported aside") {
  Bench bench;
  bench.hardware.scripts[1].home = true;
  bench.hardware.scripts[1].dropAfterMs = 1500;
  CHECK(bench.run(1) == VendResult::Dropped);
  CHECK(bench.dispenser.lastRunFault());
}

TEST_CASE("home switch bounce while the spiral leaves is not its return") {
  Bench bench;
  bench.hardware.scripts[1].home = true;
  bench.hardware.scripts[1].homeLeaveAfterMs = 30;
  bench.hardware.scripts[1].homeBounces = {{32, true}, {35, false}, {120, true}, {125, false}};
  bench.hardware.scripts[1].homeAfterMs = 2000;
  CHECK(bench.run(1) == VendResult::NoDrop);
  CHECK(bench.hardware.lastRunUs() == 2000000);
}

// ---- stops that need no loop()

TEST_CASE("loop() stuck while the motor turns: the cut-off timer stops it at the maximum run time") {
  Bench bench;
  const uint64_t on = bench.startMotor(1);
  bench.stall(20000);
  CHECK(bench.hardware.allMotorsOff());
  CHECK(bench.hardware.motorEvents.back().atUs - on == bench.timings.motorMaxMs * 1000ULL);
  CHECK(bench.finish() == VendResult::NoDrop);
}

TEST_CASE("loop() stuck while the motor turns: the beam interrupt stops it at the drop") {
  Bench bench;
  bench.hardware.scripts[1].dropAfterMs = 800;  // blocked 20 ms
  const uint64_t on = bench.startMotor(1);
  bench.stall(20000);
  CHECK(bench.hardware.allMotorsOff());
  CHECK(bench.hardware.motorEvents.back().atUs - on == 820000);  // at the end of the break
  CHECK(bench.finish() == VendResult::Dropped);
}

TEST_CASE("loop() stuck while the motor turns: the home switch interrupt stops it at home") {
  Bench bench;
  bench.hardware.scripts[1].home = true;
  bench.hardware.scripts[1].homeAfterMs = 2500;
  const uint64_t on = bench.startMotor(1);
  bench.stall(20000);
  CHECK(bench.hardware.motorEvents.back().atUs - on == 2500000);
  CHECK(bench.finish() == VendResult::NoDrop);
}

TEST_CASE("a glitch with loop() stuck does not stop the motor either") {
  Bench bench;
  bench.hardware.pulseAfterStart(600000, 1000);
  const uint64_t on = bench.startMotor(1);
  bench.stall(20000);
  CHECK(bench.hardware.motorEvents.back().atUs - on == bench.timings.motorMaxMs * 1000ULL);
  CHECK(bench.finish() == VendResult::NoDrop);
}
