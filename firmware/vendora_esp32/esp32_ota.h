// The board side of firmware updates (PROTOCOL.md §13.1, src/core/ota.h):
// the image's download over WiFiClient / WiFiClientSecure with HTTP Range,
// the inactive OTA partition through ESP-IDF's esp_ota_ops, and the
// release signature check with mbedTLS. Included once, by the sketch.
#pragma once

#include <Arduino.h>
#include <WiFi.h>
#include <WiFiClientSecure.h>
#include <esp_ota_ops.h>
#include <esp_partition.h>
#include <esp_task_wdt.h>
#include <mbedtls/md.h>
#include <mbedtls/pk.h>
#include <string.h>

#include <string>

#include "src/core/http_range.h"
#include "src/core/ota.h"

/**
 * One `GET` of the image at a time, HTTP/1.1 by hand over WiFiClient (or
 * WiFiClientSecure for https, checked against the CA the socket link
 * uses): `Range: bytes=<offset>-` on every request, so a dropped
 * connection resumes where the flash writes stopped. No HTTPClient: its
 * reads wait for data, and its 2.x and 3.x versions differ in how a
 * partial answer is told apart.
 *
 * open() blocks (connect, TLS handshake, response head), each step bounded
 * and the task watchdog fed between them; read() never waits.
 */
class Esp32FirmwareDownload : public vendora::FirmwareDownload {
 public:
  /** TCP connect limit, and the limit for the status line and headers to arrive. */
  static const uint32_t kConnectTimeoutMs = 3000;
  static const uint32_t kHeadTimeoutMs = 5000;
  /** Longest response head taken (status line and headers). */
  static const size_t kMaxHeadBytes = 4096;

  /**
   * @param caCert PEM of the CA an https URL's certificate must chain to
   *   (config.h's kCaCert); an https URL without one is refused
   * @param handshakeTimeoutMs TLS handshake limit (config.h's kHandshakeTimeoutMs)
   * @param console where a refused connection is explained (the core only
   *   counts it)
   */
  Esp32FirmwareDownload(const char* caCert, uint32_t handshakeTimeoutMs, vendora::Console& console)
      : caCert_(caCert), handshakeTimeoutMs_(handshakeTimeoutMs), console_(console) {}

  bool open(const std::string& url, uint32_t offset) override {
    close();
    vendora::HttpUrl parts;
    if (!vendora::splitHttpUrl(url, parts)) return fail("download: cannot read the URL");
    WiFiClient* client = &plain_;
    if (parts.tls) {
      if (caCert_ == nullptr || strstr(caCert_, "BEGIN CERTIFICATE") == nullptr) {
        return fail("download: https without a CA certificate in config.h");
      }
      secure_.setCACert(caCert_);
      secure_.setHandshakeTimeout((handshakeTimeoutMs_ + 999) / 1000);  // seconds
      client = &secure_;
    }
    esp_task_wdt_reset();
    if (!client->connect(parts.host.c_str(), parts.port, static_cast<int32_t>(kConnectTimeoutMs))) {
      return fail("download: cannot connect to " + parts.host);
    }
    client_ = client;
    esp_task_wdt_reset();
    const std::string request = vendora::buildRangeRequest(parts, offset);
    if (client_->write(reinterpret_cast<const uint8_t*>(request.data()), request.size()) != request.size()) {
      return fail("download: request not sent");
    }
    std::string head;
    if (!readHead(head)) return fail("download: no response head");
    esp_task_wdt_reset();
    int64_t length = -1;
    const char* problem = vendora::checkRangeResponse(head, offset, length);
    if (problem) return fail(std::string("download: ") + problem + " (" + head.substr(0, head.find('\r')) + ")");
    remaining_ = length;
    return true;
  }

  int read(uint8_t* buffer, size_t capacity) override {
    if (client_ == nullptr || remaining_ == 0) return -1;
    const int available = client_->available();
    if (available <= 0) return client_->connected() ? 0 : -1;
    size_t wanted = static_cast<size_t>(available) < capacity ? static_cast<size_t>(available) : capacity;
    if (remaining_ > 0 && static_cast<uint64_t>(wanted) > static_cast<uint64_t>(remaining_)) {
      wanted = static_cast<size_t>(remaining_);
    }
    const int got = client_->read(buffer, wanted);
    if (got < 0) return -1;
    if (remaining_ > 0) remaining_ -= got;
    return got;
  }

  void close() override {
    if (client_ != nullptr) client_->stop();
    client_ = nullptr;
    remaining_ = -1;
  }

 private:
  /** Reads up to the blank line after the headers, byte by byte (the body stays in the client). */
  bool readHead(std::string& head) {
    const unsigned long started = millis();
    while (head.size() < kMaxHeadBytes) {
      if (head.size() >= 4 && head.compare(head.size() - 4, 4, "\r\n\r\n") == 0) return true;
      if (client_->available() > 0) {
        const int c = client_->read();
        if (c < 0) return false;
        head += static_cast<char>(c);
        continue;
      }
      if (!client_->connected() || millis() - started >= kHeadTimeoutMs) return false;
      delay(1);
    }
    return false;
  }

