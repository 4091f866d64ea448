// The Device: at-most-once vending through the store, the result outbox,
// the link rules of PROTOCOL.md, telemetry and display_code.
#include <doctest/doctest.h>

#include <functional>
#include <string>
#include <vector>

#include "fakes.h"

using namespace vendora;
using namespace vendora_test;

namespace {

const std::string kA = "45979658-cb5a-4e1c-9ee2-1c69a12aee4a";
const std::string kB = "b4a458fa-9459-40d4-bb0c-6911737f35ef";
const std::string kC = "6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f";

typedef std::vector<std::string> Frames;

/** The first result sent for each command, in order: "<id> <result>". Resends are left out. */
std::vector<std::string> firstResults(const Frames& frames) {
  std::vector<std::string> out;
  for (const std::string& frame : frames) {
    const size_t id = frame.find("\"command_id\":\"");
    const size_t result = frame.find("\"result\":\"");
    if (id == std::string::npos || result == std::string::npos) continue;
    const std::string commandId = frame.substr(id + 14, frame.find('"', id + 14) - id - 14);
    const std::string entry = commandId + " " + frame.substr(result + 10, frame.find('"', result + 10) - result - 10);
    bool seen = false;
    for (const std::string& earlier : out) seen = seen || earlier.compare(0, commandId.size() + 1, commandId + " ") == 0;
    if (!seen) out.push_back(entry);
  }
  return out;
}

Frames vendResults(Rig& rig) {
  Frames out = rig.framesWith("\"vend_result\"");
  rig.transport.frames.clear();
  return out;
}

/** Rig with every slot dropping its item after 800 ms, booted and Ready. */
struct ReadyRig : Rig {
  ReadyRig() {
    for (int slot = 1; slot <= 5; ++slot) hardware.scripts[slot].dropAfterMs = 800;
    boot();
    connectReady();
  }
};

}  // namespace

TEST_CASE("a vend is stored in flash before the motor turns, then its result is sent and acked") {
  ReadyRig rig;
  std::string blobAtMotorStart;
  rig.hardware.onMotorStart = [&](int) { blobAtMotorStart = rig.storage.blob; };

  rig.vend(kA, 1);
  rig.advance(1000);

  CHECK(blobAtMotorStart.find("Vs- - " + kA) != std::string::npos);
  CHECK(vendResults(rig) == Frames{resultFrame(1, kA, "dropped")});
  CHECK(rig.storage.blob.find("Ds- dropped " + kA) != std::string::npos);

  rig.server("43/devices,1[{\"ok\":true}]");
  CHECK(rig.device->store().pendingCount() == 0);  // in flash with the next write (flash wear tests)
  rig.advance(20000);
  CHECK(vendResults(rig).empty());
  CHECK(rig.hardware.allMotorsOff());
}

TEST_CASE("a repeated vend of a finished command is answered from the store, never vended again") {
  ReadyRig rig;
  rig.vend(kA, 1);
  rig.advance(1000);
  rig.server("43/devices,1[{\"ok\":true}]");
  rig.takeFrames();

  rig.vend(kA, 1);
  CHECK(vendResults(rig) == Frames{resultFrame(2, kA, "dropped")});
  rig.advance(3000);
  CHECK(rig.hardware.motorStarts() == 1);

  // Re-sent until acked again, since the server evidently lacks it.
  rig.advance(3000);
  CHECK(vendResults(rig) == Frames{resultFrame(3, kA, "dropped")});
  rig.server("43/devices,3[{\"ok\":true}]");
  rig.advance(12000);
  CHECK(vendResults(rig).empty());
}

TEST_CASE("a repeat that arrives while the command is still running is merged into it") {
  ReadyRig rig;
  rig.vend(kA, 1);
  rig.advance(200);
  rig.vend(kA, 1);
  rig.advance(1000);
  CHECK(rig.hardware.motorStarts() == 1);
  CHECK(vendResults(rig) == Frames{resultFrame(1, kA, "dropped")});
}

TEST_CASE("commands queue first in, first out, one motor at a time; a queued repeat is merged") {
  ReadyRig rig;
  rig.vend(kA, 1);
  rig.vend(kB, 2);
  rig.vend(kB, 2);
  CHECK(rig.device->queued() == 1);
  rig.advance(3000);
  CHECK(vendResults(rig) == Frames{resultFrame(1, kA, "dropped"), resultFrame(2, kB, "dropped")});
  REQUIRE(rig.hardware.motorEvents.size() == 4);
  CHECK(rig.hardware.motorEvents[0].slot == 1);
  CHECK(rig.hardware.motorEvents[1].slot == 1);
  CHECK_FALSE(rig.hardware.motorEvents[1].on);
  CHECK(rig.hardware.motorEvents[2].slot == 2);
  CHECK(rig.hardware.motorEvents[2].on);
}

