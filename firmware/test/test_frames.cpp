// Frame building and parsing: the exact bytes of PROTOCOL.md, malformed
// frames, and the size limits on both sides.
#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <string>

#include "../vendora_esp32/src/core/frames.h"
#include "json_nlohmann.h"

using namespace vendora;
using vendora_test::NlohmannJsonReader;

namespace {
// Packets point into their text: keep every text alive for the test.
Packet packetOf(const char* text, char type = '2') {
  Packet packet;
  REQUIRE(parsePacket(type, text, strlen(text), packet) == FrameError::None);
  return packet;
}
std::string dataOf(const Packet& packet) { return std::string(packet.data, packet.dataLength); }
}  // namespace

TEST_CASE("Engine.IO frames split into type and data, and bad ones are refused") {
  EngineFrame frame;
  REQUIRE(parseEngineFrame("2", 1, frame) == FrameError::None);
  CHECK(frame.type == '2');
  CHECK(frame.length == 0);
  REQUIRE(parseEngineFrame("3probe", 6, frame) == FrameError::None);
  CHECK(std::string(frame.data, frame.length) == "probe");
  CHECK(parseEngineFrame("", 0, frame) == FrameError::Empty);
  CHECK(parseEngineFrame(nullptr, 0, frame) == FrameError::Empty);
  CHECK(parseEngineFrame("9x", 2, frame) == FrameError::BadEngineType);
  CHECK(parseEngineFrame("{", 1, frame) == FrameError::BadEngineType);
}

TEST_CASE("incoming frames over the Arduino client's 15 KiB are refused, 15 KiB is fine") {
  std::string big = "42/devices,[\"x\",\"" + std::string(kMaxIncomingFrame, 'a') + "\"]";
  EngineFrame frame;
  CHECK(parseEngineFrame(big.data(), big.size(), frame) == FrameError::TooLarge);
  Packet packet;
  CHECK(parsePacket('2', big.data() + 2, big.size() - 2, packet) == FrameError::TooLarge);

  std::string limit(kMaxIncomingFrame, 'a');
  limit[0] = '4';
  CHECK(parseEngineFrame(limit.data(), limit.size(), frame) == FrameError::None);
  CHECK(kMaxIncomingFrame == 15 * 1024);
}

TEST_CASE("socket.io packets: namespace, ack id and payload") {
  Packet vend = packetOf("/devices,[\"vend\",{\"command_id\":\"c\",\"order_id\":1,\"slot\":1}]");
  CHECK(vend.nsp == "/devices");
  CHECK_FALSE(vend.hasAckId);
  CHECK(dataOf(vend) == "[\"vend\",{\"command_id\":\"c\",\"order_id\":1,\"slot\":1}]");

  Packet ack = packetOf("/devices,7[{\"ok\":true}]", '3');
  CHECK(ack.type == '3');
  CHECK(ack.hasAckId);
  CHECK(ack.ackId == 7);
  CHECK(dataOf(ack) == "[{\"ok\":true}]");

  Packet big = packetOf("/devices,999999999[]", '3');
  CHECK(big.ackId == 999999999u);

  Packet replaced = packetOf("/devices,", '1');
  CHECK(replaced.nsp == "/devices");
  CHECK(replaced.dataLength == 0);

  Packet noComma = packetOf("/devices", '1');
  CHECK(noComma.nsp == "/devices");

  Packet root = packetOf("[\"hello\"]");
  CHECK(root.nsp == "/");

  Packet joined = packetOf("/devices,{\"sid\":\"abc\"}", '0');
  CHECK(joined.type == '0');
  CHECK(dataOf(joined) == "{\"sid\":\"abc\"}");
}

TEST_CASE("malformed socket.io packets are refused") {
  Packet packet;
  const std::string longId = "/devices,1234567890[{\"ok\":true}]";
  CHECK(parsePacket('3', longId.data(), longId.size(), packet) == FrameError::BadAckId);
  CHECK(parsePacket('5', "/devices,1-[]", 13, packet) == FrameError::BinaryUnsupported);
  CHECK(parsePacket('6', "", 0, packet) == FrameError::BinaryUnsupported);
  CHECK(parsePacket('x', "", 0, packet) == FrameError::BadPacketType);
  CHECK(parsePacket('9', "", 0, packet) == FrameError::BadPacketType);
  const std::string longNsp = "/" + std::string(80, 'n') + ",[]";
  CHECK(parsePacket('2', longNsp.data(), longNsp.size(), packet) == FrameError::BadNamespace);
  const std::string controlNsp = std::string("/dev\x01ices,[]");
  CHECK(parsePacket('2', controlNsp.data(), controlNsp.size(), packet) == FrameError::BadNamespace);
}

