// Protocol conformance: replays the recorded sessions in firmware/protocol/
// (the files the server's tests replay) against the firmware core. Server
// frames are fed to the core through a WireSession (what SocketIOclient
// does), and the core must answer with the device frames, placeholders
// filled as the vectors' README describes.
//
// Replay rules on this side (the server side's are in
// tests/helpers/device_protocol.ts):
// - the test plays the server, so every placeholder gets a value here;
// - device frames must come out in the listed order; the core's clock runs
//   (10 ms steps, 30 s at most) while a listed device frame is awaited;
// - a `status` frame the vector does not list may come at any time and is
//   skipped (telemetry is optional and never acked, PROTOCOL.md §3), like the
//   unlisted pings the server side tolerates; a listed one must carry the
//   listed fields first, in order and with their values (statusExtends),
//   and may go on with telemetry an older vector does not know;
// - a session ends with 12 s of quiet: nothing else may be sent (no resend of
//   an acked result);
// - the ack counter starts at the vector's first ack id (its value is the
//   device's business, the vectors just recorded one);
// - device frames the firmware can never produce (deliberately wrong auth
//   or results, the server's validation probes) are skipped with the reason,
//   and every frame of every vector must be either played or skipped.
#include <doctest/doctest.h>

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "../vendora_esp32/src/core/discovery.h"
#include "fakes.h"

using namespace vendora;
using namespace vendora_test;

namespace {

typedef std::map<std::string, std::string> Vars;

typedef VectorFrame Step;

struct Vector {
  std::string name;
  std::string connect;
  std::set<std::string> placeholders;
  std::vector<Step> frames;
};

Vector loadVector(const std::string& name) {
  ProtocolVector file;
  std::string error;
  REQUIRE_MESSAGE(readProtocolVector(std::string(VENDORA_PROTOCOL_DIR) + "/" + name + ".json", file, error), error);
  Vector vector;
  vector.name = name;
  vector.connect = file.connect;
  vector.placeholders.insert(file.placeholders.begin(), file.placeholders.end());
  vector.frames = file.frames;
  return vector;
}

/** Replaces every `<name>` with its value (as fillFrame in tests/helpers/device_protocol.ts). */
std::string fill(const std::string& text, const Vars& vars) {
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t open = text.find('<', pos);
    const size_t close = open == std::string::npos ? std::string::npos : text.find('>', open);
    std::string name = close == std::string::npos ? "" : text.substr(open + 1, close - open - 1);
    const bool isPlaceholder =
        !name.empty() && name.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") == std::string::npos;
    if (!isPlaceholder) {
      const size_t next = open == std::string::npos ? text.size() : open + 1;
      out += text.substr(pos, next - pos);
      pos = next;
      continue;
    }
    const auto value = vars.find(name);
    REQUIRE_MESSAGE(value != vars.end(), "no value for <" << name << "> in " << text);
    out += text.substr(pos, open - pos) + value->second;
    pos = close + 1;
  }
  return out;
}

/** The values the test (as the server) gives every placeholder of the socket vectors. */
Vars serverVars() {
  return {{"machine", kMachine},
          {"key", kKey},
          {"sid", "9HL9A8Nl31h2wGLTAAAA"},
          {"ping_interval", "25000"},
          {"ping_timeout", "45000"},
          {"nsp_sid", "_FkQ9OPdkMN5-Nn2AAAA"},
          {"server_time", "2026-11-23T12:53:18.965Z"},
          {"command_id", "45979658-cb5a-4e1c-9ee2-1c69a12aee4a"},
          {"order_id", "1"},
          {"expires_at", "2026-11-23T12:54:18.965Z"}};  // 60 s after server_time
}

bool isStatus(const std::string& frame) { return frame.compare(0, 20, "42/devices,[\"status\"") == 0; }

/** Plays one vector against one or more Rigs; checks every step was played or skipped. */
class Replayer {
 public:
  Replayer(const Vector& vector, const Vars& vars) : vector_(vector), vars_(vars) {
    for (const std::string& name : vector.placeholders) {
      CHECK_MESSAGE(vars.count(name) == 1, vector.name << ": the test gives no value for <" << name << ">");
    }
  }

  /** From now on frames go to and come from `rig`. */
  void use(Rig& rig) {
    rig_ = &rig;
    read_ = rig.transport.frames.size();
    httpRead_ = rig.download.opens.size();
  }

