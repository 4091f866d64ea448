// Firmware updates over the air (PROTOCOL.md §13): the `ota` command's
// checks, the resumable chunked download into the inactive partition, the
// size / SHA-256 / signature verification, the switch and reboot, and the
// confirmation (or rollback) of the new image after it boots. Portable:
// the board's HTTP client, OTA partition API and signature check sit
// behind the interfaces below.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <string>
#include <vector>

#include "json.h"
#include "platform.h"
#include "sha256.h"

namespace vendora {

/**
 * An HTTP(S) download of the image, one connection at a time. The board
 * implements it with HTTPClient; the core asks for the bytes from `offset`
 * on, so a dropped connection resumes where the flash writes stopped.
 */
class FirmwareDownload {
 public:
  virtual ~FirmwareDownload() {}
  /**
   * Starts `GET url` with `Range: bytes=<offset>-` (the server's signed
   * download URL honours it).
   *
   * @returns false when no connection could be made, or the answer is not
   *   `206` starting at `offset` (a `200` does for offset 0)
   */
  virtual bool open(const std::string& url, uint32_t offset) = 0;
  /**
   * Reads what has arrived, without waiting.
   *
   * @returns bytes copied (> 0), 0 when nothing has arrived yet, -1 when the
   *   connection dropped or ended
   */
  virtual int read(uint8_t* buffer, size_t capacity) = 0;
  /** Closes the connection (also after -1). */
  virtual void close() = 0;
};

/**
 * The inactive application partition and the boot switch (esp_ota_* on
 * the board).
 */
class FirmwareSlot {
 public:
  virtual ~FirmwareSlot() {}
  /** Bytes the inactive partition can hold. */
  virtual uint32_t capacity() = 0;
  /** Prepares the partition for an image of `size` bytes (esp_ota_begin). */
  virtual bool begin(uint32_t size) = 0;
  /** Writes the next bytes; `offset` is always where the previous write ended. */
  virtual bool write(uint32_t offset, const uint8_t* data, size_t length) = 0;
  /** Closes the image and makes it the one to boot (esp_ota_end, esp_ota_set_boot_partition). */
  virtual bool finish() = 0;
  /** Drops a partial image (esp_ota_abort); the running image stays the boot image. */
  virtual void abort() = 0;
  /** Keeps the running image for good (esp_ota_mark_app_valid_cancel_rollback). */
  virtual bool confirm() = 0;
  /**
   * Gives up on the running image: back to the previous one and reboot
   * (esp_ota_mark_app_invalid_rollback_and_reboot; does not return on the
   * board).
   */
  virtual void rollback() = 0;
};

/**
 * Checks the image's signature: a DER-encoded ECDSA P-256 signature over
 * the SHA-256 digest of the whole image, by the release key whose public
 * half the board carries (mbedTLS on the board, OpenSSL on the host).
 */
class SignatureVerifier {
 public:
  virtual ~SignatureVerifier() {}
  virtual bool verify(const uint8_t digest[Sha256::kDigestSize], const uint8_t* der, size_t length) = 0;
};

/** Where an update stands; `otaStateName` gives the wire name. */
enum class OtaState : uint8_t { Idle, Downloading, Verifying, Rebooting, Pending, Confirmed, Failed, RolledBack };

/** `idle`, `downloading`, `verifying`, `rebooting`, `pending`, `confirmed`, `failed`, `rolled_back`. */
const char* otaStateName(OtaState state);

/** An `ota` command, checked (readOtaRequest). */
struct OtaRequest {
  std::string version;  // the `firmware` string the new image reports in `status`
  std::string url;
  uint32_t size;
  uint8_t sha256[Sha256::kDigestSize];
  std::vector<uint8_t> signature;  // DER
  OtaRequest() : size(0) {}
};

/**
 * Reads the argument of a parsed `ota` event (path `{1}`). `version` is
 * filled whenever the command has a usable one, so a refusal can name it.
 *
 * @returns nullptr, or the refusal reason: `missing_field`, `invalid_version`,
 *   `invalid_url`, `invalid_size` (not an integer 1 .. 2^32-1), `invalid_sha256`
 *   (not 64 hex digits), `invalid_signature` (not base64 of 8–80 bytes)
 */
const char* readOtaRequest(const JsonReader& reader, OtaRequest& out);

/** Decodes standard base64 (padding required, no whitespace); false for anything else. */
bool decodeBase64(const std::string& text, std::vector<uint8_t>& out);

/** Decodes 64 hex digits (either case) into 32 bytes. */
bool decodeSha256Hex(const std::string& text, uint8_t out[Sha256::kDigestSize]);

/** One `ota_progress` to send: `{version, state, percent?, reason?}`. */
struct OtaProgress {
  std::string version;
  OtaState state;
  int percent;         // downloading only, else -1
  const char* reason;  // failed and rolled_back, else nullptr
  OtaProgress() : state(OtaState::Idle), percent(-1), reason(nullptr) {}
};

/** `42/devices,["ota_progress",{"version":...,"state":...,"percent"?:...,"reason"?:...}]` */
bool buildOtaProgressFrame(const OtaProgress& progress, std::string& out);

/** What the updater tells its owner (the Device). */
class OtaListener {
 public:
  virtual ~OtaListener() {}
  virtual void onOtaProgress(const OtaProgress& progress) = 0;
  virtual void onOtaLog(const std::string& message) = 0;
};

/** Timings and limits of an update. Milliseconds. */
struct OtaTimings {
  uint32_t retryMinMs;         // after a dropped or refused connection: wait this long ...
  uint32_t retryMaxMs;         // ... doubling up to this
  uint32_t maxRetries;         // connections in a row that bring no byte before the update fails
  uint32_t stallMs;            // an open connection silent this long counts as dropped
  uint32_t bytesPerTick;       // at most this much is read and written per tick (loop() stays short)
  uint32_t percentStep;        // `downloading` is reported at every multiple of this percent
  uint32_t rebootDelayMs;      // `rebooting` is sent, then the board restarts this much later
  uint32_t confirmDeadlineMs;  // the new image must rejoin the server within this, else rollback
  OtaTimings()
      : retryMinMs(1000),
        retryMaxMs(30000),
        maxRetries(6),
        stallMs(20000),
        bytesPerTick(4096),
        percentStep(10),
        rebootDelayMs(1500),
        confirmDeadlineMs(180000) {}
};

/**
 * The update state machine:
 *
 *   Idle -> Downloading: start() accepted an `ota` (the Device checked
 *     vends and quiet hours). Bytes go to the slot and the hash as they
 *     arrive; a dropped or stalled connection is reopened from the bytes
 *     written, after retryMinMs doubling to retryMaxMs; maxRetries
 *     connections in a row without a byte fail the update.
 *   Downloading -> Verifying: every announced byte is written. Size, SHA-256
 *     and signature are checked; then the slot is made the boot image.
 *   Verifying -> Rebooting: a record `rebooting <version>` is saved, and
 *     the board restarts rebootDelayMs later (time for `rebooting` to go out).
 *   (boot) -> Pending: the record names the running firmware. confirm on
 *     the first `hello` (onJoined): Confirmed; none within
 *     confirmDeadlineMs: rollback, reported `rolled_back` by the previous
 *     image when it boots (the record names a version it is not).
 *   Any failure -> Failed, with a reason; the partial image is dropped and
 *     the running image stays.
 */
class OtaUpdater {
 public:
  /** `record` keeps one line across the reboot: which version was installed, and how it went. */
  OtaUpdater(Clock& clock, FirmwareDownload& download, FirmwareSlot& slot, SignatureVerifier& verifier,
             Storage& record, Restarter& restarter, const OtaTimings& timings = OtaTimings());