TEST_CASE("the namespace connect is exactly the recorded frame, with JSON escaping") {
  std::string frame;
  REQUIRE(buildConnectFrame("vm-0042", "k3y-0f-vm-0042", frame));
  CHECK(frame == "40/devices,{\"machine\":\"vm-0042\",\"key\":\"k3y-0f-vm-0042\"}");

  REQUIRE(buildConnectFrame("m", "a\"b\\c\n\x01", frame));
  CHECK(frame == "40/devices,{\"machine\":\"m\",\"key\":\"a\\\"b\\\\c\\n\\u0001\"}");

  CHECK_FALSE(buildConnectFrame("", "key", frame));
  CHECK_FALSE(buildConnectFrame(std::string(65, 'm'), "key", frame));
  CHECK_FALSE(buildConnectFrame("m", "", frame));
  CHECK_FALSE(buildConnectFrame("m", std::string(257, 'k'), frame));
  CHECK(buildConnectFrame(std::string(64, 'm'), std::string(256, 'k'), frame));
}

TEST_CASE("vend_result frames carry the ack id and the exact result names") {
  std::string frame;
  REQUIRE(buildVendResultFrame(7, "45979658-cb5a-4e1c-9ee2-1c69a12aee4a", VendResult::Dropped, frame));
  CHECK(frame ==
        "42/devices,7[\"vend_result\",{\"command_id\":\"45979658-cb5a-4e1c-9ee2-1c69a12aee4a\",\"result\":\"dropped\"}]");
  REQUIRE(buildVendResultFrame(12, "c", VendResult::SensorFault, frame));
  CHECK(frame == "42/devices,12[\"vend_result\",{\"command_id\":\"c\",\"result\":\"sensor_fault\"}]");
  CHECK_FALSE(buildVendResultFrame(1, "", VendResult::Jam, frame));
  CHECK_FALSE(buildVendResultFrame(1, "has space", VendResult::Jam, frame));

  const char* names[] = {"dropped", "no_drop", "jam", "sensor_fault", "interrupted"};
  for (const char* name : names) {
    VendResult result;
    REQUIRE(parseVendResult(name, result));
    CHECK(std::string(vendResultName(result)) == name);
  }
  VendResult result;
  CHECK_FALSE(parseVendResult("exploded", result));
  CHECK_FALSE(parseVendResult("DROPPED", result));
}

TEST_CASE("status telemetry has the fields of PROTOCOL.md in order, and leaves out what the server refuses") {
  StatusReport status;
  status.firmware = "vendora-esp32-0.1.0";
  status.hasRssi = true;
  status.rssi = -61;
  status.hasFreeHeap = true;
  status.freeHeap = 183204;
  status.hasUptime = true;
  status.uptimeMs = 5230;
  status.hasSensorOk = true;
  status.sensorOk = true;
  std::string frame;
  REQUIRE(buildStatusFrame(status, frame));
  CHECK(frame ==
        "42/devices,[\"status\",{\"firmware\":\"vendora-esp32-0.1.0\",\"rssi\":-61,\"free_heap\":183204,"
        "\"uptime_ms\":5230,\"sensor_ok\":true}]");

  status.rssi = 5;  // not a dBm the server accepts
  status.uptimeMs = 5000000000ULL;  // past 32 bits
  status.sensorOk = false;
  REQUIRE(buildStatusFrame(status, frame));
  CHECK(frame ==
        "42/devices,[\"status\",{\"firmware\":\"vendora-esp32-0.1.0\",\"free_heap\":183204,"
        "\"uptime_ms\":5000000000,\"sensor_ok\":false}]");

  REQUIRE(buildStatusFrame(StatusReport(), frame));
  CHECK(frame == "42/devices,[\"status\",{}]");

  status.firmware = std::string(65, 'f');
  CHECK_FALSE(buildStatusFrame(status, frame));
}

TEST_CASE("no frame over the server's 16 KiB maxPayload is built") {
  std::string frame;
  const std::string prefix = "42/devices,[\"status\",\"";
  const std::string suffix = "\"]";
  const size_t room = kMaxOutgoingFrame - prefix.size() - suffix.size();
  CHECK(buildEventFrame("status", "\"" + std::string(room, 'x') + "\"", false, 0, frame));
  CHECK(frame.size() == kMaxOutgoingFrame);
  CHECK_FALSE(buildEventFrame("status", "\"" + std::string(room + 1, 'x') + "\"", false, 0, frame));
  CHECK_FALSE(buildEventFrame("status", "\"" + std::string(17 * 1024, 'x') + "\"", false, 0, frame));
}