TEST_CASE("a command for a slot the machine does not have turns nothing and is answered no_drop") {
  ReadyRig rig;
  rig.vend(kA, 9);
  rig.vend(kB, 0);
  rig.server("42/devices,[\"vend\",{\"command_id\":\"" + kC + "\",\"order_id\":1,\"slot\":\"one\"}]");
  CHECK(vendResults(rig) == Frames{resultFrame(1, kA, "no_drop"), resultFrame(2, kB, "no_drop"),
                                   resultFrame(3, kC, "no_drop")});
  rig.advance(2000);
  CHECK(rig.hardware.motorStarts() == 0);
  // And the answer is remembered like any other: a repeat while the first
  // send awaits its ack adds nothing, a repeat after the ack is answered.
  rig.vend(kA, 1);
  CHECK(vendResults(rig).empty());
  rig.server("43/devices,1[{\"ok\":true}]");
  rig.vend(kA, 1);
  CHECK(vendResults(rig) == Frames{resultFrame(4, kA, "no_drop")});
}

TEST_CASE("a full queue answers no_drop, and so does a command that waited past queueMaxWaitMs") {
  DeviceConfig config = testConfig();
  config.queueMaxWaitMs = 10000;
  Rig rig(config);  // no drops: each vend takes 50 + 5000 + 1500 ms
  rig.boot();
  rig.connectReady();
  const std::string ids[] = {"q-1", "q-2", "q-3", "q-4", "q-5", "q-6"};
  for (int i = 0; i < 6; ++i) rig.vend(ids[i], i < 5 ? i + 1 : 1);
  // q-1 runs, q-2..q-5 wait, q-6 finds the queue full.
  CHECK(vendResults(rig) == Frames{resultFrame(1, "q-6", "no_drop")});

  rig.server("43/devices,1[{\"ok\":true}]");
  rig.advance(30000);
  CHECK(firstResults(vendResults(rig)) ==
        std::vector<std::string>{"q-1 no_drop", "q-2 no_drop", "q-3 no_drop", "q-4 no_drop", "q-5 no_drop"});
  // Only q-1 and q-2 started within 10 s of arriving.
  CHECK(rig.hardware.motorStarts() == 2);
}

TEST_CASE("a restart mid-vend reports interrupted after the next hello and never turns that motor again") {
  Rig rig;  // no drop: the motor is still turning at the restart
  rig.boot();
  rig.connectReady();
  rig.vend(kA, 3);
  rig.advance(1000);
  REQUIRE(rig.hardware.motorStarts() == 1);

  rig.reboot();  // watchdog, brown-out, power cut
  CHECK(rig.device->store().entries().back().result == VendResult::Interrupted);
  rig.networkUp();
  rig.open();
  CHECK(rig.takeFrames() == Frames{"40/devices,{\"machine\":\"vm-0042\",\"key\":\"k3y-0f-vm-0042\"}"});
  rig.server("40/devices,{\"sid\":\"n2\"}");
  rig.hello();
  CHECK(vendResults(rig) == Frames{resultFrame(1, kA, "interrupted")});

  // The server re-sends the command before the result reached it.
  rig.vend(kA, 3);
  rig.advance(8000);
  CHECK(rig.hardware.motorStarts() == 1);
  CHECK(rig.transport.sentBeforeHello.empty());
}

TEST_CASE("an unacked result survives a restart and goes out after the next hello") {
  ReadyRig rig;
  rig.vend(kA, 1);
  rig.advance(1000);
  CHECK(vendResults(rig).size() == 1);
  rig.reboot();
  rig.connectReadyKeepFrames();
  CHECK(vendResults(rig) == Frames{resultFrame(1, kA, "dropped")});
  rig.server("43/devices,1[{\"ok\":true}]");
  rig.vend(kB, 2);  // its first write carries the ack of kA
  rig.advance(1000);
  rig.server("43/devices,2[{\"ok\":true}]");
  rig.reboot();
  rig.connectReadyKeepFrames();
  CHECK(firstResults(vendResults(rig)) == std::vector<std::string>{kB + " dropped"});
}