  /** The ack counter starts at the first ack id the vector's device frames use. */
  void seedAckId() {
    const std::string prefix = "42/devices,";
    for (const Step& step : vector_.frames) {
      if (step.dir != "device" || step.frame.compare(0, prefix.size(), prefix) != 0) continue;
      const size_t digits = step.frame.find_first_not_of("0123456789", prefix.size());
      if (digits == prefix.size() || digits == std::string::npos || step.frame[digits] != '[') continue;
      rig_->device->setNextAckId(static_cast<uint32_t>(std::stoul(step.frame.substr(prefix.size()))));
      return;
    }
  }

  /** Feeds server step `index` to the core. */
  void deliver(size_t index) {
    const Step& step = at(index, "server");
    const std::string frame = fill(step.frame, vars_);
    CHECK_MESSAGE(frame.size() <= kMaxIncomingFrame, "step " << index << " is over the Arduino client's limit");
    if (frame.compare(0, 1, "0") == 0) rig_->transport.helloSeen = false;  // a new connection
    if (step.transport == "polling") {
      rig_->wire->openedByPolling(frame);
    } else {
      rig_->server(frame);
    }
    handled_.insert(index);
  }

  /** Server step `index` is lost on the way (the vector's note says so). */
  void lose(size_t index) {
    at(index, "server");
    handled_.insert(index);
  }

  /** A placeholder's value learnt while playing (what the device holds). */
  void set(const std::string& name, const std::string& value) { vars_[name] = value; }

  /**
   * The core must send device step `index` next (running the clock until it
   * does). A step with `"transport": "http"` is a request of the image
   * download (`GET <url> Range: bytes=<offset>-`), read from the rig's
   * FakeDownload rather than the socket.
   */
  void expect(size_t index) {
    const Step& step = at(index, "device");
    const std::string expected = fill(step.frame, vars_);
    if (step.transport == "http") {
      for (int waited = 0; waited <= 30000 && rig_->download.opens.size() <= httpRead_; waited += 10) rig_->advance(10);
      const std::vector<std::string> requests = rig_->download.requests();
      INFO(vector_.name << " step " << index);
      REQUIRE(requests.size() > httpRead_);
      CHECK(requests[httpRead_++] == expected);
      handled_.insert(index);
      return;
    }
    std::string actual;
    for (int waited = 0; waited <= 30000; waited += 10) {
      if (next(actual, isStatus(expected))) break;
      rig_->advance(10);
    }
    INFO(vector_.name << " step " << index);
    if (isStatus(expected) && exactStatus_.count(index) == 0) {
      // A status the vector lists: its fields, then whatever newer
      // telemetry the firmware adds.
      INFO(actual << " does not start with the fields of " << expected);
      CHECK(statusExtends(actual, expected));
    } else {
      CHECK(actual == expected);
    }
    handled_.insert(index);
  }

  /** Device step `index`, a status, must match byte for byte, not only its listed fields. */
  void exactStatus(size_t index) { exactStatus_.insert(index); }

  /** Device step `index` is one the firmware never sends, for `reason`. */
  void skip(size_t index, const char* reason) {
    INFO(reason);
    REQUIRE(index < vector_.frames.size());
    handled_.insert(index);
  }

  /** Plays steps `from`..`to` (inclusive) in order. */
  void play(size_t from, size_t to) {
    for (size_t i = from; i <= to; ++i) {
      if (vector_.frames[i].dir == "server") {
        deliver(i);
      } else {
        expect(i);
      }
    }
  }

  void playAll() { play(0, vector_.frames.size() - 1); }

  /** `ms` of simulated time with nothing sent but telemetry. */
  void quiet(uint64_t ms = 12000) {
    rig_->advance(ms, 10);
    std::string frame;
    while (next(frame, false)) CHECK_MESSAGE(false, vector_.name << ": unexpected frame " << frame);
  }

  /** Every step played or skipped, and nothing was sent before a hello. */
  void finish() {
    for (size_t i = 0; i < vector_.frames.size(); ++i) {
      CHECK_MESSAGE(handled_.count(i) == 1, vector_.name << ": step " << i << " was neither played nor skipped");
    }
    CHECK(rig_->transport.sentBeforeHello.empty());
  }

 private:
  const Step& at(size_t index, const char* dir) {
    REQUIRE(index < vector_.frames.size());
    REQUIRE_MESSAGE(vector_.frames[index].dir == dir, vector_.name << " step " << index << " is not a " << dir << " frame");
    return vector_.frames[index];
  }

