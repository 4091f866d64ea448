// The dispense state machine: drop, timeout, jam, sensor fault, on a fake
// motor and beam driven by simulated time.
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
  Dispenser dispenser{hardware, timings};

  /** Runs until a result (at most `limitMs`), returning it. */
  VendResult run(int slot, uint64_t limitMs = 20000) {
    REQUIRE(dispenser.start(slot, clock.now));
    VendResult result;
    for (uint64_t t = 0; t <= limitMs; t += 5) {
      dispenser.tick(clock.now);
      if (dispenser.takeResult(result)) return result;
      clock.now += 5;
    }
    FAIL("no result within the limit");
    return VendResult::NoDrop;
  }
};

}  // namespace

TEST_CASE("a falling item stops the motor at once: dropped") {
  Bench bench;
  bench.hardware.scripts[2].dropAfterMs = 800;
  const uint64_t started = bench.clock.now;
  CHECK(bench.run(2) == VendResult::Dropped);
  REQUIRE(bench.hardware.motorEvents.size() == 2);
  CHECK(bench.hardware.motorEvents[0].slot == 2);
  CHECK(bench.hardware.motorEvents[0].on);
  CHECK(bench.hardware.motorEvents[0].at - started >= bench.timings.sensorCheckMs);
  CHECK(bench.hardware.lastRunMs() >= 800);
  CHECK(bench.hardware.lastRunMs() <= 810);
  CHECK(bench.hardware.allMotorsOff());
  CHECK_FALSE(bench.dispenser.busy());
}

TEST_CASE("no drop within the motor limit: the motor stops, a late drop is awaited, then no_drop") {
  Bench bench;
  const uint64_t started = bench.clock.now;
  CHECK(bench.run(1) == VendResult::NoDrop);
  CHECK(bench.hardware.lastRunMs() >= bench.timings.motorMaxMs);
  CHECK(bench.hardware.lastRunMs() <= bench.timings.motorMaxMs + 10);
  CHECK(bench.clock.now - started >= bench.timings.sensorCheckMs + bench.timings.motorMaxMs + bench.timings.dropWaitMs);
  CHECK(bench.hardware.allMotorsOff());
}

TEST_CASE("an item that falls just after the motor stopped still counts as dropped") {
  Bench bench;
  bench.hardware.scripts[1].dropAfterMs = static_cast<long>(bench.timings.motorMaxMs + 700);
  CHECK(bench.run(1) == VendResult::Dropped);
  CHECK(bench.hardware.lastRunMs() <= bench.timings.motorMaxMs + 10);
}

TEST_CASE("a stall held past the confirm time is a jam, and the motor stops at once") {
  Bench bench;
  bench.hardware.scripts[3].stallAfterMs = 100;  // during inrush already, and it stays
  CHECK(bench.run(3) == VendResult::Jam);
  // Ignored during inrush, then confirmed: stopped at inrush + confirm.
  CHECK(bench.hardware.lastRunMs() >= bench.timings.inrushMs + bench.timings.stallConfirmMs);
  CHECK(bench.hardware.lastRunMs() <= bench.timings.inrushMs + bench.timings.stallConfirmMs + 10);
  CHECK(bench.hardware.allMotorsOff());
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
  bench.hardware.forcedBlocked = false;
  CHECK(bench.dispenser.sensorOk());
}

TEST_CASE("a beam that keeps flickering never passes the sensor check: sensor fault") {
  Bench bench;
  REQUIRE(bench.dispenser.start(1, bench.clock.now));
  VendResult result;
  bool done = false;
  for (int i = 0; i < 400 && !done; ++i) {
    bench.hardware.extraBreaks += 1;  // a break every 10 ms, beam clear in between
    bench.clock.now += 10;
    bench.dispenser.tick(bench.clock.now);
    done = bench.dispenser.takeResult(result);
  }
  REQUIRE(done);
  CHECK(result == VendResult::SensorFault);
  CHECK(bench.clock.now >= bench.timings.sensorWaitMs);
  CHECK(bench.hardware.motorStarts() == 0);
}

TEST_CASE("the previous item still falling through the beam does not fault the next vend") {
  Bench bench;
  bench.hardware.scripts[1].dropAfterMs = 500;
  bench.hardware.forcedBlocked = true;
  REQUIRE(bench.dispenser.start(1, bench.clock.now));
  for (int i = 0; i < 6; ++i) {  // blocked for 30 ms, then one more break as it leaves
    bench.clock.now += 5;
    bench.dispenser.tick(bench.clock.now);
  }
  bench.hardware.forcedBlocked = false;
  bench.hardware.extraBreaks = 1;
  VendResult result;
  bool done = false;
  for (int i = 0; i < 1000 && !done; ++i) {
    bench.clock.now += 5;
    bench.dispenser.tick(bench.clock.now);
    done = bench.dispenser.takeResult(result);
  }
  REQUIRE(done);
  CHECK(result == VendResult::Dropped);
  CHECK(bench.hardware.motorStarts() == 1);
}

TEST_CASE("one vend at a time") {
  Bench bench;
  REQUIRE(bench.dispenser.start(1, 0));
  CHECK(bench.dispenser.busy());
  CHECK(bench.dispenser.slot() == 1);
  CHECK_FALSE(bench.dispenser.start(2, 0));
  CHECK(std::string(bench.dispenser.phaseName()) == "sensor_check");
}
