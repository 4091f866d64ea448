// Firmware updates over the air (PROTOCOL.md §13): SHA-256, the `ota`
// checks, the download with resume, verification, reboot, confirmation and
// rollback, and vends refused while an update runs.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "../vendora_esp32/src/core/ota.h"
#include "../vendora_esp32/src/core/sha256.h"
#include "fakes.h"

using namespace vendora;
using namespace vendora_test;

namespace {

std::string sha256Hex(const std::string& data) {
  Sha256 sha;
  sha.update(reinterpret_cast<const uint8_t*>(data.data()), data.size());
  uint8_t digest[Sha256::kDigestSize];
  sha.finish(digest);
  return toHex(digest, sizeof digest);
}

std::string progress(const std::string& version, const std::string& state, int percent = -1,
                     const std::string& reason = "") {
  std::string frame = "42/devices,[\"ota_progress\",{\"version\":\"" + version + "\",\"state\":\"" + state + "\"";
  if (percent >= 0) frame += ",\"percent\":" + std::to_string(percent);
  if (!reason.empty()) frame += ",\"reason\":\"" + reason + "\"";
  return frame + "}]";
}

/** The ota_progress frames sent since the last takeFrames(). */
std::vector<std::string> progressFrames(Rig& rig) {
  std::vector<std::string> out;
  for (const std::string& frame : rig.takeFrames()) {
    if (frame.find("\"ota_progress\"") != std::string::npos) out.push_back(frame);
  }
  return out;
}

/** downloading 0, 10, ... 100 for `version`. */
std::vector<std::string> downloadingAll(const std::string& version) {
  std::vector<std::string> out;
  for (int p = 0; p <= 100; p += 10) out.push_back(progress(version, "downloading", p));
  return out;
}

bool logged(const Rig& rig, const std::string& text) {
  for (const std::string& line : rig.console.lines) {
    if (line.find(text) != std::string::npos) return true;
  }
  return false;
}

/** A rig with `release` on the image server, connected and ready. */
void readyWith(Rig& rig, const Release& release) {
  rig.download.image = release.image;
  rig.hardware.scripts[1].dropAfterMs = 800;
  rig.boot();
  rig.connectReady();
}

}  // namespace