  /** The next unread frame, skipping unlisted status frames unless one is wanted. */
  bool next(std::string& out, bool wantStatus) {
    std::vector<std::string>& frames = rig_->transport.frames;
    while (read_ < frames.size()) {
      const std::string& frame = frames[read_++];
      if (!wantStatus && isStatus(frame)) continue;
      out = frame;
      return true;
    }
    return false;
  }

  const Vector& vector_;
  Vars vars_;
  Rig* rig_ = nullptr;
  size_t read_ = 0;
  size_t httpRead_ = 0;
  std::set<size_t> handled_;
  std::set<size_t> exactStatus_;
};

}  // namespace

TEST_CASE("every recorded vector has a firmware replay") {
  const std::set<std::string> replayed = {"vend_success",     "vend_failure",        "vend_redelivery",
                                          "vend_expired",     "status_telemetry",    "ack_rules",
                                          "invalid_credentials", "ping_pong",        "serial_lines",
                                          "lan_discovery",    "ota_success",         "ota_resume",
                                          "ota_refused",      "config",              "logs_reboot"};
  size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(VENDORA_PROTOCOL_DIR)) {
    if (entry.path().extension() != ".json") continue;
    ++files;
    CHECK_MESSAGE(replayed.count(entry.path().stem().string()) == 1,
                  entry.path().filename().string() << " is replayed by the server tests but not by the firmware's");
  }
  CHECK(files == replayed.size());
}

TEST_CASE("vector vend_success: polling handshake, connect, hello, status, vend, dropped, ack") {
  Rig rig;
  rig.clock.now = 5230;  // the uptime the recorded status reports
  rig.hardware.scripts[1].dropAfterMs = 800;
  rig.boot();
  rig.networkUp();
  const Vector vector = loadVector("vend_success");
  Replayer replay(vector, serverVars());
  replay.use(rig);
  replay.seedAckId();
  replay.playAll();
  replay.quiet();
  replay.finish();
  CHECK(rig.hardware.motorStarts() == 1);
  CHECK(rig.device->store().pendingCount() == 0);
}

TEST_CASE("vector vend_failure: jam, the ack is lost, the same result is resent with a new ack id") {
  Rig rig;
  rig.hardware.scripts[1].stallAfterMs = 100;
  rig.boot();
  rig.networkUp();
  const Vector vector = loadVector("vend_failure");
  Replayer replay(vector, serverVars());
  replay.use(rig);
  replay.seedAckId();
  replay.play(0, 5);
  replay.lose(6);  // "the device did not see the ack (say Wi-Fi dropped)"
  replay.play(7, 8);
  replay.quiet();
  replay.finish();
  CHECK(rig.hardware.motorStarts() == 1);
}

TEST_CASE("vector vend_redelivery: the result stored in flash answers the re-sent command after a restart") {
  Rig rig;
  // Precondition: vended on an earlier connection, result not acked, then a
  // restart (the entry is in flash).
  rig.storage.save("vendora-store 1\nDs- dropped 45979658-cb5a-4e1c-9ee2-1c69a12aee4a\n");
  rig.boot();
  rig.networkUp();
  const Vector vector = loadVector("vend_redelivery");
  Replayer replay(vector, serverVars());
  replay.use(rig);
  replay.seedAckId();
  replay.playAll();
  replay.quiet();
  replay.finish();
  CHECK(rig.hardware.motorStarts() == 0);
}

TEST_CASE("vector vend_redelivery: the same, with the link lost during the same boot") {
  Rig rig;
  rig.hardware.scripts[1].dropAfterMs = 800;
  rig.boot();
  const Vars vars = serverVars();
  // Precondition, live: the command arrives, the item drops, the result goes
  // out, and the link dies before the ack.
  rig.connectReady();
  rig.vend(vars.at("command_id"), 1);
  rig.advance(1000);
  REQUIRE(rig.framesWith("vend_result").size() == 1);
  rig.wire->closed();
  rig.advance(1500);
  REQUIRE(rig.device->linkState() == LinkState::Connecting);

  const Vector vector = loadVector("vend_redelivery");
  Replayer replay(vector, vars);
  replay.use(rig);
  replay.seedAckId();
  replay.playAll();
  replay.quiet();
  replay.finish();
  CHECK(rig.hardware.motorStarts() == 1);
}