TEST_CASE("results are resent every resendIntervalMs with new ack ids; any of their acks settles them") {
  ReadyRig rig;
  rig.vend(kA, 1);
  rig.advance(1000);
  CHECK(vendResults(rig) == Frames{resultFrame(1, kA, "dropped")});
  rig.advance(5000);
  CHECK(vendResults(rig) == Frames{resultFrame(2, kA, "dropped")});
  rig.advance(5000);
  CHECK(vendResults(rig) == Frames{resultFrame(3, kA, "dropped")});
  rig.server("43/devices,1[{\"ok\":true}]");  // the first ack, late
  rig.advance(20000);
  CHECK(vendResults(rig).empty());
  CHECK(rig.device->store().pendingCount() == 0);
}

TEST_CASE("server_error keeps the result for later; invalid_payload stops it for good") {
  ReadyRig rig;
  rig.vend(kA, 1);
  rig.advance(1000);
  CHECK(vendResults(rig) == Frames{resultFrame(1, kA, "dropped")});
  rig.server("43/devices,1[{\"ok\":false,\"error\":\"server_error\"}]");
  rig.advance(6000);
  CHECK(vendResults(rig) == Frames{resultFrame(2, kA, "dropped")});
  rig.server("43/devices,2[{\"ok\":false,\"error\":\"invalid_payload\"}]");
  rig.advance(20000);
  CHECK(vendResults(rig).empty());
  CHECK(rig.device->store().pendingCount() == 0);
}

TEST_CASE("a result finished while offline waits for the next hello") {
  Rig rig;
  rig.hardware.scripts[1].dropAfterMs = 2000;
  rig.boot();
  rig.connectReady();
  rig.vend(kA, 1);
  rig.advance(100);
  rig.wire->closed();  // Wi-Fi drops mid-vend
  CHECK(rig.device->linkState() == LinkState::Offline);
  rig.advance(3000);
  CHECK(rig.takeFrames().empty());
  CHECK(rig.device->linkState() == LinkState::Connecting);
  rig.open();
  rig.server("40/devices,{\"sid\":\"n2\"}");
  CHECK(rig.takeFrames() == Frames{"40/devices,{\"machine\":\"vm-0042\",\"key\":\"k3y-0f-vm-0042\"}"});
  rig.hello();
  CHECK(vendResults(rig) == Frames{resultFrame(1, kA, "dropped")});
}

TEST_CASE("nothing goes out before hello, and the namespace connect only once per connection") {
  Rig rig;
  rig.storage.save("vendora-store 1\nDs- jam " + kC + "\n");
  rig.hardware.scripts[1].dropAfterMs = 300;
  rig.boot();
  rig.networkUp();
  rig.open();
  rig.server("40/devices,{\"sid\":\"n1\"}");  // what older library versions pass on as a '0' event
  rig.vend(kA, 1);  // a server bug: a command before hello
  rig.advance(2000);
  CHECK(rig.takeFrames() == Frames{"40/devices,{\"machine\":\"vm-0042\",\"key\":\"k3y-0f-vm-0042\"}"});

  rig.hello();
  const Frames frames = rig.takeFrames();
  REQUIRE(frames.size() == 3);
  CHECK(frames[0].compare(0, 20, "42/devices,[\"status\"") == 0);
  CHECK(frames[1] == resultFrame(1, kC, "jam"));
  CHECK(frames[2] == resultFrame(2, kA, "dropped"));
  CHECK(rig.transport.sentBeforeHello.empty());
}

namespace {

/**
 * A Ready device with one result in flight loses its link through `lose`;
 * it must come back on its own: a new connection, a new 40, the result
 * resent after the new hello.
 */
void checkReconnectAfter(const std::function<void(Rig&)>& lose) {
  ReadyRig rig;
  rig.vend(kA, 1);
  rig.advance(1000);
  REQUIRE(vendResults(rig) == Frames{resultFrame(1, kA, "dropped")});

  lose(rig);
  rig.tick();
  CHECK(rig.device->linkState() == LinkState::Offline);
  rig.advance(1000);  // the first back-off step
  REQUIRE(rig.device->linkState() == LinkState::Connecting);
  CHECK(rig.device->shouldRunLink());
  rig.takeFrames();

  rig.open();  // the library's reconnect
  CHECK(rig.takeFrames() == Frames{"40/devices,{\"machine\":\"vm-0042\",\"key\":\"k3y-0f-vm-0042\"}"});
  CHECK(rig.device->linkState() == LinkState::Joining);
  rig.server("40/devices,{\"sid\":\"n2\"}");
  rig.hello();
  CHECK(rig.device->linkState() == LinkState::Ready);
  CHECK(vendResults(rig) == Frames{resultFrame(2, kA, "dropped")});
  rig.advance(60000);
  CHECK(rig.device->linkState() == LinkState::Ready);
  CHECK(rig.transport.sentBeforeHello.empty());
}

}  // namespace

