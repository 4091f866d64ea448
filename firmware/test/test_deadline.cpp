// Vend deadlines: `expires_at` judged by the clock taken from `hello`, the
// `expired` result, and the ISO 8601 times both come in.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "../vendora_esp32/src/core/server_clock.h"
#include "fakes.h"

using namespace vendora;
using namespace vendora_test;

namespace {

const std::string kA = "45979658-cb5a-4e1c-9ee2-1c69a12aee4a";
const std::string kB = "b4a458fa-9459-40d4-bb0c-6911737f35ef";

typedef std::vector<std::string> Frames;

// The Rig's hello says 2026-11-23T12:53:18.965Z.
const char kHelloTime[] = "2026-11-23T12:53:18.965Z";

/** A time `offsetMs` after the Rig's hello time, as the server writes it. */
std::string helloPlus(int64_t offsetMs) {
  int64_t base = 0;
  REQUIRE(parseIsoUtcMs(kHelloTime, base));
  const int64_t t = base + offsetMs;
  // Same date: the tests stay within that day.
  const int64_t msOfDay = ((t % 86400000) + 86400000) % 86400000;
  char text[32];
  snprintf(text, sizeof text, "2026-11-23T%02d:%02d:%02d.%03dZ", static_cast<int>(msOfDay / 3600000),
           static_cast<int>(msOfDay / 60000 % 60), static_cast<int>(msOfDay / 1000 % 60),
           static_cast<int>(msOfDay % 1000));
  return text;
}

void vendWithDeadline(Rig& rig, const std::string& id, int slot, const std::string& expiresAt) {
  rig.server("42/devices,[\"vend\",{\"command_id\":\"" + id + "\",\"order_id\":1,\"slot\":" + std::to_string(slot) +
             ",\"expires_at\":\"" + expiresAt + "\"}]");
}

Frames vendResults(Rig& rig) {
  Frames out = rig.framesWith("\"vend_result\"");
  rig.transport.frames.clear();
  return out;
}

/** Every slot drops its item 800 ms into the motor run; booted and Ready. */
struct ReadyRig : Rig {
  ReadyRig() {
    for (int slot = 1; slot <= 5; ++slot) hardware.scripts[slot].dropAfterMs = 800;
    boot();
    connectReady();
  }
};

/** sensorWaitMs + motorMaxMs + dropWaitMs + deadlineMarginMs of the test config. */
int64_t cycleBudgetMs() {
  const DeviceConfig config = testConfig();
  return static_cast<int64_t>(config.dispense.sensorWaitMs) + config.dispense.motorMaxMs +
         config.dispense.dropWaitMs + config.deadlineMarginMs;
}

}  // namespace

TEST_CASE("ISO 8601 UTC times as the server writes them") {
  int64_t ms = -1;
  CHECK(parseIsoUtcMs("1970-01-01T00:00:00.000Z", ms));
  CHECK(ms == 0);
  CHECK(parseIsoUtcMs("2026-12-04T18:00:00.000Z", ms));
  CHECK(ms == 1796407200000LL);
  CHECK(parseIsoUtcMs("2026-11-23T12:53:18.965Z", ms));
  CHECK(ms == 1795438398965LL);
  CHECK(parseIsoUtcMs("2000-02-29T23:59:59.999Z", ms));
  CHECK(ms == 951868799999LL);
  CHECK(parseIsoUtcMs("9999-12-31T23:59:59.999Z", ms));
  CHECK(ms == 253402300799999LL);
  CHECK(parseIsoUtcMs("2026-12-04T18:00:00Z", ms));
  CHECK(ms == 1796407200000LL);
  CHECK(parseIsoUtcMs("2026-12-04T18:00:00.5Z", ms));
  CHECK(ms == 1796407200500LL);
  CHECK(parseIsoUtcMs("2026-12-04T18:00:00.123456Z", ms));
  CHECK(ms == 1796407200123LL);

  const char* refused[] = {"",
                           "2026-12-04",
                           "2026-12-04T18:00:00.000",
                           "2026-12-04T18:00:00.000+05:30",
                           "2026-12-04 18:00:00.000Z",
                           "2026-12-04T18:00:00.Z",
                           "2026-12-04T18:00:00.0000000000Z",
                           "2026-02-29T00:00:00.000Z",
                           "2026-13-01T00:00:00.000Z",
                           "2026-12-00T00:00:00.000Z",
                           "2026-12-04T24:00:00.000Z",
                           "2026-12-04T18:60:00.000Z",
                           "1969-12-31T23:59:59.999Z",
                           "2026-12-04T18:00:00.000Zx",
                           "+2026-12-04T18:00:00.000Z"};
  for (const char* text : refused) {
    INFO(text);
    CHECK_FALSE(parseIsoUtcMs(text, ms));
  }
}

TEST_CASE("a command received in time vends") {
  ReadyRig rig;
  vendWithDeadline(rig, kA, 1, helloPlus(60000));
  rig.advance(1000);
  CHECK(rig.hardware.motorStarts() == 1);
  CHECK(vendResults(rig) == Frames{resultFrame(1, kA, "dropped")});
}

TEST_CASE("a command received past its deadline is answered expired, and no motor turns") {
  ReadyRig rig;
  rig.advance(61000);
  const int saves = rig.storage.saves;
  vendWithDeadline(rig, kA, 1, helloPlus(60000));
  CHECK(vendResults(rig) == Frames{resultFrame(1, kA, "expired")});
  rig.server("43/devices,1[{\"ok\":true}]");
  rig.advance(10000);
  CHECK(rig.hardware.motorStarts() == 0);
  // Stored like any result, in one write: a resend gets the same answer.
  CHECK(rig.storage.saves == saves + 1);
  CHECK(rig.storage.blob.find("Ds- expired " + kA) != std::string::npos);
  rig.takeFrames();
  vendWithDeadline(rig, kA, 1, helloPlus(60000));
  CHECK(vendResults(rig) == Frames{resultFrame(2, kA, "expired")});
  CHECK(rig.hardware.motorStarts() == 0);
}