TEST_CASE("vector vend_expired: a command whose deadline has come is answered expired, no motor turns") {
  Rig rig;
  rig.hardware.scripts[1].dropAfterMs = 800;
  rig.boot();
  rig.networkUp();
  Vars vars = serverVars();
  vars["expires_at"] = vars["server_time"];
  const Vector vector = loadVector("vend_expired");
  Replayer replay(vector, vars);
  replay.use(rig);
  replay.seedAckId();
  replay.playAll();
  replay.quiet();
  replay.finish();
  CHECK(rig.hardware.motorStarts() == 0);
  CHECK(rig.storage.blob.find(" expired " + vars["command_id"]) != std::string::npos);
}

TEST_CASE("vector vend_expired: the same with a deadline a few seconds ahead, too close for a dispense cycle") {
  Rig rig;
  rig.hardware.scripts[1].dropAfterMs = 800;
  rig.boot();
  rig.networkUp();
  Vars vars = serverVars();
  vars["expires_at"] = "2026-11-23T12:53:23.965Z";  // 5 s after server_time
  const Vector vector = loadVector("vend_expired");
  Replayer replay(vector, vars);
  replay.use(rig);
  replay.seedAckId();
  replay.playAll();
  replay.quiet();
  replay.finish();
  CHECK(rig.hardware.motorStarts() == 0);
}

TEST_CASE("vector status_telemetry: every telemetry field, byte for byte") {
  DeviceConfig config = testConfig();
  config.firmware = "vendora-esp32-0.2.0";
  config.slotCount = 2;
  Rig rig(config);
  rig.system.reset = "brownout";
  rig.hardware.scripts[1].dropAfterMs = 800;
  rig.hardware.scripts[2].dropAfterMs = 800;
  rig.boot();
  // The history the vector's status reports: three runs of slot 1 (the
  // second stalls: a jam), one of slot 2, over two connections; the
  // vector's is the third.
  rig.connectReady();
  const char* ids[] = {"h-1", "h-2", "h-3", "h-4"};
  for (int i = 0; i < 4; ++i) {
    rig.hardware.scripts[1].stallAfterMs = i == 1 ? 100 : -1;
    rig.vend(ids[i], i == 3 ? 2 : 1);
    rig.advance(8000);
    rig.server("43/devices," + std::to_string(rig.device->nextAckId() - 1) + "[{\"ok\":true}]");
    if (i == 1) {
      rig.wire->closed("Connection lost");
      rig.advance(1000);
      rig.open();
      rig.server("40/devices,{\"sid\":\"again\"}");
      rig.hello();
    }
  }
  REQUIRE(rig.device->store().pendingCount() == 0);
  rig.wire->closed();
  rig.advance(1000);
  REQUIRE(rig.clock.now < 125000);
  rig.clock.now = 125000;

  const Vector vector = loadVector("status_telemetry");
  Replayer replay(vector, serverVars());
  replay.use(rig);
  replay.exactStatus(4);
  replay.playAll();
  replay.quiet();
  replay.finish();
}

TEST_CASE("vector ack_rules: ok:true and invalid_payload both stop the resends") {
  Rig rig;
  // Precondition: two results the server has not acked. The second id is not
  // a UUID (a vend with such an id would come only from a broken server).
  rig.storage.save(
      "vendora-store 1\nDs- dropped 6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f\nDs- dropped not-a-uuid\n");
  rig.boot();
  rig.networkUp();
  const Vector vector = loadVector("ack_rules");
  Replayer replay(vector, serverVars());
  replay.use(rig);
  replay.seedAckId();
  replay.play(0, 7);
  replay.skip(8, "result \"exploded\": the core's results are an enum of the five names");
  replay.deliver(9);  // an ack for an id the device never used: ignored
  replay.skip(10, "a vend_result without result: the core always writes both fields");
  replay.deliver(11);
  replay.quiet();
  replay.finish();
  CHECK(rig.device->store().pendingCount() == 0);
}

