#include "discovery.h"

#include "types.h"

namespace vendora {

const char kDiscoveryRequest[] = "VENDORA_DISCOVER";

std::string buildDiscoveryRequest(const std::string& machine) {
  std::string request = kDiscoveryRequest;
  // The server answers a bare request too; a machine code it cannot read
  // would make it ignore the datagram, so such a code is left out.
  if (isVisibleAscii(machine, 64)) {
    request += ' ';
    request += machine;
  }
  return request;
}

std::string ServerTarget::socketIoPath() const { return pathPrefix + "/socket.io/?EIO=4"; }

namespace {

bool isHostChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_';
}

}  // namespace

bool parseServerUrl(const std::string& url, ServerTarget& out) {
  ServerTarget target;
  size_t pos;
  if (url.compare(0, 7, "http://") == 0) {
    pos = 7;
  } else if (url.compare(0, 8, "https://") == 0) {
    pos = 8;
    target.tls = true;
  } else {
    return false;
  }
  if (url.find_first_of("?#@ ", pos) != std::string::npos) return false;

  const size_t pathStart = url.find('/', pos);
  const std::string authority = url.substr(pos, pathStart == std::string::npos ? std::string::npos : pathStart - pos);
  std::string portText;
  if (!authority.empty() && authority[0] == '[') {
    const size_t close = authority.find(']');
    if (close == std::string::npos || close == 1) return false;
    target.host = authority.substr(1, close - 1);
    for (size_t i = 0; i < target.host.size(); ++i) {
      const char c = target.host[i];
      if (!(c == ':' || c == '.' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
        return false;
      }
    }
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') return false;
      portText = authority.substr(close + 2);
      if (portText.empty()) return false;
    }
  } else {
    const size_t colon = authority.find(':');
    target.host = authority.substr(0, colon);
    if (colon != std::string::npos) {
      portText = authority.substr(colon + 1);
      if (portText.empty()) return false;
    }
    if (target.host.empty() || target.host.size() > 253) return false;
    for (size_t i = 0; i < target.host.size(); ++i) {
      if (!isHostChar(target.host[i])) return false;
    }
  }

  if (portText.empty()) {
    target.port = target.tls ? 443 : 80;
  } else {
    if (portText.size() > 5) return false;
    uint32_t port = 0;
    for (size_t i = 0; i < portText.size(); ++i) {
      if (portText[i] < '0' || portText[i] > '9') return false;
      port = port * 10 + static_cast<uint32_t>(portText[i] - '0');
    }
    if (port == 0 || port > 65535) return false;
    target.port = static_cast<uint16_t>(port);
  }

  if (pathStart != std::string::npos) {
    std::string path = url.substr(pathStart);
    while (!path.empty() && path[path.size() - 1] == '/') path.erase(path.size() - 1);
    target.pathPrefix = path;
  }
  out = target;
  return true;
}

const char* discoveryErrorName(DiscoveryError error) {
  switch (error) {
    case DiscoveryError::None:
      return "none";
    case DiscoveryError::TooLarge:
      return "too_large";
    case DiscoveryError::NotJson:
      return "not_json";
    case DiscoveryError::WrongService:
      return "wrong_service";
    case DiscoveryError::BadUrl:
      return "bad_url";
    case DiscoveryError::WrongNamespace:
      return "wrong_namespace";
  }
  return "unknown";
}

DiscoveryError parseDiscoveryReply(JsonReader& reader, const char* data, size_t length, ServerTarget& out) {
  if (length > kMaxDiscoveryReply) return DiscoveryError::TooLarge;
  if (data == nullptr || length < 2 || data[0] != '{' || data[length - 1] != '}') return DiscoveryError::NotJson;
  if (!reader.parse(data, length) || reader.type({}) != JsonType::Object) return DiscoveryError::NotJson;
  std::string service;
  if (!reader.getString({"service"}, service) || service != "vendora") return DiscoveryError::WrongService;
  std::string nsp;
  if (!reader.getString({"namespace"}, nsp) || nsp != "/devices") return DiscoveryError::WrongNamespace;
  std::string url;
  if (!reader.getString({"url"}, url) || !parseServerUrl(url, out)) return DiscoveryError::BadUrl;
  return DiscoveryError::None;
}

DiscoverySchedule::DiscoverySchedule(uint32_t minMs, uint32_t maxMs)
    : backoff_(minMs, maxMs), nextMs_(0), started_(false) {}

bool DiscoverySchedule::due(uint64_t nowMs, uint32_t random) {
  if (started_ && nowMs < nextMs_) return false;
  started_ = true;
  nextMs_ = nowMs + backoff_.next(random);
  return true;
}

void DiscoverySchedule::reset() {
  backoff_.reset();
  started_ = false;
}

}  // namespace vendora