TEST_CASE("a disconnect event without a payload is a lost link: reconnect, 40 again, rejoin after hello") {
  checkReconnectAfter([](Rig& rig) { rig.wire->closed(); });
}

TEST_CASE("a disconnect event with a reason (\"Connection lost\", newer library releases) is a lost link too") {
  checkReconnectAfter([](Rig& rig) { rig.wire->closed("Connection lost"); });
}

TEST_CASE("any other reason text counts as well") {
  checkReconnectAfter([](Rig& rig) { rig.wire->closed("TCP connection cleanup"); });
  checkReconnectAfter([](Rig& rig) { rig.wire->closed("WebSocket handshake failed - HTTP 502"); });
}

TEST_CASE("the library reporting no connection, without any event, is a lost link") {
  checkReconnectAfter([](Rig& rig) { rig.wire->droppedSilently(); });
}

TEST_CASE("a lost link noticed by polling closes what the library holds") {
  ReadyRig rig;
  rig.wire->droppedSilently();
  rig.tick();
  CHECK(rig.device->linkState() == LinkState::Offline);
  CHECK(rig.transport.disconnectRequests == 1);
}

TEST_CASE("while joining, a silent loss is noticed too (no 15 s hello timeout to wait for)") {
  Rig rig;
  rig.boot();
  rig.networkUp();
  rig.open();
  REQUIRE(rig.device->linkState() == LinkState::Joining);
  rig.wire->droppedSilently();
  rig.tick();
  CHECK(rig.device->linkState() == LinkState::Offline);
  CHECK(rig.device->linkFailures() == 1);
}

TEST_CASE("a second connected event with no disconnect between is a new connection: it gets its own 40") {
  ReadyRig rig;
  rig.device->onSocketIoEvent('0', "/socket.io/?EIO=4&transport=websocket", 37);
  CHECK(rig.takeFrames() == Frames{"40/devices,{\"machine\":\"vm-0042\",\"key\":\"k3y-0f-vm-0042\"}"});
  CHECK(rig.device->linkState() == LinkState::Joining);
  rig.server("40/devices,{\"sid\":\"n2\"}");  // the namespace reply is a packet, not a new connection
  CHECK(rig.takeFrames().empty());
  rig.hello();
  CHECK(rig.device->linkState() == LinkState::Ready);
}

TEST_CASE("41/devices, (replaced) is a namespace packet, not a reason text") {
  ReadyRig rig;
  rig.device->onSocketIoEvent('1', "/devices,", 9);
  CHECK(rig.device->linkState() == LinkState::Offline);
  CHECK(rig.transport.disconnectRequests == 1);
  ReadyRig other;
  other.device->onSocketIoEvent('1', "/other,", 7);  // not our namespace: nothing happens
  CHECK(other.device->linkState() == LinkState::Ready);
}