TEST_CASE("vector invalid_credentials: a refused machine closes the link and waits 30 s; a good one joins") {
  const Vector vector = loadVector("invalid_credentials");
  Replayer replay(vector, serverVars());

  DeviceConfig wrongKey = testConfig();
  wrongKey.key = "not-the-device-key";
  Rig first(wrongKey);
  first.boot();
  first.networkUp();
  replay.use(first);
  replay.play(0, 2);
  CHECK(first.transport.disconnectRequests == 1);
  CHECK(first.device->retryInMs() >= 30000);
  first.advance(29000);
  CHECK_FALSE(first.device->shouldRunLink());

  DeviceConfig unknownMachine = testConfig();
  unknownMachine.machine = "no-such-machine";
  Rig second(unknownMachine);
  second.boot();
  second.networkUp();
  replay.use(second);
  replay.deliver(0);  // its own connection's open packet
  replay.expect(3);
  replay.deliver(4);
  CHECK(second.transport.disconnectRequests == 1);
  CHECK(second.device->retryInMs() >= 30000);

  // The firmware never connects without its auth: configProblem() keeps
  // the link off when the machine code or key is missing.
  replay.skip(5, "a namespace connect without auth");
  replay.skip(6, "the server's answer to step 5");

  Rig third;
  third.boot();
  third.networkUp();
  replay.use(third);
  replay.deliver(0);
  replay.expect(7);
  replay.deliver(8);
  replay.deliver(9);
  CHECK(third.device->linkState() == LinkState::Ready);
  replay.quiet();
  replay.finish();
}

TEST_CASE("vector ping_pong: every server ping gets a pong, the device never pings") {
  Rig rig;
  rig.boot();
  rig.networkUp();
  const Vector vector = loadVector("ping_pong");
  Replayer replay(vector, serverVars());
  replay.use(rig);
  replay.playAll();
  replay.quiet(120000);
  replay.finish();
  for (const std::string& frame : rig.transport.frames) CHECK(frame != "2");
}

TEST_CASE("vector serial_lines: the USB serial line protocol") {
  Rig rig;
  rig.hardware.scripts[1].dropAfterMs = 700;  // slot 2 never drops: cut off by the restart
  rig.boot();
  const Vector vector = loadVector("serial_lines");
  CHECK(vector.placeholders == std::set<std::string>{"command_id", "other_command_id", "cut_command_id"});
  const Vars vars = {{"command_id", "45979658-cb5a-4e1c-9ee2-1c69a12aee4a"},
                     {"other_command_id", "b4a458fa-9459-40d4-bb0c-6911737f35ef"},
                     {"cut_command_id", "6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f"}};
  rig.takeLines();
  size_t read = 0;
  for (size_t i = 0; i < vector.frames.size(); ++i) {
    const Step& step = vector.frames[i];
    INFO("serial_lines step " << i);
    const std::string line = fill(step.frame, vars);
    if (step.dir == "server") {
      for (char c : line + "\n") rig.device->onSerialByte(c);
      if (i == 12) rig.advance(500);  // the motor is turning when the restart comes
      continue;
    }
    if (step.trigger == "restart") {
      rig.console.lines.clear();
      read = 0;
      rig.reboot();
    }
    for (int waited = 0; waited <= 30000 && rig.console.protocolLines().size() <= read; waited += 10) rig.advance(10);
    const std::vector<std::string> lines = rig.console.protocolLines();
    REQUIRE(lines.size() > read);
    CHECK(lines[read++] == line);
  }
  rig.advance(12000);
  CHECK(rig.console.protocolLines().size() == read);
  CHECK(rig.hardware.motorStarts() == 2);
}

TEST_CASE("vector lan_discovery: the request the device broadcasts, the reply it uses") {
  const Vector vector = loadVector("lan_discovery");
  REQUIRE(vector.frames.size() == 2);
  const Vars vars = {{"machine", kMachine}, {"host", "192.168.1.20"}, {"port", "3333"}};
  CHECK(buildDiscoveryRequest(kMachine) == fill(vector.frames[0].frame, vars));

  NlohmannJsonReader reader;
  const std::string reply = fill(vector.frames[1].frame, vars);
  ServerTarget target;
  REQUIRE(parseDiscoveryReply(reader, reply.data(), reply.size(), target) == DiscoveryError::None);
  CHECK(target.host == "192.168.1.20");
  CHECK(target.port == 3333);
  CHECK_FALSE(target.tls);
  CHECK(target.socketIoPath() == "/socket.io/?EIO=4");
}

namespace {

/** serverVars() and the release the OTA vectors announce. */
Vars otaVars(const Rig& rig, const Release& release) {
  Vars vars = serverVars();
  vars["version"] = release.version;
  vars["url"] = rig.download.url;
  vars["size"] = std::to_string(release.image.size());
  vars["image_hash"] = release.sha256;
  vars["signature"] = release.signature;
  return vars;
}

/** The board restarted (a Restarter call): the rig boots again, as `firmware`, with the network up. */
void restartAs(Rig& rig, const std::string& firmware) {
  REQUIRE(rig.restarter.restarts == 1);
  rig.config.firmware = firmware;
  rig.reboot();
  rig.networkUp();
}

}  // namespace

