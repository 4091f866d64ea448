// JsonReader on the host, with nlohmann-json (Debian nlohmann-json3-dev).
// The document sits behind a pointer so that only json_nlohmann.cpp pays
// for compiling nlohmann's header.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "../vendora_esp32/src/core/json.h"

namespace vendora_test {

class NlohmannJsonReader : public vendora::JsonReader {
 public:
  NlohmannJsonReader();
  ~NlohmannJsonReader() override;
  bool parse(const char* text, size_t length) override;
  vendora::JsonType type(vendora::JsonPath path) const override;
  bool getString(vendora::JsonPath path, std::string& out) const override;
  bool getInteger(vendora::JsonPath path, int64_t& out) const override;
  bool getBool(vendora::JsonPath path, bool& out) const override;
  size_t size(vendora::JsonPath path) const override;

 private:
  struct Document;
  std::unique_ptr<Document> doc_;
};

/** One frame of a recorded session in firmware/protocol/ (a .json file). */
struct VectorFrame {
  std::string dir;        // "server" or "device"
  std::string frame;      // with <placeholders>
  std::string transport;  // "polling" for a polling handshake's open packet, else ""
  std::string trigger;    // something outside the wire that causes the frame, or ""
};

/** A recorded session (format: firmware/protocol/README.md). */
struct ProtocolVector {
  std::string connect;                    // "polling", "websocket", or "" for serial/udp files
  std::vector<std::string> placeholders;  // the names the file declares
  std::vector<VectorFrame> frames;
};

/**
 * Whether the event frame `actual` (`42/devices,["status",{...}]`) starts
 * its object with every member of `expected`'s, in the same order and with
 * the same values; more members may follow (a newer firmware reports more
 * telemetry than an older vector lists).
 */
bool statusExtends(const std::string& actual, const std::string& expected);

/**
 * Reads a vector file.
 *
 * @returns false with `error` set when the file cannot be read or parsed
 */
bool readProtocolVector(const std::string& path, ProtocolVector& out, std::string& error);

}  // namespace vendora_test