  /**
   * Boot: reads the record of an update that rebooted. `runningFirmware`
   * is this image's version (DeviceConfig::firmware).
   */
  void begin(const std::string& runningFirmware, OtaListener& listener);

  /**
   * Starts an update the Device has allowed.
   *
   * @returns nullptr, or why it is refused: `update_in_progress` (also
   *   while a new image waits for its confirmation),
   *   `already_installed` (the version runs now), `too_large` (over the
   *   partition), `flash_error`
   */
  const char* start(const OtaRequest& request);

  /** Advances the download, the verification, the reboot, the confirmation deadline. */
  void tick();

  /** The device joined the server (`hello`): a pending image is confirmed. */
  void onJoined();

  /** Downloading, verifying or rebooting: no vend may start, no other update. */
  bool updating() const {
    return state_ == OtaState::Downloading || state_ == OtaState::Verifying || state_ == OtaState::Rebooting;
  }

  OtaState state() const { return state_; }
  const std::string& version() const { return request_.version; }
  /** Image bytes written to the slot so far. */
  uint32_t written() const { return written_; }
  /** The current progress as an ota_progress (for a repeated `ota` of the running update). */
  OtaProgress current() const;

 private:
  void download(uint64_t now);
  void dropConnection(uint64_t now, const char* why);
  void verify();
  void fail(const char* reason);
  void report(OtaState state, int percent, const char* reason);
  void log(const std::string& message);
  bool saveRecord(const char* state, const std::string& version);
  void clearRecord();

  Clock& clock_;
  FirmwareDownload& download_;
  FirmwareSlot& slot_;
  SignatureVerifier& verifier_;
  Storage& record_;
  Restarter& restarter_;
  OtaTimings timings_;
  OtaListener* listener_;
  std::string running_;

  OtaState state_;
  OtaRequest request_;
  Sha256 sha_;
  uint32_t written_;
  bool connected_;
  uint32_t failures_;      // connections in a row without a byte
  uint32_t retryDelayMs_;  // the next back-off
  uint64_t retryAtMs_;
  uint64_t lastByteMs_;
  int reportedPercent_;
  uint64_t deadlineMs_;  // Rebooting: restart then; Pending: roll back then
};

}  // namespace vendora
