// Engine.IO v4 / Socket.IO v5 text frames of the /devices protocol
// (PROTOCOL.md): parsing what the server sends and building what the
// device sends. Frames are built by hand so their bytes match the recorded
// vectors in firmware/protocol/ exactly.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <string>
#include <vector>

#include "json.h"
#include "types.h"

namespace vendora {

/** The namespace every device frame uses. */
extern const char kDevicesNamespace[];

/**
 * Largest frame accepted from the server, in bytes: the Arduino client's
 * receive limit (WEBSOCKETS_MAX_DATA_SIZE, 15 KiB on the ESP32).
 */
const size_t kMaxIncomingFrame = 15 * 1024;

/** Largest frame the server accepts from a device (its `maxPayload`). */
const size_t kMaxOutgoingFrame = 16 * 1024;

/** Why a frame could not be read. */
enum class FrameError : uint8_t {
  None,
  Empty,              // no bytes at all
  TooLarge,           // over kMaxIncomingFrame
  BadEngineType,      // first byte not an Engine.IO packet type 0-6
  BadPacketType,      // Socket.IO packet type not 0-6
  BinaryUnsupported,  // binary event or ack (5, 6): never used by this protocol
  BadNamespace,       // namespace too long or not printable
  BadAckId,           // ack id longer than 9 digits
};

/** Short name of an error, for logs. */
const char* frameErrorName(FrameError error);

/** An Engine.IO frame: its type digit and the text after it. */
struct EngineFrame {
  char type;         // '0' open, '1' close, '2' ping, '3' pong, '4' message, '5' upgrade, '6' noop
  const char* data;  // points into the parsed text
  size_t length;
};

/**
 * Splits a whole Engine.IO text frame (`42/devices,[...]`, `2`, `3probe`).
 *
 * @returns FrameError::None, or why the frame is unusable
 */
FrameError parseEngineFrame(const char* text, size_t length, EngineFrame& out);

/**
 * A Socket.IO packet: `<type>[<namespace>,][<ack id>][<json>]`.
 */
struct Packet {
  char type;            // '0' connect, '1' disconnect, '2' event, '3' ack, '4' connect error
  std::string nsp;      // "/" when the packet names none
  bool hasAckId;
  uint32_t ackId;
  const char* data;     // the JSON text after the ack id (may be empty); points into the input
  size_t dataLength;
  Packet() : type('2'), nsp("/"), hasAckId(false), ackId(0), data(nullptr), dataLength(0) {}
};

/**
 * Reads a Socket.IO packet as SocketIOclient hands it to the sketch: the
 * packet type, then the text after the frame's `4<type>` prefix (for
 * `42/devices,["vend",{...}]` that is type '2' and `/devices,["vend",{...}]`).
 *
 * @returns FrameError::None, or why the packet is unusable
 */
FrameError parsePacket(char type, const char* text, size_t length, Packet& out);

/** `40/devices,{"machine":...,"key":...}`; false when a field is out of bounds. */
bool buildConnectFrame(const std::string& machine, const std::string& key, std::string& out);

/**
 * `42/devices,["<event>",<argJson>]`, or `42/devices,<ackId>[...]` when
 * `withAck`. `argJson` must already be JSON.
 *
 * @returns false when the frame would exceed kMaxOutgoingFrame
 */
bool buildEventFrame(const char* event, const std::string& argJson, bool withAck, uint32_t ackId,
                     std::string& out);

/** `42/devices,<ackId>["vend_result",{"command_id":...,"result":...}]`; false for an invalid id. */
bool buildVendResultFrame(uint32_t ackId, const std::string& commandId, VendResult result, std::string& out);

/** Per-slot counters reported in `status`: motor runs and jams since boot. */
struct SlotCounters {
  int slot;         // 1..64
  uint32_t cycles;  // vends that turned this slot's motor
  uint32_t jams;    // ... of which stalled, or did not get home (so jams <= cycles)
  SlotCounters() : slot(0), cycles(0), jams(0) {}
};

/**
 * Telemetry for `status` (PROTOCOL.md §3). Every field is optional; the
 * ones present are written in this order: firmware, rssi, free_heap,
 * uptime_ms, sensor_ok, reset_reason, min_free_heap, reconnects,
 * pending_results, ip, mac, slots. A field that would break the server's
 * rules is left out rather than sent (the server ignores a whole status
 * with one invalid field).
 */
struct StatusReport {
  std::string firmware;  // omitted when empty
  bool hasRssi;
  int rssi;  // dBm; omitted when outside -150..0, which the server refuses
  bool hasFreeHeap;
  uint32_t freeHeap;  // bytes
  bool hasUptime;
  uint64_t uptimeMs;
  bool hasSensorOk;
  bool sensorOk;
  std::string resetReason;  // 1-32 of a-z and _, e.g. "brownout"; omitted otherwise
  bool hasMinFreeHeap;
  uint32_t minFreeHeap;  // bytes, lowest free heap since boot
  bool hasReconnects;
  uint32_t reconnects;  // joins since boot after the first
  bool hasPendingResults;
  uint32_t pendingResults;  // results not yet acked
  std::string ip;   // dotted IPv4; omitted when empty or malformed
  std::string mac;  // "AA:BB:CC:DD:EE:FF" (upper case); omitted when empty or malformed
  std::vector<SlotCounters> slots;  // omitted when empty
  StatusReport()
      : hasRssi(false), rssi(0), hasFreeHeap(false), freeHeap(0), hasUptime(false), uptimeMs(0),
        hasSensorOk(false), sensorOk(false), hasMinFreeHeap(false), minFreeHeap(0), hasReconnects(false),
        reconnects(0), hasPendingResults(false), pendingResults(0) {}
};

/** Whether `text` is a dotted-quad IPv4 address (`192.168.1.57`). */
bool isIpv4(const std::string& text);

/** Whether `text` is a MAC address in the form `AA:BB:CC:DD:EE:FF` (upper-case hex). */
bool isMacAddress(const std::string& text);

/**
 * `42/devices,["status",{...}]`.
 *
 * @returns false when `firmware` is longer than 64 characters (the server
 *   would ignore the whole status) or the frame would be too large
 */
bool buildStatusFrame(const StatusReport& status, std::string& out);

/**
 * Reads an event's payload `["<name>", <arg>]` into `reader` (the argument
 * is then at path `{1, ...}`).
 *
 * @returns false unless the payload is a JSON array whose first element is a string
 */
bool parseEventPayload(JsonReader& reader, const char* data, size_t length, std::string& name);

/** What an ack to `vend_result` tells the device (PROTOCOL.md §4). */
enum class AckOutcome : uint8_t {
  Ok,              // `[{"ok":true}]`: stored (or already settled); stop resending
  InvalidPayload,  // `[{"ok":false,"error":"invalid_payload"}]`: can never succeed; stop resending
  Retry,           // `server_error`, or an ack we cannot read: keep the result, resend later
};

/** Reads the payload of an ack (`[{"ok":true}]`). */
AckOutcome parseAckPayload(JsonReader& reader, const char* data, size_t length);

/**
 * Reads a connect error's payload `{"message":"invalid_credentials"}`.
 *
 * @returns false when there is no message string (`message` is then empty)
 */
bool parseConnectError(JsonReader& reader, const char* data, size_t length, std::string& message);

/** A `vend` command's arguments (PROTOCOL.md §3). */
struct VendCommand {
  std::string commandId;
  bool slotValid;  // false when `slot` is missing or not an integer
  int slot;
  bool hasOrderId;
  int64_t orderId;  // for logs only
  /**
   * `expires_at` read: the last moment (server clock, epoch ms) a result
   * may reach the server. Missing (an older server) or unreadable: no
   * deadline, as before `expires_at` existed.
   */
  bool hasExpiresAt;
  int64_t expiresAtMs;
  bool expiresAtUnreadable;  // present but not an ISO 8601 UTC time: logged
  VendCommand()
      : slotValid(false), slot(0), hasOrderId(false), orderId(0), hasExpiresAt(false), expiresAtMs(0),
        expiresAtUnreadable(false) {}
};

/**
 * Reads the argument of a parsed `vend` event.
 *
 * @returns false when `command_id` is missing or not a valid command id
 *   (nothing can be answered then)
 */
bool readVendCommand(const JsonReader& reader, VendCommand& out);

/** A `display_code` event's argument: `{"code":"...","ttl_ms":...}` or a bare string. */
struct DisplayCode {
  std::string code;  // 1–64 characters, no control characters
  bool hasTtl;
  uint32_t ttlMs;  // how long to show it; 0 = until replaced
  DisplayCode() : hasTtl(false), ttlMs(0) {}
};

/** Reads the argument of a parsed `display_code` event; false when it has no usable code. */
bool readDisplayCode(const JsonReader& reader, DisplayCode& out);

}  // namespace vendora