TEST_CASE("status telemetry after hello and every statusIntervalMs") {
  Rig rig;
  rig.clock.now = 5230;
  rig.boot();
  rig.networkUp();
  rig.open();
  rig.takeFrames();
  rig.hello();
  CHECK(rig.takeFrames() ==
        Frames{"42/devices,[\"status\",{\"firmware\":\"vendora-esp32-0.1.0\",\"rssi\":-61,\"free_heap\":183204,"
               "\"uptime_ms\":5230,\"sensor_ok\":true,\"reset_reason\":\"power_on\",\"min_free_heap\":151040,"
               "\"reconnects\":0,\"pending_results\":0,\"ip\":\"192.168.1.57\",\"mac\":\"24:6F:28:AA:BB:CC\","
               "\"slots\":[{\"slot\":1,\"cycles\":0,\"jams\":0},{\"slot\":2,\"cycles\":0,\"jams\":0},"
               "{\"slot\":3,\"cycles\":0,\"jams\":0},{\"slot\":4,\"cycles\":0,\"jams\":0},"
               "{\"slot\":5,\"cycles\":0,\"jams\":0}]}]"});
  // Off Wi-Fi (no RSSI, no address), something in the beam, less heap.
  rig.system.associated = false;
  rig.hardware.forcedBlocked = true;
  rig.system.heap = 1000;
  rig.system.minHeap = 900;
  rig.advance(60000);
  CHECK(rig.takeFrames() ==
        Frames{"42/devices,[\"status\",{\"firmware\":\"vendora-esp32-0.1.0\",\"free_heap\":1000,"
               "\"uptime_ms\":65230,\"sensor_ok\":false,\"reset_reason\":\"power_on\",\"min_free_heap\":900,"
               "\"reconnects\":0,\"pending_results\":0,\"mac\":\"24:6F:28:AA:BB:CC\","
               "\"slots\":[{\"slot\":1,\"cycles\":0,\"jams\":0},{\"slot\":2,\"cycles\":0,\"jams\":0},"
               "{\"slot\":3,\"cycles\":0,\"jams\":0},{\"slot\":4,\"cycles\":0,\"jams\":0},"
               "{\"slot\":5,\"cycles\":0,\"jams\":0}]}]"});
}

TEST_CASE("status counts motor runs and jams per slot, rejoins, and results awaiting their ack") {
  DeviceConfig config = testConfig();
  config.slotCount = 3;
  Rig rig(config);
  rig.hardware.scripts[1].dropAfterMs = 800;
  rig.hardware.scripts[2].stallAfterMs = 100;  // slot 2 jams
  rig.hardware.scripts[3].home = true;         // slot 3 never gets home: jam too, though the item falls
  rig.hardware.scripts[3].dropAfterMs = 900;
  rig.boot();
  rig.connectReady();
  rig.vend("c-1", 1);
  rig.advance(8000);
  rig.vend("c-2", 2);
  rig.advance(8000);
  rig.vend("c-3", 3);
  rig.advance(8000);
  rig.vend("c-4", 1);
  rig.advance(8000);
  rig.hardware.forcedBlocked = true;  // slot 1's next vend fails its sensor check: no motor, no cycle
  rig.vend("c-5", 1);
  rig.advance(8000);
  rig.hardware.forcedBlocked = false;
  const std::vector<SlotCounters>& counters = rig.device->slotCounters();
  REQUIRE(counters.size() == 3);
  CHECK(counters[0].cycles == 2);
  CHECK(counters[0].jams == 0);
  CHECK(counters[1].cycles == 1);
  CHECK(counters[1].jams == 1);
  CHECK(counters[2].cycles == 1);
  CHECK(counters[2].jams == 1);

  rig.wire->closed("Connection lost");
  rig.advance(1000);
  rig.takeFrames();
  rig.open();
  rig.server("40/devices,{\"sid\":\"n2\"}");
  rig.hello();
  const Frames statuses = rig.framesWith("\"status\"");
  REQUIRE(statuses.size() == 1);
  CHECK(statuses[0].find("\"reconnects\":1,\"pending_results\":5,") != std::string::npos);
  CHECK(statuses[0].find("\"slots\":[{\"slot\":1,\"cycles\":2,\"jams\":0},{\"slot\":2,\"cycles\":1,\"jams\":1},"
                         "{\"slot\":3,\"cycles\":1,\"jams\":1}]") != std::string::npos);
}

TEST_CASE("the server's ping is answered with a pong, and the device never pings") {
  ReadyRig rig;
  rig.server("2");
  CHECK(rig.takeFrames() == Frames{"3"});
  rig.advance(120000);
  for (const std::string& frame : rig.takeFrames()) CHECK(frame != "2");
}

TEST_CASE("invalid_credentials closes the connection and waits 30 s or more, doubling") {
  Rig rig;
  rig.boot();
  rig.networkUp();
  rig.open();
  rig.server("44/devices,{\"message\":\"invalid_credentials\"}");
  CHECK(rig.transport.disconnectRequests == 1);
  CHECK(rig.device->linkState() == LinkState::Offline);
  CHECK(rig.device->retryInMs() == 30000);
  rig.advance(29990);
  CHECK_FALSE(rig.device->shouldRunLink());
  rig.advance(20);
  CHECK(rig.device->linkState() == LinkState::Connecting);
  CHECK(rig.device->shouldRunLink());
  rig.open();
  rig.server("44/devices,{\"message\":\"invalid_credentials\"}");
  CHECK(rig.device->retryInMs() == 60000);

  // Any other connect error (a database hiccup) retries on the short back-off.
  rig.advance(60000);
  rig.open();
  rig.server("44/devices,{\"message\":\"server_error\"}");
  CHECK(rig.device->retryInMs() == 1000);
}