TEST_CASE("event payloads: array with a name first, anything else refused") {
  NlohmannJsonReader reader;
  std::string name;
  const std::string vend = "[\"vend\",{\"command_id\":\"c-1\",\"order_id\":3,\"slot\":2}]";
  REQUIRE(parseEventPayload(reader, vend.data(), vend.size(), name));
  CHECK(name == "vend");
  VendCommand command;
  REQUIRE(readVendCommand(reader, command));
  CHECK(command.commandId == "c-1");
  CHECK(command.slotValid);
  CHECK(command.slot == 2);
  CHECK(command.hasOrderId);
  CHECK(command.orderId == 3);

  const char* bad[] = {"[\"vend\",{",  "{\"vend\":1}", "[1,2]",    "[]",   "",
                       "[\"hello\"]x", "x[\"hello\"]", "[\"\"]", "null", "[\"a\",]"};
  for (const char* text : bad) {
    CAPTURE(text);
    CHECK_FALSE(parseEventPayload(reader, text, strlen(text), name));
  }
  CHECK_FALSE(parseEventPayload(reader, nullptr, 0, name));
}

TEST_CASE("vend commands: a usable command id is required, a strange slot is kept as invalid") {
  NlohmannJsonReader reader;
  std::string name;
  VendCommand command;
  auto read = [&](const std::string& text) {
    REQUIRE(parseEventPayload(reader, text.data(), text.size(), name));
    return readVendCommand(reader, command);
  };
  CHECK_FALSE(read("[\"vend\",{\"order_id\":1,\"slot\":1}]"));
  CHECK_FALSE(read("[\"vend\",{\"command_id\":42,\"slot\":1}]"));
  CHECK_FALSE(read("[\"vend\",{\"command_id\":\"\",\"slot\":1}]"));
  CHECK_FALSE(read("[\"vend\",{\"command_id\":\"a b\",\"slot\":1}]"));
  CHECK_FALSE(read("[\"vend\",\"c-1\"]"));
  CHECK_FALSE(read("[\"vend\"]"));

  REQUIRE(read("[\"vend\",{\"command_id\":\"c-1\",\"slot\":1.5}]"));
  CHECK_FALSE(command.slotValid);
  REQUIRE(read("[\"vend\",{\"command_id\":\"c-1\",\"slot\":\"1\"}]"));
  CHECK_FALSE(command.slotValid);
  REQUIRE(read("[\"vend\",{\"command_id\":\"c-1\"}]"));
  CHECK_FALSE(command.slotValid);
  REQUIRE(read("[\"vend\",{\"command_id\":\"c-1\",\"slot\":99999999999}]"));
  CHECK_FALSE(command.slotValid);
  REQUIRE(read("[\"vend\",{\"command_id\":\"c-1\",\"slot\":-3}]"));
  CHECK(command.slotValid);
  CHECK(command.slot == -3);
}

TEST_CASE("acks: ok, invalid_payload, and everything else means try again") {
  NlohmannJsonReader reader;
  auto outcome = [&](const std::string& text) { return parseAckPayload(reader, text.data(), text.size()); };
  CHECK(outcome("[{\"ok\":true}]") == AckOutcome::Ok);
  CHECK(outcome("[{\"ok\":false,\"error\":\"invalid_payload\"}]") == AckOutcome::InvalidPayload);
  CHECK(outcome("[{\"ok\":false,\"error\":\"server_error\"}]") == AckOutcome::Retry);
  CHECK(outcome("[{\"ok\":false}]") == AckOutcome::Retry);
  CHECK(outcome("[{\"ok\":\"true\"}]") == AckOutcome::Retry);
  CHECK(outcome("[]") == AckOutcome::Retry);
  CHECK(outcome("[{\"ok\":tru") == AckOutcome::Retry);
  CHECK(outcome("") == AckOutcome::Retry);
}

TEST_CASE("connect errors name their reason") {
  NlohmannJsonReader reader;
  std::string message;
  const std::string refused = "{\"message\":\"invalid_credentials\"}";
  REQUIRE(parseConnectError(reader, refused.data(), refused.size(), message));
  CHECK(message == "invalid_credentials");
  CHECK_FALSE(parseConnectError(reader, "{}", 2, message));
  CHECK_FALSE(parseConnectError(reader, "oops", 4, message));
}

