// LAN discovery request and reply (PROTOCOL.md §12), and the back-off
// schedule shared by discovery, Wi-Fi and socket.io.
#include <doctest/doctest.h>

#include <cstring>
#include <string>

#include "../vendora_esp32/src/core/backoff.h"
#include "../vendora_esp32/src/core/discovery.h"
#include "json_nlohmann.h"

using namespace vendora;
using vendora_test::NlohmannJsonReader;

namespace {
DiscoveryError parseReply(const std::string& reply, ServerTarget& target) {
  NlohmannJsonReader reader;
  return parseDiscoveryReply(reader, reply.data(), reply.size(), target);
}
}  // namespace

TEST_CASE("the request is VENDORA_DISCOVER and the machine code, plain ASCII, no newline") {
  CHECK(buildDiscoveryRequest("vm-0042") == "VENDORA_DISCOVER vm-0042");
  CHECK(buildDiscoveryRequest("") == "VENDORA_DISCOVER");
  CHECK(buildDiscoveryRequest("has space") == "VENDORA_DISCOVER");
  CHECK(buildDiscoveryRequest(std::string(65, 'm')) == "VENDORA_DISCOVER");
  CHECK(buildDiscoveryRequest(std::string(64, 'm')).size() == 16 + 1 + 64);
  CHECK(kDiscoveryPort == 12346);
}

TEST_CASE("the agreed reply gives host, port and namespace") {
  ServerTarget target;
  REQUIRE(parseReply("{\"service\":\"vendora\",\"url\":\"http://192.168.1.20:3333\",\"namespace\":\"/devices\"}", target) ==
          DiscoveryError::None);
  CHECK(target.host == "192.168.1.20");
  CHECK(target.port == 3333);
  CHECK_FALSE(target.tls);
  CHECK(target.socketIoPath() == "/socket.io/?EIO=4");
}

TEST_CASE("replies: key order and extra keys do not matter; https, default ports, prefixes, IPv6") {
  ServerTarget target;
  REQUIRE(parseReply("{ \"namespace\": \"/devices\", \"version\": 2, \"url\": \"https://vendora.example\", "
                     "\"service\": \"vendora\" }",
                     target) == DiscoveryError::None);
  CHECK(target.host == "vendora.example");
  CHECK(target.port == 443);
  CHECK(target.tls);

  REQUIRE(parseReply("{\"service\":\"vendora\",\"url\":\"http://kiosk-server/vendora/\",\"namespace\":\"/devices\"}",
                     target) == DiscoveryError::None);
  CHECK(target.port == 80);
  CHECK(target.pathPrefix == "/vendora");
  CHECK(target.socketIoPath() == "/vendora/socket.io/?EIO=4");

  REQUIRE(parseReply("{\"service\":\"vendora\",\"url\":\"http://[fe80::1]:3333\",\"namespace\":\"/devices\"}", target) ==
          DiscoveryError::None);
  CHECK(target.host == "fe80::1");
  CHECK(target.port == 3333);
}

TEST_CASE("replies that are not ours, or unusable, are refused with a reason") {
  ServerTarget target;
  CHECK(parseReply("{\"service\":\"other\",\"url\":\"http://a:1\",\"namespace\":\"/devices\"}", target) ==
        DiscoveryError::WrongService);
  CHECK(parseReply("{\"url\":\"http://a:1\",\"namespace\":\"/devices\"}", target) == DiscoveryError::WrongService);
  CHECK(parseReply("{\"service\":\"vendora\",\"url\":\"http://a:1\",\"namespace\":\"/\"}", target) ==
        DiscoveryError::WrongNamespace);
  CHECK(parseReply("{\"service\":\"vendora\",\"url\":\"http://a:1\"}", target) == DiscoveryError::WrongNamespace);
  CHECK(parseReply("{\"service\":\"vendora\",\"namespace\":\"/devices\"}", target) == DiscoveryError::BadUrl);
  CHECK(parseReply("{\"service\":\"vendora\",\"url\":42,\"namespace\":\"/devices\"}", target) == DiscoveryError::BadUrl);
  CHECK(parseReply("VENDORA_DISCOVER vm-0042", target) == DiscoveryError::NotJson);
  CHECK(parseReply("{\"service\":\"vendora\"", target) == DiscoveryError::NotJson);
  CHECK(parseReply("[\"vendora\"]", target) == DiscoveryError::NotJson);
  CHECK(parseReply("{\"service\":\"vendora\"}}", target) == DiscoveryError::NotJson);
  CHECK(parseReply("", target) == DiscoveryError::NotJson);
  CHECK(parseReply("{\"service\":\"vendora\",\"pad\":\"" + std::string(600, 'p') + "\"}", target) ==
        DiscoveryError::TooLarge);
  CHECK(std::string(discoveryErrorName(DiscoveryError::WrongNamespace)) == "wrong_namespace");
}

TEST_CASE("server URLs: only http and https with a sane host and port") {
  ServerTarget target;
  const char* bad[] = {"ftp://a:21",      "ws://a:3333",       "http://",          "http://:3333",
                       "http://a:0",      "http://a:65536",    "http://a:33x3",    "http://a:",
                       "http://a:123456", "http://a b:1",      "http://a:1?x=1",   "http://a:1#x",
                       "http://u@a:1",    "http://[zz::1]:1",  "http://[::1",      "http://[::1]x",
                       "HTTP://a:1",      "http://a_b^c:1",    "192.168.1.20:3333"};
  for (const char* url : bad) {
    CAPTURE(url);
    CHECK_FALSE(parseServerUrl(url, target));
  }
  REQUIRE(parseServerUrl("http://a:65535", target));
  CHECK(target.port == 65535);
  REQUIRE(parseServerUrl("https://a.b-c.example:8443/", target));
  CHECK(target.pathPrefix.empty());
  CHECK(target.tls);
}

TEST_CASE("discovery requests go out at once, then back off to 30 s, and start over after a reply") {
  DiscoverySchedule schedule;
  CHECK(schedule.due(0, 0));
  CHECK_FALSE(schedule.due(999, 0));
  CHECK(schedule.due(1000, 0));
  CHECK_FALSE(schedule.due(2999, 0));
  CHECK(schedule.due(3000, 0));
  CHECK(schedule.due(7000, 0));
  uint64_t now = 7000;
  for (int i = 0; i < 10; ++i) {
    now += 30000;
    CHECK(schedule.due(now, 0));
  }
  CHECK_FALSE(schedule.due(now + 29999, 0));
  schedule.reset();
  CHECK(schedule.due(now + 1, 0));
}

TEST_CASE("back-off doubles up to its cap and jitters down by at most a fifth") {
  Backoff backoff(1000, 30000);
  CHECK(backoff.next(0) == 1000);
  CHECK(backoff.next(0) == 2000);
  CHECK(backoff.next(0) == 4000);
  CHECK(backoff.next(0) == 8000);
  CHECK(backoff.next(0) == 16000);
  CHECK(backoff.next(0) == 30000);
  CHECK(backoff.next(0) == 30000);
  CHECK(backoff.failures() == 7);
  CHECK(backoff.next(6000) == 24000);  // the largest jitter: 30000 - 30000/5
  CHECK(backoff.next(6001) == 30000);  // 6001 % 6001 == 0
  backoff.reset();
  CHECK(backoff.next(0xffffffffu) >= 800);
  for (int i = 0; i < 100; ++i) backoff.next(0);
  CHECK(backoff.next(0) == 30000);
}