TEST_CASE("connection attempts back off 1 s, 2 s, 4 s ... with jitter, reset by hello") {
  Rig rig;
  rig.boot();
  rig.networkUp();
  CHECK(rig.device->linkState() == LinkState::Connecting);
  rig.advance(10000);  // linkAttemptMs without the websocket coming up
  CHECK(rig.device->linkState() == LinkState::Offline);
  CHECK(rig.device->retryInMs() == 1000);
  rig.advance(1000);
  rig.advance(10000);
  CHECK(rig.device->retryInMs() == 2000);
  rig.advance(2000);
  rig.system.randomValue = 7;  // 7 % (4000/5 + 1): 7 ms shorter
  rig.advance(10000);
  CHECK(rig.device->retryInMs() == 4000 - 7);
  CHECK(rig.device->linkFailures() == 3);

  rig.advance(4000);
  rig.open();
  rig.hello();
  CHECK(rig.device->linkFailures() == 0);
  rig.system.randomValue = 0;
  rig.wire->closed();
  CHECK(rig.device->retryInMs() == 1000);
}

TEST_CASE("no hello within helloTimeoutMs: the connection is closed and retried") {
  Rig rig;
  rig.boot();
  rig.networkUp();
  rig.open();
  rig.advance(14990);
  CHECK(rig.device->linkState() == LinkState::Joining);
  rig.advance(20);
  CHECK(rig.device->linkState() == LinkState::Offline);
  CHECK(rig.transport.disconnectRequests == 1);
}

TEST_CASE("replaced by a newer connection (41/devices,): close and come back after a back-off") {
  ReadyRig rig;
  rig.server("41/devices,");
  CHECK(rig.transport.disconnectRequests == 1);
  CHECK(rig.device->linkState() == LinkState::Offline);
  CHECK(rig.device->retryInMs() == 1000);
}

TEST_CASE("no connection attempt while a vend runs: the library's connect blocks") {
  Rig rig;  // no drop: 6.55 s vend
  rig.boot();
  rig.connectReady();
  rig.vend(kA, 1);
  rig.advance(100);
  rig.wire->closed();
  rig.advance(3000);
  CHECK(rig.device->linkState() == LinkState::Offline);
  CHECK_FALSE(rig.device->shouldRunLink());
  rig.advance(4000);
  CHECK_FALSE(rig.device->vending());
  CHECK(rig.device->linkState() == LinkState::Connecting);
}

TEST_CASE("losing Wi-Fi takes the link down") {
  ReadyRig rig;
  rig.device->setNetworkReady(false);
  rig.tick();
  CHECK(rig.device->linkState() == LinkState::Offline);
  CHECK(rig.transport.disconnectRequests == 1);
  rig.advance(60000);
  CHECK(rig.device->linkState() == LinkState::Offline);
}

TEST_CASE("display_code shows on the display, for ttl_ms or the default") {
  ReadyRig rig;
  rig.server("42/devices,[\"display_code\",{\"code\":\"4821\",\"ttl_ms\":30000}]");
  CHECK(rig.display.code == "4821");
  CHECK(rig.display.ttlMs == 30000);
  rig.server("42/devices,[\"display_code\",\"A7\"]");
  CHECK(rig.display.code == "A7");
  CHECK(rig.display.ttlMs == 60000);
  rig.server("42/devices,[\"display_code\",{}]");
  CHECK(rig.display.shows == 2);
}

TEST_CASE("malformed, foreign and oversized frames are dropped without harm") {
  ReadyRig rig;
  const std::string noise[] = {
      "42/devices,[\"vend\",{",
      "42[\"vend\",{\"command_id\":\"x-1\",\"order_id\":1,\"slot\":1}]",
      "42/other,[\"vend\",{\"command_id\":\"x-2\",\"order_id\":1,\"slot\":1}]",
      "42/devices,[\"vend\",{\"command_id\":\"x-3\",\"slot\":1}]trailing",
      "42/devices,{\"vend\":1}",
      "42/devices,[\"unknown_event\",{}]",
      "43/devices,[{\"ok\":true}]",
      "43/devices,77[{\"ok\":true}]",
      "45-/devices,[\"vend\",{\"_placeholder\":true,\"num\":0}]",
      "42/devices,12345678901[\"vend\",{}]",
      "4",
      "x",
      "",
      "6",
      "3probe",
      "42/devices,[\"vend\",{\"command_id\":\"x-4\",\"order_id\":1,\"slot\":1,\"pad\":\"" + std::string(16 * 1024, 'p') +
          "\"}]",
  };
  for (const std::string& frame : noise) rig.server(frame);
  rig.advance(8000);
  CHECK(rig.hardware.motorStarts() == 0);
  CHECK(rig.takeFrames().empty());
  CHECK(rig.device->linkState() == LinkState::Ready);
}

