#include "frames.h"

#include <string.h>

#include "server_clock.h"

namespace vendora {

const char kDevicesNamespace[] = "/devices";

namespace {

const size_t kMaxNamespaceLength = 64;
const size_t kMaxAckIdDigits = 9;  // keeps every id below 10^9, inside uint32_t
const size_t kMaxDisplayCodeLength = 64;

bool isDigit(char c) { return c >= '0' && c <= '9'; }

// A cheap structural check before parsing: the core's payloads are always
// one array or one object, and ArduinoJson (unlike nlohmann) ignores bytes
// after the first value, so both platforms agree only with this check.
bool enclosedIn(const char* data, size_t length, char open, char close) {
  return data != nullptr && length >= 2 && data[0] == open && data[length - 1] == close;
}

const size_t kMaxResetReasonLength = 32;
const size_t kMaxStatusSlots = 64;

bool isResetReason(const std::string& text) {
  if (text.empty() || text.size() > kMaxResetReasonLength) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (!((text[i] >= 'a' && text[i] <= 'z') || text[i] == '_')) return false;
  }
  return true;
}

void appendEventPrefix(std::string& out, bool withAck, uint32_t ackId) {
  out = "42";
  out += kDevicesNamespace;
  out += ',';
  if (withAck) appendUnsigned(out, ackId);
}

}  // namespace

const char* frameErrorName(FrameError error) {
  switch (error) {
    case FrameError::None:
      return "none";
    case FrameError::Empty:
      return "empty";
    case FrameError::TooLarge:
      return "too_large";
    case FrameError::BadEngineType:
      return "bad_engine_type";
    case FrameError::BadPacketType:
      return "bad_packet_type";
    case FrameError::BinaryUnsupported:
      return "binary_unsupported";
    case FrameError::BadNamespace:
      return "bad_namespace";
    case FrameError::BadAckId:
      return "bad_ack_id";
  }
  return "unknown";
}

FrameError parseEngineFrame(const char* text, size_t length, EngineFrame& out) {
  if (text == nullptr || length == 0) return FrameError::Empty;
  if (length > kMaxIncomingFrame) return FrameError::TooLarge;
  if (text[0] < '0' || text[0] > '6') return FrameError::BadEngineType;
  out.type = text[0];
  out.data = text + 1;
  out.length = length - 1;
  return FrameError::None;
}

FrameError parsePacket(char type, const char* text, size_t length, Packet& out) {
  out = Packet();
  if (length > kMaxIncomingFrame) return FrameError::TooLarge;
  if (type < '0' || type > '6') return FrameError::BadPacketType;
  if (type == '5' || type == '6') return FrameError::BinaryUnsupported;
  out.type = type;
  if (text == nullptr) length = 0;

  size_t pos = 0;
  if (length > 0 && text[0] == '/') {
    // As socket.io-parser reads it: the namespace runs to the first comma,
    // or to the end of the packet when nothing follows it.
    const char* comma = static_cast<const char*>(memchr(text, ',', length));
    const size_t end = comma ? static_cast<size_t>(comma - text) : length;
    if (end > kMaxNamespaceLength) return FrameError::BadNamespace;
    for (size_t i = 0; i < end; ++i) {
      const unsigned char c = static_cast<unsigned char>(text[i]);
      if (c < 0x21 || c > 0x7e) return FrameError::BadNamespace;
    }
    out.nsp.assign(text, end);
    pos = comma ? end + 1 : end;
  }

  size_t digits = 0;
  uint32_t id = 0;
  while (pos + digits < length && isDigit(text[pos + digits])) {
    if (digits == kMaxAckIdDigits) return FrameError::BadAckId;
    id = id * 10 + static_cast<uint32_t>(text[pos + digits] - '0');
    ++digits;
  }
  if (digits > 0) {
    out.hasAckId = true;
    out.ackId = id;
    pos += digits;
  }

  out.data = text == nullptr ? nullptr : text + pos;
  out.dataLength = length - pos;
  return FrameError::None;
}