TEST_CASE("the motor does not start unless a whole cycle and the margin fit before the deadline") {
  const int64_t budget = cycleBudgetMs();
  CHECK(budget == 9500);
  {
    ReadyRig rig;  // exactly the budget left: vends
    vendWithDeadline(rig, kA, 1, helloPlus(budget));
    rig.advance(1000);
    CHECK(rig.hardware.motorStarts() == 1);
  }
  {
    ReadyRig rig;  // 1 ms less: expired
    vendWithDeadline(rig, kA, 1, helloPlus(budget - 1));
    CHECK(vendResults(rig) == Frames{resultFrame(1, kA, "expired")});
    rig.advance(10000);
    CHECK(rig.hardware.motorStarts() == 0);
  }
}

TEST_CASE("the deadline is judged by the clock from hello's server_time, carried on the local clock") {
  {
    ReadyRig rig;  // hello at 12:53:18.965; the deadline 30 s later; 20 s pass
    rig.advance(20000);
    vendWithDeadline(rig, kA, 1, helloPlus(30000));
    rig.advance(1000);
    CHECK(rig.hardware.motorStarts() == 1);
  }
  {
    ReadyRig rig;  // the same, 21 s pass: 9 s left, less than a cycle
    rig.advance(21000);
    vendWithDeadline(rig, kA, 1, helloPlus(30000));
    rig.advance(1000);
    CHECK(rig.hardware.motorStarts() == 0);
  }
  {
    // The board's own uptime plays no part: only the time since hello.
    Rig rig;
    for (int slot = 1; slot <= 5; ++slot) rig.hardware.scripts[slot].dropAfterMs = 800;
    rig.clock.now = 86400000;  // a day of uptime
    rig.boot();
    rig.connectReady();
    vendWithDeadline(rig, kA, 1, helloPlus(30000));
    rig.advance(1000);
    CHECK(rig.hardware.motorStarts() == 1);
  }
}

TEST_CASE("each hello sets the clock again") {
  ReadyRig rig;
  rig.wire->closed();
  rig.advance(2000);
  rig.open();
  rig.server("40/devices,{\"sid\":\"n2\"}");
  // The server's clock says 5 minutes later than the first hello + 2 s.
  rig.server("42/devices,[\"hello\",{\"machine\":\"vm-0042\",\"server_time\":\"" + helloPlus(300000) + "\"}]");
  rig.takeFrames();
  vendWithDeadline(rig, kA, 1, helloPlus(60000));
  CHECK(vendResults(rig) == Frames{resultFrame(1, kA, "expired")});
}

TEST_CASE("a resend after the deadline of a command already vended gets its stored result, not expired") {
  ReadyRig rig;
  vendWithDeadline(rig, kA, 1, helloPlus(60000));
  rig.advance(1000);
  CHECK(vendResults(rig) == Frames{resultFrame(1, kA, "dropped")});
  rig.server("43/devices,1[{\"ok\":true}]");
  rig.advance(70000);
  rig.takeFrames();
  vendWithDeadline(rig, kA, 1, helloPlus(60000));
  CHECK(vendResults(rig) == Frames{resultFrame(2, kA, "dropped")});
  CHECK(rig.hardware.motorStarts() == 1);
}

TEST_CASE("a command whose deadline comes while it waits in the queue is answered expired at its turn") {
  Rig rig;  // slot 1 never drops: its vend takes 50 + 5000 + 1500 ms
  rig.hardware.scripts[2].dropAfterMs = 800;
  rig.boot();
  rig.connectReady();
  vendWithDeadline(rig, kA, 1, helloPlus(60000));
  vendWithDeadline(rig, kB, 2, helloPlus(12000));  // 12 s is enough now, not after kA
  CHECK(rig.device->queued() == 1);
  rig.advance(20000);
  CHECK(rig.hardware.motorStarts() == 1);
  const Frames results = vendResults(rig);
  REQUIRE(results.size() >= 2);
  CHECK(results[0] == resultFrame(1, kA, "no_drop"));
  CHECK(results[1] == resultFrame(2, kB, "expired"));
}

TEST_CASE("no expires_at (an older server): no deadline") {
  ReadyRig rig;
  rig.advance(3600000);
  rig.vend(kA, 1);
  rig.advance(1000);
  CHECK(rig.hardware.motorStarts() == 1);
}

TEST_CASE("an unreadable expires_at is logged and means no deadline") {
  ReadyRig rig;
  rig.console.lines.clear();
  vendWithDeadline(rig, kA, 1, "yesterday");
  rig.advance(1000);
  CHECK(rig.hardware.motorStarts() == 1);
  bool logged = false;
  for (const std::string& line : rig.console.lines) logged = logged || line.find("expires_at unreadable") != std::string::npos;
  CHECK(logged);
}

TEST_CASE("without a server_time in hello there is no clock, so no deadline check") {
  Rig rig;
  rig.hardware.scripts[1].dropAfterMs = 800;
  rig.boot();
  rig.networkUp();
  rig.open();
  rig.server("40/devices,{\"sid\":\"n1\"}");
  rig.server("42/devices,[\"hello\",{\"machine\":\"vm-0042\"}]");
  rig.transport.helloSeen = true;
  rig.takeFrames();
  vendWithDeadline(rig, kA, 1, "2000-01-01T00:00:00.000Z");
  rig.advance(1000);
  CHECK(rig.hardware.motorStarts() == 1);
  CHECK(vendResults(rig) == Frames{resultFrame(1, kA, "dropped")});
}