TEST_CASE("vector ota_success: download, verifying, rebooting; the new image joins and confirms itself") {
  Rig rig;
  const Release release;
  rig.download.image = release.image;
  rig.boot();
  rig.networkUp();
  const Vector vector = loadVector("ota_success");
  Replayer replay(vector, otaVars(rig, release));
  replay.use(rig);
  replay.play(0, 18);
  rig.advance(2000);
  CHECK(rig.slot.image == release.image);
  restartAs(rig, release.version);
  replay.use(rig);
  replay.play(19, 24);
  replay.quiet();
  replay.finish();
  CHECK(rig.slot.confirms == 1);
}

TEST_CASE("vector ota_resume: the dropped download resumes with Range from the last byte written") {
  Rig rig;
  const Release release;
  rig.download.image = release.image;
  rig.download.dropAt = {4608};
  rig.boot();
  rig.networkUp();
  const Vector vector = loadVector("ota_resume");
  Vars vars = otaVars(rig, release);
  vars["offset"] = "4608";
  Replayer replay(vector, vars);
  replay.use(rig);
  replay.playAll();
  rig.advance(2000);
  CHECK(rig.restarter.restarts == 1);
  CHECK(rig.slot.image == release.image);
  replay.quiet();
  replay.finish();
}

TEST_CASE("vector ota_refused: during a vend, a wrong SHA-256, a foreign signature, a malformed ota") {
  Rig rig;
  const Release release;
  rig.download.image = release.image;
  rig.hardware.scripts[1].dropAfterMs = 800;
  rig.boot();
  rig.networkUp();
  const Vector vector = loadVector("ota_refused");
  Vars vars = otaVars(rig, release);
  vars["wrong_hash"] = std::string(64, '0');
  const ReleaseKey stranger;
  vars["wrong_signature"] = stranger.signBase64(release.image);
  Replayer replay(vector, vars);
  replay.use(rig);
  replay.seedAckId();
  replay.playAll();
  replay.quiet();
  replay.finish();
  CHECK(rig.hardware.motorStarts() == 1);
  CHECK(rig.slot.begins == 2);
  CHECK(rig.slot.aborts == 2);
  CHECK(rig.slot.finishes == 0);
  CHECK(rig.restarter.restarts == 0);
}

TEST_CASE("vector config: applied within bounds, per-field refusals, and an ota refused in the quiet hours") {
  Rig rig;
  const Release release;
  rig.download.image = release.image;
  rig.boot();
  rig.networkUp();
  const Vector vector = loadVector("config");
  Vars vars = otaVars(rig, release);
  vars["quiet_start_min"] = "720";  // 12:00-14:00 UTC holds server_time, 12:53
  vars["quiet_end_min"] = "840";
  Replayer replay(vector, vars);
  replay.use(rig);
  replay.playAll();
  replay.quiet();
  replay.finish();
  CHECK(rig.download.opens.empty());
  CHECK(rig.settingsStorage.blob.find("quiet_start_min 720\n") != std::string::npos);
}

TEST_CASE("vector logs_reboot: the last log lines; reboot refused during a vend, then accepted") {
  Rig rig;
  rig.hardware.scripts[1].dropAfterMs = 800;
  rig.boot();
  rig.networkUp();
  const Vector vector = loadVector("logs_reboot");
  Vars vars = serverVars();
  vars["log_lines"] = "";
  vars["dropped"] = "";
  Replayer replay(vector, vars);
  replay.use(rig);
  replay.seedAckId();
  replay.play(0, 4);
  // What the device holds: its last three lines, as JSON.
  std::string lines = "[";
  for (const std::string& line : rig.device->logRing().last(3)) {
    if (lines.size() > 1) lines += ',';
    appendJsonString(lines, line);
  }
  replay.set("log_lines", lines + "]");
  replay.set("dropped", "0");
  replay.play(5, 12);
  CHECK(rig.restarter.restarts == 0);
  rig.advance(1100);
  restartAs(rig, rig.config.firmware);
  replay.use(rig);
  replay.play(13, 16);
  replay.quiet();
  replay.finish();
  CHECK(rig.hardware.motorStarts() == 1);
}