TEST_CASE("when flash cannot be written, nothing is vended and the shopper is refunded") {
  ReadyRig rig;
  rig.storage.failSaves = true;
  rig.vend(kA, 1);
  rig.advance(3000);
  CHECK(rig.hardware.motorStarts() == 0);
  CHECK(vendResults(rig) == Frames{resultFrame(1, kA, "no_drop")});
}

TEST_CASE("a store full of unacknowledged results refuses new commands instead of forgetting one") {
  Rig rig;
  std::string blob = "vendora-store 1\n";
  for (int i = 0; i < 16; ++i) blob += "Ds- dropped owed-" + std::to_string(i) + "\n";
  rig.storage.save(blob);
  rig.boot();
  rig.connectReady();
  rig.vend(kA, 1);
  rig.advance(8000);
  CHECK(rig.hardware.motorStarts() == 0);
  for (const std::string& frame : rig.framesWith("vend_result")) CHECK(frame.find(kA) == std::string::npos);
}

TEST_CASE("a configuration without a key keeps the socket link off") {
  DeviceConfig config = testConfig();
  config.key = "";
  Rig rig(config);
  rig.boot();
  rig.networkUp();
  rig.advance(1000);
  CHECK_FALSE(rig.device->shouldRunLink());
  CHECK(rig.device->linkState() == LinkState::Offline);
  CHECK(configProblem(config) != nullptr);
  CHECK(configProblem(testConfig()) == nullptr);
}

// ---- nothing blocks, nothing is written, nothing is sent while a motor turns

TEST_CASE("loop() stuck in the middle of a vend: the interrupts stop the motor, the result goes out after") {
  Rig rig;
  rig.hardware.scripts[1].dropAfterMs = 800;
  rig.boot();
  rig.connectReady();
  rig.vend(kA, 1);
  rig.advance(100);
  REQUIRE(rig.device->dispenser().motorOn());
  const uint64_t on = rig.hardware.motorEvents.back().atUs;
  rig.stall(30000);  // a write to a dead link, say
  CHECK(rig.hardware.allMotorsOff());
  CHECK(rig.hardware.motorEvents.back().atUs - on == 820000);
  rig.advance(10);
  CHECK(vendResults(rig) == Frames{resultFrame(1, kA, "dropped")});
}

TEST_CASE("while a motor turns the library is not serviced and nothing is sent; a status falling due waits") {
  Rig rig;  // no drop: the motor runs its full 5 s
  rig.boot();
  rig.connectReady();
  rig.advance(58000);
  rig.vend(kA, 1);
  bool ranLinkWhileOn = false;
  size_t sentWhileOn = 0;
  for (int i = 0; i < 2000; ++i) {
    rig.advance(5);
    if (rig.device->dispenser().motorOn()) {
      ranLinkWhileOn = ranLinkWhileOn || rig.device->shouldRunLink();
      sentWhileOn += rig.transport.frames.size();
      rig.transport.frames.clear();
    }
  }
  CHECK(rig.hardware.motorStarts() == 1);
  CHECK_FALSE(ranLinkWhileOn);
  CHECK(sentWhileOn == 0);
  CHECK(rig.device->mayUseNetwork());
  // The status due at 60 s left right after the motor stopped, then the result.
  rig.advance(2000);
  const Frames statuses = rig.framesWith("\"status\"");
  CHECK(statuses.size() == 1);
  CHECK(firstResults(rig.framesWith("vend_result")) == std::vector<std::string>{kA + " no_drop"});
  CHECK(rig.device->shouldRunLink());
}

