// The OTA event lines (twin.h, tapWrite): the ota_progress events the
// sketch puts on the wire, read back from the bytes its clients write.
// Only the twin looks here; the sketch and the library are untouched.
#include <ArduinoJson.h>
#include <string.h>

#include <map>
#include <mutex>
#include <string>

#include "twin.h"

namespace {

const char kOtaPrefix[] = "42/devices,[\"ota_progress\",";
// A client frame this large is no socket.io event of ours: the stream is dropped.
const uint64_t kMaxFrame = 64 * 1024;

struct TapStream {
  bool headDone = false;  // the HTTP request before the frames
  bool lost = false;
  std::string pending;
};

std::mutex& tapMutex() {
  static std::mutex mutex;
  return mutex;
}

std::map<const void*, TapStream>& streams() {
  static std::map<const void*, TapStream> all;
  return all;
}

void onText(const std::string& text) {
  if (text.compare(0, sizeof kOtaPrefix - 1, kOtaPrefix) != 0) return;
  JsonDocument doc;
  if (deserializeJson(doc, text.c_str() + strlen("42/devices,")) != DeserializationError::Ok) return;
  JsonObject progress = doc[1];
  std::string line = std::string("OTA ") + (progress["state"] | "?");
  if (progress["percent"].is<int>()) line += " " + std::to_string(progress["percent"].as<int>());
  if (progress["reason"].is<const char*>()) line += std::string(" ") + progress["reason"].as<const char*>();
  twin::event("%s", line.c_str());
}

/** Takes whole frames off the front of `stream.pending`. */
void readFrames(TapStream& stream) {
  for (;;) {
    const std::string& data = stream.pending;
    if (data.size() < 2) return;
    const uint8_t opcode = static_cast<uint8_t>(data[0]) & 0x0f;
    const bool masked = (static_cast<uint8_t>(data[1]) & 0x80) != 0;
    uint64_t length = static_cast<uint8_t>(data[1]) & 0x7f;
    size_t header = 2;
    if (length == 126 || length == 127) {
      const size_t bytes = length == 126 ? 2 : 8;
      if (data.size() < 2 + bytes) return;
      length = 0;
      for (size_t i = 0; i < bytes; ++i) length = (length << 8) | static_cast<uint8_t>(data[2 + i]);
      header += bytes;
    }
    if (length > kMaxFrame) {
      stream.lost = true;
      stream.pending.clear();
      return;
    }
    const size_t maskAt = header;
    if (masked) header += 4;
    if (data.size() < header + length) return;
    std::string payload = data.substr(header, static_cast<size_t>(length));
    if (masked) {
      for (size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<char>(payload[i] ^ data[maskAt + i % 4]);
    }
    stream.pending.erase(0, header + static_cast<size_t>(length));
    if (opcode == 1) onText(payload);
  }
}

}  // namespace

namespace twin {

void tapWrite(const void* client, const uint8_t* data, size_t size) {
  std::lock_guard<std::mutex> lock(tapMutex());
  TapStream& stream = streams()[client];
  if (stream.lost) return;
  stream.pending.append(reinterpret_cast<const char*>(data), size);
  // HTTP requests until the websocket upgrade: socket.io's polling
  // handshake may come first on the same connection; the firmware
  // download's GET is never followed by one.
  while (!stream.headDone) {
    const size_t end = stream.pending.find("\r\n\r\n");
    if (end == std::string::npos) {
      if (stream.pending.size() > kMaxFrame) stream.lost = true;
      return;
    }
    stream.headDone = stream.pending.substr(0, end).find("Upgrade: websocket") != std::string::npos;
    stream.pending.erase(0, end + 4);
  }
  readFrames(stream);
}

void tapReset(const void* client) {
  std::lock_guard<std::mutex> lock(tapMutex());
  streams().erase(client);
}

}  // namespace twin