TEST_CASE("display_code takes an object with a code (and ttl_ms) or a bare string") {
  NlohmannJsonReader reader;
  std::string name;
  DisplayCode code;
  auto read = [&](const std::string& text) {
    REQUIRE(parseEventPayload(reader, text.data(), text.size(), name));
    return readDisplayCode(reader, code);
  };
  REQUIRE(read("[\"display_code\",{\"code\":\"4821\",\"ttl_ms\":30000}]"));
  CHECK(code.code == "4821");
  CHECK(code.hasTtl);
  CHECK(code.ttlMs == 30000);
  REQUIRE(read("[\"display_code\",\"A7-X\"]"));
  CHECK(code.code == "A7-X");
  CHECK_FALSE(code.hasTtl);
  REQUIRE(read("[\"display_code\",{\"code\":\"9\",\"ttl_ms\":-5}]"));
  CHECK_FALSE(code.hasTtl);
  CHECK_FALSE(read("[\"display_code\",{\"ttl_ms\":1}]"));
  CHECK_FALSE(read("[\"display_code\",{\"code\":\"\"}]"));
  CHECK_FALSE(read("[\"display_code\",{\"code\":\"a\\nb\"}]"));
  CHECK_FALSE(read("[\"display_code\",\"" + std::string(65, 'c') + "\"]"));
  CHECK_FALSE(read("[\"display_code\",1234]"));
  CHECK_FALSE(read("[\"display_code\"]"));
}

TEST_CASE("numbers are written without printf or locale") {
  std::string out;
  appendSigned(out, INT64_MIN);
  CHECK(out == "-9223372036854775808");
  out.clear();
  appendUnsigned(out, UINT64_MAX);
  CHECK(out == "18446744073709551615");
  out.clear();
  appendSigned(out, 0);
  CHECK(out == "0");
}

TEST_CASE("status: the telemetry fields in their order, and values the server would refuse left out") {
  StatusReport status;
  status.firmware = "vendora-esp32-0.2.0";
  status.resetReason = "watchdog";
  status.hasMinFreeHeap = true;
  status.minFreeHeap = 120000;
  status.hasReconnects = true;
  status.reconnects = 7;
  status.hasPendingResults = true;
  status.pendingResults = 2;
  status.ip = "10.0.0.255";
  status.mac = "A4:CF:12:0B:3D:E0";
  SlotCounters slot;
  slot.slot = 4;
  slot.cycles = 4294967295u;
  slot.jams = 3;
  status.slots.push_back(slot);
  std::string frame;
  REQUIRE(buildStatusFrame(status, frame));
  CHECK(frame ==
        "42/devices,[\"status\",{\"firmware\":\"vendora-esp32-0.2.0\",\"reset_reason\":\"watchdog\","
        "\"min_free_heap\":120000,\"reconnects\":7,\"pending_results\":2,\"ip\":\"10.0.0.255\","
        "\"mac\":\"A4:CF:12:0B:3D:E0\",\"slots\":[{\"slot\":4,\"cycles\":4294967295,\"jams\":3}]}]");

  StatusReport bad;
  bad.resetReason = "Power On";
  bad.ip = "256.1.1.1";
  bad.mac = "a4:cf:12:0b:3d:e0";
  REQUIRE(buildStatusFrame(bad, frame));
  CHECK(frame == "42/devices,[\"status\",{}]");
  bad.resetReason = std::string(33, 'x');
  bad.ip = "192.168.1";
  bad.mac = "A4-CF-12-0B-3D-E0";
  REQUIRE(buildStatusFrame(bad, frame));
  CHECK(frame == "42/devices,[\"status\",{}]");
}

TEST_CASE("IPv4 and MAC address forms") {
  CHECK(isIpv4("0.0.0.0"));
  CHECK(isIpv4("192.168.1.57"));
  CHECK_FALSE(isIpv4(""));
  CHECK_FALSE(isIpv4("192.168.1.57."));
  CHECK_FALSE(isIpv4("192.168.01.57"));
  CHECK_FALSE(isIpv4("1.2.3.4.5"));
  CHECK_FALSE(isIpv4("1.2.3.1000"));
  CHECK_FALSE(isIpv4("fe80::1"));
  CHECK(isMacAddress("24:6F:28:AA:BB:CC"));
  CHECK_FALSE(isMacAddress("24:6F:28:AA:BB"));
  CHECK_FALSE(isMacAddress("24:6F:28:AA:BB:CG"));
  CHECK_FALSE(isMacAddress("246F:28:AA:BB:CC:"));
}
