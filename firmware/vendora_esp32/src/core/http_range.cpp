#include "http_range.h"

#include "types.h"

namespace vendora {

namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool equalsIgnoringCase(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

/** Reads the decimal digits at the start of `text`; false for none or more than `max`. */
bool readDecimal(const std::string& text, size_t& at, uint64_t max, uint64_t& value) {
  const size_t start = at;
  value = 0;
  while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
    value = value * 10 + static_cast<uint64_t>(text[at] - '0');
    if (value > max) return false;
    ++at;
  }
  return at > start;
}

}  // namespace

bool splitHttpUrl(const std::string& url, HttpUrl& out) {
  out = HttpUrl();
  size_t start;
  if (url.compare(0, 7, "http://") == 0) {
    start = 7;
  } else if (url.compare(0, 8, "https://") == 0) {
    out.tls = true;
    start = 8;
  } else {
    return false;
  }
  size_t end = url.find_first_of("/?", start);
  if (end == std::string::npos) end = url.size();
  const std::string authority = url.substr(start, end - start);
  out.target = end == url.size() ? "/" : (url[end] == '?' ? "/" + url.substr(end) : url.substr(end));
  if (authority.empty() || authority.find('@') != std::string::npos || authority[0] == '[') return false;
  const size_t colon = authority.find(':');
  out.host = authority.substr(0, colon);
  out.port = out.tls ? 443 : 80;
  if (colon != std::string::npos) {
    const std::string digits = authority.substr(colon + 1);
    size_t at = 0;
    uint64_t port = 0;
    if (!readDecimal(digits, at, 65535, port) || at != digits.size() || port == 0) return false;
    out.port = static_cast<uint16_t>(port);
  }
  return !out.host.empty();
}

std::string buildRangeRequest(const HttpUrl& url, uint32_t offset) {
  std::string request = "GET " + url.target + " HTTP/1.1\r\nHost: " + url.host;
  if (url.port != (url.tls ? 443 : 80)) {
    request += ':';
    appendUnsigned(request, url.port);
  }
  request += "\r\nUser-Agent: vendora-esp32\r\nRange: bytes=";
  appendUnsigned(request, offset);
  request += "-\r\nConnection: close\r\n\r\n";
  return request;
}

bool httpHeader(const std::string& head, const char* name, std::string& value) {
  const std::string wanted(name);
  size_t line = head.find("\r\n");  // past the status line
  while (line != std::string::npos) {
    const size_t start = line + 2;
    const size_t end = head.find("\r\n", start);
    if (end == std::string::npos || end == start) return false;  // the blank line ends the head
    const size_t colon = head.find(':', start);
    if (colon != std::string::npos && colon < end && equalsIgnoringCase(head.substr(start, colon - start), wanted)) {
      size_t from = colon + 1;
      while (from < end && (head[from] == ' ' || head[from] == '\t')) ++from;
      value = head.substr(from, end - from);
      return true;
    }
    line = end;
  }
  return false;
}

const char* checkRangeResponse(const std::string& head, uint32_t offset, int64_t& bodyLength) {
  bodyLength = -1;
  if ((head.compare(0, 9, "HTTP/1.1 ") != 0 && head.compare(0, 9, "HTTP/1.0 ") != 0)) return "not an HTTP/1.x answer";
  size_t at = 9;
  uint64_t status = 0;
  if (!readDecimal(head, at, 999, status)) return "not an HTTP/1.x answer";
  std::string value;
  if (httpHeader(head, "Transfer-Encoding", value) && !equalsIgnoringCase(value, "identity")) {
    return "chunked answer";
  }
  if (status == 206) {
    // Content-Range: bytes <first>-<last>/<size>
    at = 6;
    uint64_t first = 0;
    if (!httpHeader(head, "Content-Range", value) || value.compare(0, 6, "bytes ") != 0 ||
        !readDecimal(value, at, UINT32_MAX, first) || first != offset) {
      return "206 from another byte";
    }
  } else if (!(status == 200 && offset == 0)) {
    return "HTTP status refused";
  }
  if (httpHeader(head, "Content-Length", value)) {
    at = 0;
    uint64_t length = 0;
    if (!readDecimal(value, at, UINT32_MAX, length) || at != value.size()) return "bad Content-Length";
    bodyLength = static_cast<int64_t>(length);
  }
  return nullptr;
}

}  // namespace vendora