bool buildConnectFrame(const std::string& machine, const std::string& key, std::string& out) {
  if (machine.empty() || machine.size() > kMaxMachineLength) return false;
  if (key.empty() || key.size() > kMaxKeyLength) return false;
  out = "40";
  out += kDevicesNamespace;
  out += ",{\"machine\":";
  appendJsonString(out, machine);
  out += ",\"key\":";
  appendJsonString(out, key);
  out += '}';
  return true;
}

bool buildEventFrame(const char* event, const std::string& argJson, bool withAck, uint32_t ackId,
                     std::string& out) {
  std::string frame;
  appendEventPrefix(frame, withAck, ackId);
  frame += '[';
  appendJsonString(frame, event);
  if (!argJson.empty()) {
    frame += ',';
    frame += argJson;
  }
  frame += ']';
  if (frame.size() > kMaxOutgoingFrame) return false;
  out.swap(frame);
  return true;
}

bool buildVendResultFrame(uint32_t ackId, const std::string& commandId, VendResult result, std::string& out) {
  if (!isValidCommandId(commandId)) return false;
  std::string arg = "{\"command_id\":";
  appendJsonString(arg, commandId);
  arg += ",\"result\":";
  appendJsonString(arg, vendResultName(result));
  arg += '}';
  return buildEventFrame("vend_result", arg, true, ackId, out);
}

bool isIpv4(const std::string& text) {
  size_t pos = 0;
  for (int part = 0; part < 4; ++part) {
    if (part > 0) {
      if (pos >= text.size() || text[pos] != '.') return false;
      ++pos;
    }
    size_t digits = 0;
    unsigned value = 0;
    while (pos < text.size() && isDigit(text[pos]) && digits < 3) {
      value = value * 10 + static_cast<unsigned>(text[pos] - '0');
      ++pos;
      ++digits;
    }
    if (digits == 0 || value > 255 || (digits > 1 && text[pos - digits] == '0')) return false;
  }
  return pos == text.size();
}

bool isMacAddress(const std::string& text) {
  if (text.size() != 17) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (i % 3 == 2) {
      if (c != ':') return false;
    } else if (!isDigit(c) && !(c >= 'A' && c <= 'F')) {
      return false;
    }
  }
  return true;
}

bool buildStatusFrame(const StatusReport& status, std::string& out) {
  if (status.firmware.size() > kMaxFirmwareLength) return false;
  std::string arg = "{";
  bool first = true;
  // Writes the separator and key of the next field.
  struct Field {
    static void open(std::string& s, bool& isFirst, const char* name) {
      if (!isFirst) s += ',';
      isFirst = false;
      s += '"';
      s += name;
      s += "\":";
    }
  };
  if (!status.firmware.empty()) {
    Field::open(arg, first, "firmware");
    appendJsonString(arg, status.firmware);
  }
  if (status.hasRssi && status.rssi >= -150 && status.rssi <= 0) {
    Field::open(arg, first, "rssi");
    appendSigned(arg, status.rssi);
  }
  if (status.hasFreeHeap) {
    Field::open(arg, first, "free_heap");
    appendUnsigned(arg, status.freeHeap);
  }
  if (status.hasUptime) {
    Field::open(arg, first, "uptime_ms");
    appendUnsigned(arg, status.uptimeMs);
  }
  if (status.hasSensorOk) {
    Field::open(arg, first, "sensor_ok");
    arg += status.sensorOk ? "true" : "false";
  }
  if (isResetReason(status.resetReason)) {
    Field::open(arg, first, "reset_reason");
    appendJsonString(arg, status.resetReason);
  }
  if (status.hasMinFreeHeap) {
    Field::open(arg, first, "min_free_heap");
    appendUnsigned(arg, status.minFreeHeap);
  }
  if (status.hasReconnects) {
    Field::open(arg, first, "reconnects");
    appendUnsigned(arg, status.reconnects);
  }
  if (status.hasPendingResults) {
    Field::open(arg, first, "pending_results");
    appendUnsigned(arg, status.pendingResults);
  }
  if (isIpv4(status.ip)) {
    Field::open(arg, first, "ip");
    appendJsonString(arg, status.ip);
  }
  if (isMacAddress(status.mac)) {
    Field::open(arg, first, "mac");
    appendJsonString(arg, status.mac);
  }
  if (!status.slots.empty() && status.slots.size() <= kMaxStatusSlots) {
    Field::open(arg, first, "slots");
    arg += '[';
    for (size_t i = 0; i < status.slots.size(); ++i) {
      const SlotCounters& slot = status.slots[i];
      if (i > 0) arg += ',';
      arg += "{\"slot\":";
      appendSigned(arg, slot.slot);
      arg += ",\"cycles\":";
      appendUnsigned(arg, slot.cycles);
      arg += ",\"jams\":";
      appendUnsigned(arg, slot.jams);
      arg += '}';
    }
    arg += ']';
  }
  arg += '}';
  return buildEventFrame("status", arg, false, 0, out);
}