  bool fail(const std::string& why) {
    console_.writeLine("# ota " + why);
    close();
    return false;
  }

  const char* caCert_;
  uint32_t handshakeTimeoutMs_;
  vendora::Console& console_;
  WiFiClient plain_;
  WiFiClientSecure secure_;
  WiFiClient* client_ = nullptr;
  int64_t remaining_ = -1;  // body bytes still to come (Content-Length), -1: unknown
};

/**
 * The OTA partition the running image is not in (app0/app1 of a partition
 * scheme with two OTA slots), through esp_ota_ops. esp_ota_write checks
 * the image's first byte; esp_ota_end the whole image (headers, segments,
 * its own checksum) before it may become the boot partition.
 */
class Esp32FirmwareSlot : public vendora::FirmwareSlot {
 public:
  uint32_t capacity() override {
    const esp_partition_t* next = esp_ota_get_next_update_partition(nullptr);
    return next == nullptr ? 0 : next->size;
  }

  bool begin(uint32_t size) override {
    abort();
    partition_ = esp_ota_get_next_update_partition(nullptr);
    if (partition_ == nullptr) return false;
#ifdef OTA_WITH_SEQUENTIAL_WRITES
    // Erased sector by sector as the writes arrive: erasing a whole
    // 1.25 MiB slot up front would hold loop() for seconds.
    (void)size;
    const size_t image = OTA_WITH_SEQUENTIAL_WRITES;
#else
    const size_t image = size;
#endif
    esp_task_wdt_reset();
    open_ = esp_ota_begin(partition_, image, &handle_) == ESP_OK;
    esp_task_wdt_reset();
    return open_;
  }

  bool write(uint32_t offset, const uint8_t* data, size_t length) override {
    (void)offset;  // the core writes in order; esp_ota_write appends
    return open_ && esp_ota_write(handle_, data, length) == ESP_OK;
  }

  bool finish() override {
    if (!open_) return false;
    open_ = false;
    esp_task_wdt_reset();
    if (esp_ota_end(handle_) != ESP_OK) return false;  // frees the handle, whatever it says
    return esp_ota_set_boot_partition(partition_) == ESP_OK;
  }

  void abort() override {
    if (open_) esp_ota_abort(handle_);
    open_ = false;
  }

  bool confirm() override {
    // Only an image waiting for its verdict needs one; marking a valid
    // image valid again would rewrite otadata for nothing.
    if (!pendingVerify()) return true;
    return esp_ota_mark_app_valid_cancel_rollback() == ESP_OK;
  }

  void rollback() override {
    esp_ota_mark_app_invalid_rollback_and_reboot();
    // Only back here when no other slot holds a bootable image: restart
    // anyway, as the core expects; the bootloader picks what it can.
    ESP.restart();
  }

  /** Whether the running image was booted as a new image and not confirmed (ESP_OTA_IMG_PENDING_VERIFY). */
  bool pendingVerify() {
    const esp_partition_t* running = esp_ota_get_running_partition();
    esp_ota_img_states_t state;
    return running != nullptr && esp_ota_get_state_partition(running, &state) == ESP_OK &&
           state == ESP_OTA_IMG_PENDING_VERIFY;
  }

 private:
  const esp_partition_t* partition_ = nullptr;
  esp_ota_handle_t handle_ = 0;
  bool open_ = false;
};

/**
 * The release signature check with mbedTLS: the DER ECDSA signature over
 * the image's SHA-256, against the public key config.h carries
 * (VENDORA_FIRMWARE_PUBKEY, printed by `node ace firmware:keygen`).
 */
class MbedtlsSignatureVerifier : public vendora::SignatureVerifier {
 public:
  MbedtlsSignatureVerifier() { mbedtls_pk_init(&key_); }
  ~MbedtlsSignatureVerifier() { mbedtls_pk_free(&key_); }

  /**
   * Parses the PEM public key.
   *
   * @returns false unless it is an EC key of 256 bits (P-256) that can
   *   check ECDSA signatures: the board then has no updates at all
   */
  bool begin(const char* pem) {
    mbedtls_pk_free(&key_);
    mbedtls_pk_init(&key_);
    ready_ = false;
    if (pem == nullptr || strstr(pem, "BEGIN PUBLIC KEY") == nullptr) return false;
    // PEM input is read up to and including its terminating NUL.
    if (mbedtls_pk_parse_public_key(&key_, reinterpret_cast<const unsigned char*>(pem), strlen(pem) + 1) != 0) {
      return false;
    }
    ready_ = mbedtls_pk_can_do(&key_, MBEDTLS_PK_ECDSA) && mbedtls_pk_get_bitlen(&key_) == 256;
    return ready_;
  }

  bool verify(const uint8_t digest[vendora::Sha256::kDigestSize], const uint8_t* der, size_t length) override {
    return ready_ && mbedtls_pk_verify(&key_, MBEDTLS_MD_SHA256, digest, vendora::Sha256::kDigestSize, der,
                                       length) == 0;
  }

 private:
  mbedtls_pk_context key_;
  bool ready_ = false;
};
