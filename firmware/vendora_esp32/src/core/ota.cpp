#include "ota.h"

#include "frames.h"
#include "types.h"

namespace vendora {

namespace {

const size_t kMaxUrlLength = 512;
const size_t kMaxSignatureText = 128;
// A DER ECDSA P-256 signature is 8 to 72 bytes; a little slack for other encodings.
const size_t kMinSignatureBytes = 8;
const size_t kMaxSignatureBytes = 80;
const char kRecordHeader[] = "vendora-ota 1\n";

std::string str(uint64_t value) {
  std::string out;
  appendUnsigned(out, value);
  return out;
}

int base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

const char* otaStateName(OtaState state) {
  switch (state) {
    case OtaState::Idle:
      return "idle";
    case OtaState::Downloading:
      return "downloading";
    case OtaState::Verifying:
      return "verifying";
    case OtaState::Rebooting:
      return "rebooting";
    case OtaState::Pending:
      return "pending";
    case OtaState::Confirmed:
      return "confirmed";
    case OtaState::Failed:
      return "failed";
    case OtaState::RolledBack:
      return "rolled_back";
  }
  return "idle";
}

bool decodeBase64(const std::string& text, std::vector<uint8_t>& out) {
  out.clear();
  if (text.empty() || text.size() % 4 != 0) return false;
  for (size_t i = 0; i < text.size(); i += 4) {
    int v[4];
    size_t padding = 0;
    for (size_t j = 0; j < 4; ++j) {
      const char c = text[i + j];
      if (c == '=') {
        // Padding only at the very end: `xx==` or `xxx=`.
        if (i + 4 != text.size() || j < 2) return false;
        v[j] = 0;
        ++padding;
      } else {
        if (padding > 0) return false;
        v[j] = base64Value(c);
        if (v[j] < 0) return false;
      }
    }
    const uint32_t bits = (static_cast<uint32_t>(v[0]) << 18) | (static_cast<uint32_t>(v[1]) << 12) |
                          (static_cast<uint32_t>(v[2]) << 6) | static_cast<uint32_t>(v[3]);
    out.push_back(static_cast<uint8_t>(bits >> 16));
    if (padding < 2) out.push_back(static_cast<uint8_t>(bits >> 8));
    if (padding < 1) out.push_back(static_cast<uint8_t>(bits));
  }
  return true;
}

bool decodeSha256Hex(const std::string& text, uint8_t out[Sha256::kDigestSize]) {
  if (text.size() != Sha256::kDigestSize * 2) return false;
  for (size_t i = 0; i < Sha256::kDigestSize; ++i) {
    const int high = hexValue(text[2 * i]);
    const int low = hexValue(text[2 * i + 1]);
    if (high < 0 || low < 0) return false;
    out[i] = static_cast<uint8_t>(high * 16 + low);
  }
  return true;
}

const char* readOtaRequest(const JsonReader& reader, OtaRequest& out) {
  out = OtaRequest();
  std::string version;
  if (reader.getString({1, "version"}, version) && isVisibleAscii(version, kMaxFirmwareLength)) out.version = version;
  const char* fields[] = {"version", "url", "size", "sha256", "signature"};
  for (size_t i = 0; i < sizeof fields / sizeof fields[0]; ++i) {
    if (reader.type({1, fields[i]}) == JsonType::None) return "missing_field";
  }
  if (out.version.empty()) return "invalid_version";
  if (!reader.getString({1, "url"}, out.url) || out.url.size() > kMaxUrlLength ||
      !(startsWith(out.url.c_str(), out.url.size(), "http://") ||
        startsWith(out.url.c_str(), out.url.size(), "https://")) ||
      !isVisibleAscii(out.url, kMaxUrlLength)) {
    return "invalid_url";
  }
  int64_t size = 0;
  if (!reader.getInteger({1, "size"}, size) || size < 1 || size > 0xffffffffLL) return "invalid_size";
  out.size = static_cast<uint32_t>(size);
  std::string hex;
  if (!reader.getString({1, "sha256"}, hex) || !decodeSha256Hex(hex, out.sha256)) return "invalid_sha256";
  std::string signature;
  if (!reader.getString({1, "signature"}, signature) || signature.size() > kMaxSignatureText ||
      !decodeBase64(signature, out.signature) || out.signature.size() < kMinSignatureBytes ||
      out.signature.size() > kMaxSignatureBytes) {
    return "invalid_signature";
  }
  return nullptr;
}

bool buildOtaProgressFrame(const OtaProgress& progress, std::string& out) {
  std::string json = "{";
  if (!progress.version.empty()) {
    json += "\"version\":";
    appendJsonString(json, progress.version);
    json += ',';
  }
  json += "\"state\":";
  appendJsonString(json, otaStateName(progress.state));
  if (progress.percent >= 0) {
    json += ",\"percent\":";
    appendUnsigned(json, static_cast<uint64_t>(progress.percent));
  }
  if (progress.reason) {
    json += ",\"reason\":";
    appendJsonString(json, progress.reason);
  }
  json += '}';
  return buildEventFrame("ota_progress", json, false, 0, out);
}

OtaUpdater::OtaUpdater(Clock& clock, FirmwareDownload& download, FirmwareSlot& slot, SignatureVerifier& verifier,
                       Storage& record, Restarter& restarter, const OtaTimings& timings)
    : clock_(clock),
      download_(download),
      slot_(slot),
      verifier_(verifier),
      record_(record),
      restarter_(restarter),
      timings_(timings),
      listener_(nullptr),
      state_(OtaState::Idle),
      written_(0),
      connected_(false),
      failures_(0),
      retryDelayMs_(0),
      retryAtMs_(0),
      lastByteMs_(0),
      reportedPercent_(-1),
      deadlineMs_(0) {}

void OtaUpdater::begin(const std::string& runningFirmware, OtaListener& listener) {
  listener_ = &listener;
  running_ = runningFirmware;
  std::string blob;
  if (!record_.load(blob) || blob.compare(0, sizeof kRecordHeader - 1, kRecordHeader) != 0) return;
  const std::string line = blob.substr(sizeof kRecordHeader - 1);
  const size_t space = line.find(' ');
  if (space == std::string::npos) return;
  const std::string recorded = line.substr(0, space);
  std::string version = line.substr(space + 1);
  while (!version.empty() && version[version.size() - 1] == '\n') version.erase(version.size() - 1);
  if (recorded != "rebooting" && recorded != "rolling_back") return;
  request_.version = version;
  if (recorded == "rebooting" && version == running_) {
    // The new image runs: it stays only once it has rejoined the server.
    state_ = OtaState::Pending;
    deadlineMs_ = clock_.nowMs() + timings_.confirmDeadlineMs;
    log("ota: running " + version + ", pending until it rejoins the server");
    return;
  }
  // The previous image runs again: the bootloader went back (the new one
  // did not boot, or gave up on rejoining).
  state_ = OtaState::RolledBack;
  clearRecord();
  report(OtaState::RolledBack, -1, recorded == "rolling_back" ? "not_confirmed" : "boot_failed");
}

const char* OtaUpdater::start(const OtaRequest& request) {
  if (updating() || state_ == OtaState::Pending) return "update_in_progress";
  if (request.version == running_) return "already_installed";
  if (request.size > slot_.capacity()) return "too_large";
  if (!slot_.begin(request.size)) return "flash_error";
  request_ = request;
  state_ = OtaState::Downloading;
  sha_.reset();
  written_ = 0;
  connected_ = false;
  failures_ = 0;
  retryDelayMs_ = timings_.retryMinMs;
  retryAtMs_ = clock_.nowMs();
  lastByteMs_ = retryAtMs_;
  reportedPercent_ = -1;
  log("ota: downloading " + request.version + " (" + str(request.size) + " bytes)");
  report(OtaState::Downloading, 0, nullptr);
  reportedPercent_ = 0;
  return nullptr;
}

void OtaUpdater::tick() {
  const uint64_t now = clock_.nowMs();
  switch (state_) {
    case OtaState::Downloading:
      download(now);
      return;
    case OtaState::Verifying:
      verify();
      return;
    case OtaState::Rebooting:
      if (now >= deadlineMs_) {
        log("ota: restarting into " + request_.version);
        deadlineMs_ = UINT64_MAX;  // once: the board does not come back from it
        restarter_.restart();
      }
      return;
    case OtaState::Pending:
      if (now >= deadlineMs_) {
        // No server within the deadline: this image may be what keeps the
        // machine off line, so the previous one takes over. It reports
        // `rolled_back` itself once it has booted (begin()).
        state_ = OtaState::RolledBack;
        saveRecord("rolling_back", request_.version);
        log("ota: " + request_.version + " did not rejoin the server in time; rolling back");
        slot_.rollback();
      }
      return;
    default:
      return;
  }
}

void OtaUpdater::download(uint64_t now) {
  if (!connected_) {
    if (now < retryAtMs_) return;
    if (!download_.open(request_.url, written_)) {
      dropConnection(now, "connection refused");
      return;
    }
    connected_ = true;
    lastByteMs_ = now;
    if (written_ > 0) log("ota: resuming at byte " + str(written_));
  }
  uint8_t buffer[512];
  uint32_t budget = timings_.bytesPerTick;
  while (budget > 0 && written_ < request_.size) {
    const size_t capacity = budget < sizeof buffer ? budget : sizeof buffer;
    const int got = download_.read(buffer, capacity);
    if (got < 0) {
      dropConnection(now, "connection dropped");
      return;
    }
    if (got == 0) break;
    const uint32_t length = static_cast<uint32_t>(got);
    if (length > request_.size - written_) {
      fail("size_mismatch");  // more bytes than announced
      return;
    }
    if (!slot_.write(written_, buffer, length)) {
      fail("flash_error");
      return;
    }
    sha_.update(buffer, length);
    written_ += length;
    budget -= length < budget ? length : budget;
    lastByteMs_ = now;
    failures_ = 0;
    retryDelayMs_ = timings_.retryMinMs;
    const uint32_t percent = static_cast<uint32_t>(static_cast<uint64_t>(written_) * 100 / request_.size);
    const uint32_t step = timings_.percentStep == 0 ? 1 : timings_.percentStep;
    const int shown = static_cast<int>(percent / step * step);
    if (shown > reportedPercent_) {
      reportedPercent_ = shown;
      report(OtaState::Downloading, shown, nullptr);
    }
  }
  if (written_ >= request_.size) {
    download_.close();
    connected_ = false;
    state_ = OtaState::Verifying;
    report(OtaState::Verifying, -1, nullptr);
    return;
  }
  if (now - lastByteMs_ >= timings_.stallMs) dropConnection(now, "no data");
}

void OtaUpdater::dropConnection(uint64_t now, const char* why) {
  download_.close();
  connected_ = false;
  ++failures_;
  if (failures_ >= timings_.maxRetries) {
    log(std::string("ota: ") + why + " at byte " + str(written_) + "; giving up after " + str(failures_) +
        " attempts");
    fail("download_failed");
    return;
  }
  retryAtMs_ = now + retryDelayMs_;
  log(std::string("ota: ") + why + " at byte " + str(written_) + "; resuming in " + str(retryDelayMs_) + " ms");
  retryDelayMs_ = retryDelayMs_ >= timings_.retryMaxMs / 2 ? timings_.retryMaxMs : retryDelayMs_ * 2;
}

void OtaUpdater::verify() {
  // The download loop stops at the announced size; a short image never
  // gets here, a long one failed on its extra bytes. Checked again since
  // everything below trusts it.
  if (written_ != request_.size || sha_.length() != request_.size) {
    fail("size_mismatch");
    return;
  }
  uint8_t digest[Sha256::kDigestSize];
  sha_.finish(digest);
  for (size_t i = 0; i < Sha256::kDigestSize; ++i) {
    if (digest[i] != request_.sha256[i]) {
      log("ota: image sha256 " + toHex(digest, sizeof digest) + ", announced " +
          toHex(request_.sha256, sizeof request_.sha256));
      fail("sha256_mismatch");
      return;
    }
  }
  if (!verifier_.verify(digest, request_.signature.data(), request_.signature.size())) {
    fail("bad_signature");
    return;
  }
  if (!slot_.finish()) {
    fail("flash_error");
    return;
  }
  // Written before the restart: the image that boots next tells from it
  // whether it is the new one (pending) or the old one again (rolled back).
  if (!saveRecord("rebooting", request_.version)) log("ota: could not record the update; it reboots anyway");
  state_ = OtaState::Rebooting;
  deadlineMs_ = clock_.nowMs() + timings_.rebootDelayMs;
  report(OtaState::Rebooting, -1, nullptr);
}

void OtaUpdater::onJoined() {
  if (state_ != OtaState::Pending) return;
  if (!slot_.confirm()) {
    // Left pending: the deadline rolls it back.
    log("ota: could not mark " + request_.version + " valid");
    return;
  }
  state_ = OtaState::Confirmed;
  clearRecord();
  log("ota: " + request_.version + " confirmed");
  report(OtaState::Confirmed, -1, nullptr);
}

void OtaUpdater::fail(const char* reason) {
  if (connected_) download_.close();
  connected_ = false;
  slot_.abort();
  state_ = OtaState::Failed;
  log(std::string("ota: ") + request_.version + " failed (" + reason + ")");
  report(OtaState::Failed, -1, reason);
}

OtaProgress OtaUpdater::current() const {
  OtaProgress progress;
  progress.version = request_.version;
  progress.state = state_;
  if (state_ == OtaState::Downloading) progress.percent = reportedPercent_ < 0 ? 0 : reportedPercent_;
  return progress;
}

void OtaUpdater::report(OtaState state, int percent, const char* reason) {
  if (!listener_) return;
  OtaProgress progress;
  progress.version = request_.version;
  progress.state = state;
  progress.percent = percent;
  progress.reason = reason;
  listener_->onOtaProgress(progress);
}

void OtaUpdater::log(const std::string& message) {
  if (listener_) listener_->onOtaLog(message);
}

bool OtaUpdater::saveRecord(const char* state, const std::string& version) {
  return record_.save(std::string(kRecordHeader) + state + " " + version + "\n");
}

void OtaUpdater::clearRecord() { record_.save(kRecordHeader); }

}  // namespace vendora