TEST_CASE("sha256: the FIPS 180-4 examples, and chunked input equals OpenSSL's digest") {
  CHECK(sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(sha256Hex(std::string(1000000, 'a')) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  const Release release(20000, 7);
  for (size_t step : {1u, 55u, 56u, 63u, 64u, 65u, 1000u}) {
    Sha256 sha;
    for (size_t at = 0; at < release.image.size(); at += step) {
      const size_t n = std::min(step, release.image.size() - at);
      sha.update(reinterpret_cast<const uint8_t*>(release.image.data() + at), n);
    }
    uint8_t digest[Sha256::kDigestSize];
    sha.finish(digest);
    INFO("step " << step);
    CHECK(toHex(digest, sizeof digest) == release.sha256);
  }
}

TEST_CASE("ota request: base64 and hex decoding") {
  std::vector<uint8_t> bytes;
  CHECK(decodeBase64("TWFu", bytes));
  CHECK(std::string(bytes.begin(), bytes.end()) == "Man");
  CHECK(decodeBase64("TWE=", bytes));
  CHECK(std::string(bytes.begin(), bytes.end()) == "Ma");
  CHECK(decodeBase64("TQ==", bytes));
  CHECK(std::string(bytes.begin(), bytes.end()) == "M");
  CHECK_FALSE(decodeBase64("", bytes));
  CHECK_FALSE(decodeBase64("TWF", bytes));     // not a multiple of 4
  CHECK_FALSE(decodeBase64("TW=u", bytes));    // padding in the middle
  CHECK_FALSE(decodeBase64("T===", bytes));    // too much padding
  CHECK_FALSE(decodeBase64("TQ==TWFu", bytes));  // padding before the end
  CHECK_FALSE(decodeBase64("TW u", bytes));
  uint8_t digest[32];
  CHECK(decodeSha256Hex(std::string(64, 'a'), digest));
  CHECK(digest[0] == 0xaa);
  CHECK(decodeSha256Hex("E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855", digest));
  CHECK(digest[31] == 0x55);
  CHECK_FALSE(decodeSha256Hex(std::string(63, 'a'), digest));
  CHECK_FALSE(decodeSha256Hex(std::string(65, 'a'), digest));
  CHECK_FALSE(decodeSha256Hex(std::string(63, 'a') + "g", digest));
}

TEST_CASE("ota request: every malformed field is refused with its reason, naming the version") {
  const Release release;
  struct Case {
    std::string json;
    const char* reason;
  };
  const std::string url = "\"url\":\"https://x.example/f\"";
  const std::string sha = "\"sha256\":\"" + release.sha256 + "\"";
  const std::string sig = "\"signature\":\"" + release.signature + "\"";
  const std::string ver = "\"version\":\"v2\"";
  const std::vector<Case> cases = {
      {"{" + url + ",\"size\":10," + sha + "," + sig + "}", "missing_field"},
      {"{" + ver + ",\"size\":10," + sha + "," + sig + "}", "missing_field"},
      {"{" + ver + "," + url + "," + sha + "," + sig + "}", "missing_field"},
      {"{" + ver + "," + url + ",\"size\":10," + sig + "}", "missing_field"},
      {"{" + ver + "," + url + ",\"size\":10," + sha + "}", "missing_field"},
      {"{\"version\":\"\"," + url + ",\"size\":10," + sha + "," + sig + "}", "invalid_version"},
      {"{\"version\":7," + url + ",\"size\":10," + sha + "," + sig + "}", "invalid_version"},
      {"{" + ver + ",\"url\":\"ftp://x/f\",\"size\":10," + sha + "," + sig + "}", "invalid_url"},
      {"{" + ver + ",\"url\":\"https://x/a b\",\"size\":10," + sha + "," + sig + "}", "invalid_url"},
      {"{" + ver + "," + url + ",\"size\":0," + sha + "," + sig + "}", "invalid_size"},
      {"{" + ver + "," + url + ",\"size\":-5," + sha + "," + sig + "}", "invalid_size"},
      {"{" + ver + "," + url + ",\"size\":\"10\"," + sha + "," + sig + "}", "invalid_size"},
      {"{" + ver + "," + url + ",\"size\":4294967296," + sha + "," + sig + "}", "invalid_size"},
      {"{" + ver + "," + url + ",\"size\":10,\"sha256\":\"" + std::string(63, 'a') + "\"," + sig + "}",
       "invalid_sha256"},
      {"{" + ver + "," + url + ",\"size\":10,\"sha256\":\"" + std::string(63, 'a') + "x\"," + sig + "}",
       "invalid_sha256"},
      {"{" + ver + "," + url + ",\"size\":10," + sha + ",\"signature\":\"not base64!\"}", "invalid_signature"},
      {"{" + ver + "," + url + ",\"size\":10," + sha + ",\"signature\":\"TWFu\"}", "invalid_signature"},
  };
  NlohmannJsonReader reader;
  for (const Case& c : cases) {
    INFO(c.json);
    const std::string payload = "[\"ota\"," + c.json + "]";
    REQUIRE(reader.parse(payload.data(), payload.size()));
    OtaRequest request;
    const char* reason = readOtaRequest(reader, request);
    REQUIRE(reason != nullptr);
    CHECK(std::string(reason) == c.reason);
    if (c.json.find(ver) != std::string::npos) CHECK(request.version == "v2");
  }
  const std::string good = "[\"ota\",{" + ver + "," + url + ",\"size\":10," + sha + "," + sig + "}]";
  REQUIRE(reader.parse(good.data(), good.size()));
  OtaRequest request;
  CHECK(readOtaRequest(reader, request) == nullptr);
  CHECK(request.size == 10);
  CHECK(request.signature.size() >= 8);
}

TEST_CASE("ota: download, verify, reboot, and the new image is confirmed once it rejoins the server") {
  Rig rig;
  const Release release;
  readyWith(rig, release);
  rig.sendOta(release);
  CHECK(rig.device->vendRefusal() != nullptr);
  rig.advance(100);
  std::vector<std::string> expected = downloadingAll(release.version);
  expected.push_back(progress(release.version, "verifying"));
  expected.push_back(progress(release.version, "rebooting"));
  CHECK(progressFrames(rig) == expected);
  CHECK(rig.download.requests() == std::vector<std::string>{"GET " + rig.download.url + " Range: bytes=0-"});
  CHECK(rig.slot.image == release.image);
  CHECK_FALSE(rig.slot.outOfOrder);
  CHECK(rig.slot.finishes == 1);
  CHECK(rig.verifier.calls == 1);
  CHECK(rig.otaRecord.blob == "vendora-ota 1\nrebooting " + release.version + "\n");
  // The restart waits rebootDelayMs, so `rebooting` can leave first.
  CHECK(rig.restarter.restarts == 0);
  rig.advance(1500);
  CHECK(rig.restarter.restarts == 1);

  // The new image boots, pending, and is kept at its first hello.
  rig.config.firmware = release.version;
  rig.reboot();
  CHECK(rig.ota->state() == OtaState::Pending);
  CHECK(rig.slot.confirms == 0);
  rig.networkUp();
  rig.open();
  rig.server("40/devices,{\"sid\":\"n2\"}");
  rig.transport.frames.clear();
  rig.hello();
  CHECK(rig.slot.confirms == 1);
  CHECK(rig.ota->state() == OtaState::Confirmed);
  const std::vector<std::string> frames = rig.takeFrames();
  REQUIRE(frames.size() == 2);
  CHECK(frames[0].find("\"firmware\":\"" + release.version + "\"") != std::string::npos);
  CHECK(frames[1] == progress(release.version, "confirmed"));
  CHECK(rig.otaRecord.blob == "vendora-ota 1\n");
  // Confirmed once: a later hello changes nothing.
  rig.wire->closed();
  rig.advance(2000);
  rig.open();
  rig.server("40/devices,{\"sid\":\"n3\"}");
  rig.hello();
  CHECK(rig.slot.confirms == 1);
  CHECK(progressFrames(rig).empty());
}

TEST_CASE("ota: acks held in RAM reach flash before the restart, so no result is sent again by the new image") {
  Rig rig;
  const Release release;
  readyWith(rig, release);
  rig.vend("c-1", 1);
  rig.advance(4000);
  REQUIRE(rig.framesWith("vend_result").size() == 1);
  rig.server("43/devices," + std::to_string(rig.device->nextAckId() - 1) + "[{\"ok\":true}]");
  rig.sendOta(release);
  rig.advance(2000);
  REQUIRE(rig.restarter.restarts == 1);
  rig.config.firmware = release.version;
  rig.reboot();
  rig.connectReadyKeepFrames();
  rig.advance(12000);
  CHECK(rig.framesWith("vend_result").empty());
  CHECK(rig.device->store().pendingCount() == 0);
}

TEST_CASE("ota: a dropped connection resumes with Range from the last byte written, with back-off") {
  Rig rig;
  const Release release;
  rig.download.dropAt = {4608, 7000};
  readyWith(rig, release);
  const uint64_t start = rig.clock.now;
  rig.sendOta(release);
  rig.advance(5000);
  CHECK(rig.download.opens == std::vector<uint32_t>{0, 4608, 7000});
  CHECK(rig.download.requests()[1] == "GET " + rig.download.url + " Range: bytes=4608-");
  // 1 s after the first drop; the second drop came after bytes, so the
  // back-off starts again at 1 s.
  CHECK(rig.download.openTimes[1] - start >= 1000);
  CHECK(rig.download.openTimes[1] - start < 1100);
  CHECK(rig.download.openTimes[2] - rig.download.openTimes[1] >= 1000);
  CHECK(rig.download.openTimes[2] - rig.download.openTimes[1] < 1100);
  CHECK(rig.slot.image == release.image);
  CHECK_FALSE(rig.slot.outOfOrder);
  std::vector<std::string> expected = downloadingAll(release.version);
  expected.push_back(progress(release.version, "verifying"));
  expected.push_back(progress(release.version, "rebooting"));
  CHECK(progressFrames(rig) == expected);
  CHECK(logged(rig, "resuming at byte 4608"));
}

TEST_CASE("ota: only attempts that bring no byte count toward maxRetries; a flaky link still finishes") {
  Rig rig;
  const Release release;
  rig.download.dropAt = {1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000};  // 9 drops, maxRetries 6
  readyWith(rig, release);
  rig.sendOta(release);
  rig.advance(30000);
  CHECK(rig.download.opens.size() == 10);
  CHECK(rig.download.opens.back() == 9000);
  CHECK(rig.slot.image == release.image);
  CHECK(rig.restarter.restarts == 1);
}

TEST_CASE("ota: connections that bring nothing back off 1 s, 2 s, 4 s ... and fail after maxRetries") {
  Rig rig;
  const Release release;
  rig.download.refuseOpens = 100;
  readyWith(rig, release);
  rig.sendOta(release);
  rig.advance(120000, 10);
  REQUIRE(rig.download.openTimes.size() == 6);
  for (size_t i = 1; i < 6; ++i) {
    const uint64_t gap = rig.download.openTimes[i] - rig.download.openTimes[i - 1];
    INFO("attempt " << i);
    CHECK(gap >= (1000u << (i - 1)));
    CHECK(gap < (1000u << (i - 1)) + 20);
  }
  const std::vector<std::string> frames = progressFrames(rig);
  REQUIRE(frames.size() == 2);
  CHECK(frames[1] == progress(release.version, "failed", -1, "download_failed"));
  CHECK(rig.slot.aborts == 1);
  CHECK(rig.restarter.restarts == 0);
  CHECK(rig.device->vendRefusal() == nullptr);
}

TEST_CASE("ota: the back-off doubles up to retryMaxMs") {
  Rig rig;
  rig.otaTimings.maxRetries = 9;
  rig.otaTimings.retryMaxMs = 5000;
  const Release release;
  rig.download.refuseOpens = 100;
  readyWith(rig, release);
  rig.sendOta(release);
  rig.advance(120000, 10);
  REQUIRE(rig.download.openTimes.size() == 9);
  CHECK(rig.download.openTimes[4] - rig.download.openTimes[3] >= 5000);  // 8 s capped at 5 s
  CHECK(rig.download.openTimes[4] - rig.download.openTimes[3] < 5020);
  CHECK(rig.download.openTimes[8] - rig.download.openTimes[7] < 5020);
}

TEST_CASE("ota: a connection that goes silent counts as dropped after stallMs") {
  Rig rig;
  const Release release;
  readyWith(rig, release);
  rig.download.silent = true;
  rig.sendOta(release);
  rig.advance(19000);
  CHECK(rig.download.opens.size() == 1);
  rig.advance(2500);  // stalled at 20 s, reopened 1 s later
  REQUIRE(rig.download.opens.size() == 2);
  CHECK(rig.download.opens[1] == 0);
  rig.download.silent = false;
  rig.advance(3000);
  CHECK(rig.download.opens.size() == 2);
  CHECK(rig.slot.image == release.image);
}

TEST_CASE("ota: an image shorter than announced is never switched to") {
  Rig rig;
  Release release;
  readyWith(rig, release);
  rig.download.image = release.image.substr(0, 9000);  // the server has fewer bytes
  rig.sendOta(release);
  rig.advance(120000, 10);
  const std::vector<std::string> frames = progressFrames(rig);
  REQUIRE(!frames.empty());
  CHECK(frames.back() == progress(release.version, "failed", -1, "download_failed"));
  CHECK(rig.download.opens.back() == 9000);
  CHECK(rig.slot.finishes == 0);
  CHECK(rig.verifier.calls == 0);
}

TEST_CASE("ota: an image longer than announced fails size_mismatch") {
  Rig rig;
  Release release;
  readyWith(rig, release);
  rig.download.image = release.image + std::string(100, 'x');
  Release shorter = release;
  shorter.image = release.image.substr(0, 10000);  // announces 10000 bytes; the server sends 10340
  rig.sendOta(shorter);
  rig.advance(1000);
  const std::vector<std::string> frames = progressFrames(rig);
  REQUIRE(!frames.empty());
  CHECK(frames.back() == progress(release.version, "failed", -1, "size_mismatch"));
  CHECK(rig.slot.image.size() < 10000);  // nothing past the announced size reaches flash
  CHECK(rig.slot.finishes == 0);
  CHECK(rig.slot.aborts == 1);
}

TEST_CASE("ota: a wrong SHA-256 fails sha256_mismatch; the signature is not even checked") {
  Rig rig;
  const Release release;
  readyWith(rig, release);
  rig.server(rig.otaFrame(release, std::string(64, '0')));
  rig.advance(1000);
  std::vector<std::string> expected = downloadingAll(release.version);
  expected.push_back(progress(release.version, "verifying"));
  expected.push_back(progress(release.version, "failed", -1, "sha256_mismatch"));
  CHECK(progressFrames(rig) == expected);
  CHECK(rig.verifier.calls == 0);
  CHECK(rig.slot.finishes == 0);
  CHECK(rig.slot.aborts == 1);
  CHECK(rig.otaRecord.hasBlob == false);
  rig.advance(5000);
  CHECK(rig.restarter.restarts == 0);
}

TEST_CASE("ota: a signature by another key, or over another image, fails bad_signature") {
  const Release release;
  const Release other(10240, 2);
  const ReleaseKey strangerKey;
  for (const std::string& signature : {other.signature, strangerKey.signBase64(release.image)}) {
    Rig rig;
    readyWith(rig, release);
    rig.server(rig.otaFrame(release, "", signature));
    rig.advance(1000);
    const std::vector<std::string> frames = progressFrames(rig);
    REQUIRE(frames.size() >= 2);
    CHECK(frames[frames.size() - 2] == progress(release.version, "verifying"));
    CHECK(frames.back() == progress(release.version, "failed", -1, "bad_signature"));
    CHECK(rig.verifier.calls == 1);
    CHECK(rig.slot.finishes == 0);
    CHECK(rig.restarter.restarts == 0);
  }
}

TEST_CASE("ota: a flash write failure fails flash_error") {
  Rig rig;
  const Release release;
  readyWith(rig, release);
  rig.slot.failWrite = true;
  rig.sendOta(release);
  rig.advance(100);
  const std::vector<std::string> frames = progressFrames(rig);
  REQUIRE(frames.size() == 2);
  CHECK(frames[1] == progress(release.version, "failed", -1, "flash_error"));
  Rig second;
  readyWith(second, release);
  second.slot.failBegin = true;
  second.sendOta(release);
  CHECK(progressFrames(second) == std::vector<std::string>{progress(release.version, "failed", -1, "flash_error")});
}

TEST_CASE("ota: refused while a vend runs or waits, and never while one is queued") {
  Rig rig;
  const Release release;
  readyWith(rig, release);
  rig.vend("c-1", 1);
  REQUIRE(rig.device->vending());
  rig.sendOta(release);
  CHECK(progressFrames(rig) == std::vector<std::string>{progress(release.version, "failed", -1, "vend_in_progress")});
  CHECK(rig.download.opens.empty());
  CHECK(rig.slot.begins == 0);
  rig.advance(5000);
  REQUIRE_FALSE(rig.device->vending());
  rig.takeFrames();
  rig.sendOta(release);
  CHECK(progressFrames(rig).front() == progress(release.version, "downloading", 0));
}

TEST_CASE("ota: refused while another update runs; a repeat of the running one hears where it stands") {
  Rig rig;
  const Release release;
  readyWith(rig, release);
  rig.download.silent = true;
  rig.sendOta(release);
  rig.advance(50);
  rig.takeFrames();
  Release newer(4096, 3);
  newer.version = "vendora-esp32-0.4.0";
  rig.sendOta(newer);
  CHECK(progressFrames(rig) == std::vector<std::string>{progress(newer.version, "failed", -1, "update_in_progress")});
  rig.sendOta(release);
  CHECK(progressFrames(rig) == std::vector<std::string>{progress(release.version, "downloading", 0)});
  CHECK(rig.slot.begins == 1);
}

TEST_CASE("ota: too large for the partition, already installed, not supported") {
  const Release release;
  Rig rig;
  rig.slot.size = 10239;
  readyWith(rig, release);
  rig.sendOta(release);
  CHECK(progressFrames(rig) == std::vector<std::string>{progress(release.version, "failed", -1, "too_large")});

  Rig same;
  same.config.firmware = release.version;
  readyWith(same, release);
  same.sendOta(release);
  CHECK(progressFrames(same) == std::vector<std::string>{progress(release.version, "failed", -1, "already_installed")});

  Rig bare;
  bare.remote = false;
  readyWith(bare, release);
  bare.sendOta(release);
  CHECK(progressFrames(bare) == std::vector<std::string>{progress(release.version, "failed", -1, "not_supported")});
}

TEST_CASE("ota: a malformed ota is answered failed with its reason, and without a version when it has none") {
  Rig rig;
  const Release release;
  readyWith(rig, release);
  rig.server("42/devices,[\"ota\",{\"version\":\"v9\",\"url\":\"https://x/f\",\"size\":0,\"sha256\":\"" +
             release.sha256 + "\",\"signature\":\"" + release.signature + "\"}]");
  CHECK(progressFrames(rig) == std::vector<std::string>{progress("v9", "failed", -1, "invalid_size")});
  rig.server("42/devices,[\"ota\",{}]");
  CHECK(progressFrames(rig) ==
        std::vector<std::string>{"42/devices,[\"ota_progress\",{\"state\":\"failed\",\"reason\":\"missing_field\"}]"});
}

TEST_CASE("ota: refused inside the quiet hours, by the server's clock from hello") {
  Rig rig;
  const Release release;
  readyWith(rig, release);
  // hello's server_time is 12:53:18 UTC (minute 773).
  rig.server("42/devices,[\"config\",{\"quiet_start_min\":773,\"quiet_end_min\":774}]");
  rig.sendOta(release);
  CHECK(progressFrames(rig) == std::vector<std::string>{progress(release.version, "failed", -1, "quiet_hours")});
  rig.advance(42000);  // 12:54:00: quiet hours over
  rig.takeFrames();
  rig.sendOta(release);
  CHECK(progressFrames(rig).front() == progress(release.version, "downloading", 0));
}

TEST_CASE("ota: vends that arrive during an update are refused (no_drop), never started") {
  Rig rig;
  const Release release;
  readyWith(rig, release);
  rig.download.chunk = 100;  // slow enough to vend into
  rig.otaTimings.bytesPerTick = 100;
  rig.reboot();
  rig.connectReady();
  rig.sendOta(release);
  rig.advance(20);
  REQUIRE(rig.ota->state() == OtaState::Downloading);
  rig.takeFrames();
  rig.vend("during-ota", 1);
  rig.advance(50);
  CHECK(rig.hardware.motorStarts() == 0);
  CHECK(rig.framesWith("vend_result") ==
        std::vector<std::string>{resultFrame(rig.device->nextAckId() - 1, "during-ota", "no_drop")});
  CHECK(logged(rig, "command during-ota refused (updating)"));
  // Serial too.
  for (char c : std::string("VEND serial-1 1\n")) rig.device->onSerialByte(c);
  CHECK(rig.takeLines() == std::vector<std::string>{"RESULT serial-1 no_drop"});
  CHECK(rig.hardware.motorStarts() == 0);
}

TEST_CASE("ota: progress made while the socket is down is sent after the next hello") {
  Rig rig;
  const Release release;
  readyWith(rig, release);
  rig.download.chunk = 100;
  rig.sendOta(release);
  rig.wire->closed();
  rig.advance(200);
  rig.takeFrames();
  rig.slot.image.size();
  rig.advance(800);
  REQUIRE(rig.ota->state() == OtaState::Rebooting);
  rig.open();
  rig.server("40/devices,{\"sid\":\"n2\"}");
  rig.transport.frames.clear();
  rig.hello();
  const std::vector<std::string> frames = progressFrames(rig);
  REQUIRE(frames.size() >= 3);
  CHECK(frames.back() == progress(release.version, "rebooting"));
  CHECK(frames[frames.size() - 2] == progress(release.version, "verifying"));
}

TEST_CASE("ota: a new image that does not rejoin the server in time rolls back; the old one reports it") {
  Rig rig;
  const Release release;
  readyWith(rig, release);
  rig.sendOta(release);
  rig.advance(2000);
  REQUIRE(rig.restarter.restarts == 1);
  const std::string oldFirmware = rig.config.firmware;
  rig.config.firmware = release.version;
  rig.reboot();
  REQUIRE(rig.ota->state() == OtaState::Pending);
  rig.advance(179000, 100);  // never joins
  CHECK(rig.slot.rollbacks == 0);
  rig.advance(1100, 100);
  CHECK(rig.slot.rollbacks == 1);
  CHECK(rig.slot.confirms == 0);
  CHECK(rig.otaRecord.blob == "vendora-ota 1\nrolling_back " + release.version + "\n");

  // The bootloader starts the previous image, which says why.
  rig.config.firmware = oldFirmware;
  rig.reboot();
  CHECK(rig.ota->state() == OtaState::RolledBack);
  CHECK(rig.otaRecord.blob == "vendora-ota 1\n");
  rig.connectReadyKeepFrames();
  CHECK(progressFrames(rig) ==
        std::vector<std::string>{progress(release.version, "rolled_back", -1, "not_confirmed")});
  rig.reboot();  // reported once
  CHECK(rig.ota->state() == OtaState::Idle);
}

TEST_CASE("ota: a new image that never boots is rolled back by the bootloader: boot_failed") {
  Rig rig;
  const Release release;
  rig.otaRecord.save("vendora-ota 1\nrebooting " + release.version + "\n");
  rig.boot();  // still the old firmware
  CHECK(rig.ota->state() == OtaState::RolledBack);
  CHECK(rig.transport.frames.empty());  // held until hello
  rig.connectReadyKeepFrames();
  CHECK(progressFrames(rig) == std::vector<std::string>{progress(release.version, "rolled_back", -1, "boot_failed")});
}

TEST_CASE("ota: no update step runs while a vend runs (a pending image is not rolled back mid-vend)") {
  Rig rig;
  const Release release;
  rig.config.firmware = release.version;
  rig.otaRecord.save("vendora-ota 1\nrebooting " + release.version + "\n");
  rig.otaTimings.confirmDeadlineMs = 1000;
  rig.boot();  // slot 1 never drops: the motor runs its whole 5 s
  REQUIRE(rig.ota->state() == OtaState::Pending);
  for (char c : std::string("VEND s-1 1\n")) rig.device->onSerialByte(c);
  rig.advance(1500);
  REQUIRE(rig.device->vending());
  CHECK(rig.slot.rollbacks == 0);
  rig.advance(7000);
  REQUIRE_FALSE(rig.device->vending());
  CHECK(rig.slot.rollbacks == 1);
}
