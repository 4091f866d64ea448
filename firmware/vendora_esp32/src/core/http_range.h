// The HTTP/1.1 of the firmware download (PROTOCOL.md §13.1, §14): the
// image URL's parts, the `GET` with `Range: bytes=<offset>-`, and the
// check of the answer's head. Portable: the board writes the request and
// reads the head over its own client (esp32_ota.h).
#pragma once

#include <stdint.h>

#include <string>

namespace vendora {

/** An `http://` or `https://` URL taken apart. */
struct HttpUrl {
  bool tls;
  std::string host;
  uint16_t port;       // 80 or 443 unless the URL names one
  std::string target;  // path and query, at least "/"
  HttpUrl() : tls(false), port(0) {}
};

/**
 * Splits `http[s]://host[:port][/path][?query]`.
 *
 * @returns false for another scheme, an empty host, user info (`user@`),
 *   an IPv6 literal (`[...]`), or a port that is not 1–65535
 */
bool splitHttpUrl(const std::string& url, HttpUrl& out);

/**
 * The request for the image's bytes from `offset` on:
 * `GET <target> HTTP/1.1`, `Host` (with the port when not the scheme's
 * default), `Range: bytes=<offset>-`, `Connection: close`, blank line.
 */
std::string buildRangeRequest(const HttpUrl& url, uint32_t offset);

/**
 * The value of header `name` (case-insensitive) in a response head
 * (status line, headers, blank line, each ended by CRLF), leading spaces
 * dropped.
 *
 * @returns false when the head has no such header
 */
bool httpHeader(const std::string& head, const char* name, std::string& value);

/**
 * Checks the head of the answer to buildRangeRequest(offset): `206` whose
 * `Content-Range` starts at `offset`, or `200` when `offset` is 0 (a
 * server without ranges, for a download from the start). A chunked body
 * is refused: the server sends `Content-Length`.
 *
 * @param bodyLength set to `Content-Length`, or -1 when there is none
 * @returns nullptr when the body can be taken, else why not (for the log):
 *   `not an HTTP/1.x answer`, `chunked answer`, `206 from another byte`
 *   (or without a readable Content-Range), `HTTP status refused` (any
 *   other status, or 200 for offset > 0), `bad Content-Length`
 */
const char* checkRangeResponse(const std::string& head, uint32_t offset, int64_t& bodyLength);

}  // namespace vendora
