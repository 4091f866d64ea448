// The firmware download's HTTP (http_range.h): the URL's parts, the Range
// request, and which answers the device takes (PROTOCOL.md §13.1: `206`
// from the asked offset, `200` only from the start).
#include <doctest/doctest.h>

#include <string>

#include "../vendora_esp32/src/core/http_range.h"

using namespace vendora;

namespace {

std::string head(const std::string& statusLine, const std::string& headers) {
  return statusLine + "\r\n" + headers + "\r\n";
}

}  // namespace

TEST_CASE("splitHttpUrl takes the server's signed download URL apart") {
  HttpUrl url;
  REQUIRE(splitHttpUrl("http://127.0.0.1:3333/firmware/3/image?machine=7&signature=abc", url));
  CHECK_FALSE(url.tls);
  CHECK(url.host == "127.0.0.1");
  CHECK(url.port == 3333);
  CHECK(url.target == "/firmware/3/image?machine=7&signature=abc");

  REQUIRE(splitHttpUrl("https://vendora.example/firmware/3/image", url));
  CHECK(url.tls);
  CHECK(url.host == "vendora.example");
  CHECK(url.port == 443);

  REQUIRE(splitHttpUrl("http://vendora.example", url));
  CHECK(url.port == 80);
  CHECK(url.target == "/");
  REQUIRE(splitHttpUrl("http://vendora.example?x=1", url));
  CHECK(url.host == "vendora.example");
  CHECK(url.target == "/?x=1");
}

TEST_CASE("splitHttpUrl refuses what the download cannot use") {
  HttpUrl url;
  CHECK_FALSE(splitHttpUrl("ftp://vendora.example/image", url));
  CHECK_FALSE(splitHttpUrl("http:///image", url));
  CHECK_FALSE(splitHttpUrl("http://user:secret@vendora.example/image", url));
  CHECK_FALSE(splitHttpUrl("http://[::1]:3333/image", url));
  CHECK_FALSE(splitHttpUrl("http://vendora.example:0/image", url));
  CHECK_FALSE(splitHttpUrl("http://vendora.example:65536/image", url));
  CHECK_FALSE(splitHttpUrl("http://vendora.example:80x/image", url));
  CHECK_FALSE(splitHttpUrl("http://vendora.example:/image", url));
}

TEST_CASE("buildRangeRequest asks for the bytes from the offset on, the port in Host only when not the default") {
  HttpUrl url;
  REQUIRE(splitHttpUrl("http://127.0.0.1:3333/firmware/3/image?machine=7", url));
  CHECK(buildRangeRequest(url, 20000) ==
        "GET /firmware/3/image?machine=7 HTTP/1.1\r\nHost: 127.0.0.1:3333\r\nUser-Agent: vendora-esp32\r\n"
        "Range: bytes=20000-\r\nConnection: close\r\n\r\n");
  REQUIRE(splitHttpUrl("https://vendora.example/i", url));
  CHECK(buildRangeRequest(url, 0) ==
        "GET /i HTTP/1.1\r\nHost: vendora.example\r\nUser-Agent: vendora-esp32\r\nRange: bytes=0-\r\n"
        "Connection: close\r\n\r\n");
}

TEST_CASE("httpHeader finds a header whatever its case, and stops at the blank line") {
  const std::string answer = head("HTTP/1.1 206 Partial Content", "content-range:  bytes 5-9/10\r\nETag: \"x\"\r\n");
  std::string value;
  REQUIRE(httpHeader(answer, "Content-Range", value));
  CHECK(value == "bytes 5-9/10");
  CHECK_FALSE(httpHeader(answer, "Content-Length", value));
  // A name in the body or the status line is no header.
  CHECK_FALSE(httpHeader(answer + "Content-Length: 5\r\n", "Content-Length", value));
  CHECK_FALSE(httpHeader("HTTP/1.1 200 Content-Length: 3\r\n\r\n", "Content-Length", value));
}

TEST_CASE("checkRangeResponse takes 206 from the asked byte, and 200 only from the start") {
  int64_t length = 0;
  CHECK(checkRangeResponse(head("HTTP/1.1 206 Partial Content",
                                "Content-Range: bytes 20000-65535/65536\r\nContent-Length: 45536\r\n"),
                           20000, length) == nullptr);
  CHECK(length == 45536);
  CHECK(checkRangeResponse(head("HTTP/1.1 200 OK", "Content-Length: 65536\r\n"), 0, length) == nullptr);
  CHECK(length == 65536);
  CHECK(checkRangeResponse(head("HTTP/1.0 206 Partial Content", "Content-Range: bytes 0-9/10\r\n"), 0, length) ==
        nullptr);
  CHECK(length == -1);
}

TEST_CASE("checkRangeResponse refuses an answer that would put wrong bytes at the offset") {
  int64_t length = 0;
  // A server that ignores Range sends the image from byte 0.
  CHECK(std::string(checkRangeResponse(head("HTTP/1.1 200 OK", "Content-Length: 65536\r\n"), 20000, length)) ==
        "HTTP status refused");
  CHECK(std::string(checkRangeResponse(head("HTTP/1.1 206 Partial Content", "Content-Range: bytes 0-9/10\r\n"), 5,
                                       length)) == "206 from another byte");
  CHECK(std::string(checkRangeResponse(head("HTTP/1.1 206 Partial Content", ""), 5, length)) ==
        "206 from another byte");
  CHECK(std::string(checkRangeResponse(head("HTTP/1.1 206 Partial Content", "Content-Range: items 5-9/10\r\n"), 5,
                                       length)) == "206 from another byte");
  CHECK(std::string(checkRangeResponse(head("HTTP/1.1 403 Forbidden", "Content-Length: 10\r\n"), 0, length)) ==
        "HTTP status refused");
  CHECK(std::string(checkRangeResponse(head("HTTP/1.1 416 Range Not Satisfiable", ""), 70000, length)) ==
        "HTTP status refused");
  CHECK(std::string(checkRangeResponse(head("HTTP/1.1 200 OK", "Transfer-Encoding: chunked\r\n"), 0, length)) ==
        "chunked answer");
  CHECK(std::string(checkRangeResponse(head("HTTP/1.1 200 OK", "Content-Length: 12x\r\n"), 0, length)) ==
        "bad Content-Length");
  CHECK(std::string(checkRangeResponse("SSH-2.0-OpenSSH\r\n\r\n", 0, length)) == "not an HTTP/1.x answer");
  CHECK(std::string(checkRangeResponse("HTTP/2 200\r\n\r\n", 0, length)) == "not an HTTP/1.x answer");
}