TEST_CASE("a command answered without a vend while another motor turns is written and sent after it stops") {
  Rig rig;
  rig.hardware.scripts[1].dropAfterMs = 2000;
  rig.boot();
  rig.connectReady();
  rig.vend(kA, 1);
  rig.advance(500);
  REQUIRE(rig.device->dispenser().motorOn());
  const int saves = rig.storage.saves;
  rig.vend(kB, 9);  // no slot 9: answered no_drop
  rig.advance(500);
  CHECK(rig.storage.saves == saves);
  CHECK(rig.takeFrames().empty());
  rig.advance(2000);
  CHECK_FALSE(rig.device->dispenser().motorOn());
  CHECK(rig.storage.blob.find("Ds- no_drop " + kB) != std::string::npos);
  CHECK(firstResults(vendResults(rig)) == std::vector<std::string>{kA + " dropped", kB + " no_drop"});
}

// ---- flash wear

TEST_CASE("a vend costs two flash writes in steady state: the command before the motor, then its result") {
  ReadyRig rig;
  int before = rig.storage.saves;
  rig.vend(kA, 1);
  rig.advance(1000);
  CHECK(vendResults(rig) == Frames{resultFrame(1, kA, "dropped")});
  rig.server("43/devices,1[{\"ok\":true}]");
  rig.advance(20000);
  CHECK(rig.storage.saves - before == 2);
  // The ack is in RAM only, and rides along with the next command's first write.
  CHECK(rig.storage.blob.find("Ds- dropped " + kA) != std::string::npos);
  std::string blobAtMotorStart;
  rig.hardware.onMotorStart = [&](int) { blobAtMotorStart = rig.storage.blob; };
  before = rig.storage.saves;
  rig.vend(kB, 2);
  rig.advance(1000);
  rig.server("43/devices,2[{\"ok\":true}]");
  rig.advance(20000);
  CHECK(rig.storage.saves - before == 2);
  CHECK(blobAtMotorStart.find("D-- dropped " + kA) != std::string::npos);
  CHECK(blobAtMotorStart.find("Vs- - " + kB) != std::string::npos);
}

TEST_CASE("answering a repeat from the store writes nothing") {
  ReadyRig rig;
  rig.vend(kA, 1);
  rig.advance(1000);
  rig.server("43/devices,1[{\"ok\":true}]");
  rig.takeFrames();
  const int before = rig.storage.saves;
  rig.vend(kA, 1);
  CHECK(vendResults(rig) == Frames{resultFrame(2, kA, "dropped")});
  rig.server("43/devices,2[{\"ok\":true}]");
  rig.advance(20000);
  CHECK(rig.storage.saves == before);
}

TEST_CASE("an ack not yet written: after a restart the result goes out once more, and is acked again") {
  ReadyRig rig;
  rig.vend(kA, 1);
  rig.advance(1000);
  rig.server("43/devices,1[{\"ok\":true}]");
  rig.reboot();
  rig.connectReadyKeepFrames();
  CHECK(vendResults(rig) == Frames{resultFrame(1, kA, "dropped")});
  rig.server("43/devices,1[{\"ok\":true}]");
  rig.advance(20000);
  CHECK(vendResults(rig).empty());
  CHECK(rig.hardware.motorStarts() == 1);
}

TEST_CASE("a hello handled while a motor turns gets its status once the motor stops") {
  Rig rig;  // no drop: the motor runs 5 s
  rig.boot();
  rig.connectReady();
  rig.vend(kA, 1);
  rig.advance(100);
  REQUIRE(rig.device->dispenser().motorOn());
  rig.device->onSocketIoEvent('0', "/socket.io/?EIO=4&transport=websocket", 37);
  rig.hello();
  CHECK(rig.framesWith("\"status\"").empty());
  while (rig.device->dispenser().motorOn()) rig.advance(5);
  rig.advance(5);
  CHECK(rig.framesWith("\"status\"").size() == 1);
}

TEST_CASE("closing the socket (it writes a close frame) waits until the motor stops") {
  Rig rig;  // no drop: the motor runs 5 s
  rig.boot();
  rig.connectReady();
  rig.vend(kA, 1);
  rig.advance(100);
  REQUIRE(rig.device->dispenser().motorOn());
  rig.server("41/devices,");  // replaced: the core asks for the socket to be closed
  CHECK(rig.transport.disconnectRequests == 1);
  CHECK_FALSE(rig.device->mayUseNetwork());
  rig.advance(1000);
  CHECK(rig.wire->isOpen());
  while (rig.device->dispenser().motorOn()) rig.advance(5);
  rig.advance(5);
  CHECK_FALSE(rig.wire->isOpen());
}