bool parseEventPayload(JsonReader& reader, const char* data, size_t length, std::string& name) {
  name.clear();
  if (!enclosedIn(data, length, '[', ']')) return false;
  if (!reader.parse(data, length)) return false;
  if (reader.type({}) != JsonType::Array) return false;
  return reader.getString({0}, name) && !name.empty();
}

AckOutcome parseAckPayload(JsonReader& reader, const char* data, size_t length) {
  if (!enclosedIn(data, length, '[', ']') || !reader.parse(data, length)) return AckOutcome::Retry;
  bool ok = false;
  if (!reader.getBool({0, "ok"}, ok)) return AckOutcome::Retry;
  if (ok) return AckOutcome::Ok;
  std::string error;
  if (reader.getString({0, "error"}, error) && error == "invalid_payload") return AckOutcome::InvalidPayload;
  return AckOutcome::Retry;
}

bool parseConnectError(JsonReader& reader, const char* data, size_t length, std::string& message) {
  message.clear();
  if (!enclosedIn(data, length, '{', '}') || !reader.parse(data, length)) return false;
  return reader.getString({"message"}, message);
}

bool readVendCommand(const JsonReader& reader, VendCommand& out) {
  out = VendCommand();
  if (reader.type({1}) != JsonType::Object) return false;
  if (!reader.getString({1, "command_id"}, out.commandId) || !isValidCommandId(out.commandId)) return false;
  int64_t slot = 0;
  // A slot that cannot be a motor number is kept as "not valid": the
  // command is answered with no_drop so the shopper is refunded.
  if (reader.getInteger({1, "slot"}, slot) && slot >= -1000000 && slot <= 1000000) {
    out.slotValid = true;
    out.slot = static_cast<int>(slot);
  }
  out.hasOrderId = reader.getInteger({1, "order_id"}, out.orderId);
  std::string expiresAt;
  if (reader.type({1, "expires_at"}) != JsonType::None) {
    out.hasExpiresAt = reader.getString({1, "expires_at"}, expiresAt) && parseIsoUtcMs(expiresAt, out.expiresAtMs);
    out.expiresAtUnreadable = !out.hasExpiresAt;
  }
  return true;
}

bool readDisplayCode(const JsonReader& reader, DisplayCode& out) {
  out = DisplayCode();
  const JsonType argType = reader.type({1});
  bool found = false;
  if (argType == JsonType::String) {
    found = reader.getString({1}, out.code);
  } else if (argType == JsonType::Object) {
    found = reader.getString({1, "code"}, out.code);
    int64_t ttl = 0;
    if (reader.getInteger({1, "ttl_ms"}, ttl) && ttl >= 0 && ttl <= 24LL * 3600 * 1000) {
      out.hasTtl = true;
      out.ttlMs = static_cast<uint32_t>(ttl);
    }
  }
  if (!found || out.code.empty() || out.code.size() > kMaxDisplayCodeLength) return false;
  for (size_t i = 0; i < out.code.size(); ++i) {
    if (static_cast<unsigned char>(out.code[i]) < 0x20 || out.code[i] == 0x7f) return false;
  }
  return true;
}

}  // namespace vendora
