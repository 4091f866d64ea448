// NetworkClientSecure with OpenSSL, behaving as arduino-esp32 3.x's
// mbedTLS client does (see shims/NetworkClientSecure.h).
#include <WiFi.h>
#include <WiFiClientSecure.h>
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <esp_log.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "twin.h"

namespace {

/** Waits until `ssl`'s socket can do what `error` (SSL_ERROR_WANT_*) asks, up to `timeoutMs`. */
bool waitFor(SSL* ssl, int error, int timeoutMs) {
  pollfd wait = {SSL_get_fd(ssl), static_cast<short>(error == SSL_ERROR_WANT_WRITE ? POLLOUT : POLLIN), 0};
  return poll(&wait, 1, timeoutMs < 0 ? 0 : timeoutMs) > 0;
}

bool isIpAddress(const char* host) {
  unsigned char buffer[16];
  return inet_pton(AF_INET, host, buffer) == 1 || inet_pton(AF_INET6, host, buffer) == 1;
}

bool addCertificates(X509_STORE* store, const char* pem) {
  BIO* bio = BIO_new_mem_buf(pem, -1);
  if (!bio) return false;
  int added = 0;
  X509* certificate;
  while ((certificate = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr)) != nullptr) {
    if (X509_STORE_add_cert(store, certificate) == 1) ++added;
    X509_free(certificate);
  }
  ERR_clear_error();  // the end of the PEM text reads as an error
  BIO_free(bio);
  return added > 0;
}

}  // namespace

NetworkClientSecure::NetworkClientSecure() { timeoutMs_ = 30000; }

NetworkClientSecure::~NetworkClientSecure() { NetworkClientSecure::stop(); }

void NetworkClientSecure::stop() {
  // As the board's stop_ssl_socket: the socket is closed, no close_notify.
  if (ssl_) SSL_free(ssl_);
  if (ctx_) SSL_CTX_free(ctx_);
  ssl_ = nullptr;
  ctx_ = nullptr;
  peeked_ = -1;
  NetworkClient::stop();
}

int NetworkClientSecure::connect(IPAddress ip, uint16_t port) {
  return connect(ip.toString().c_str(), port);
}

int NetworkClientSecure::connect(IPAddress ip, uint16_t port, int32_t timeoutMs) {
  timeoutMs_ = timeoutMs;
  return connect(ip, port);
}

int NetworkClientSecure::connect(const char* host, uint16_t port, int32_t timeoutMs) {
  timeoutMs_ = timeoutMs;
  return connect(host, port);
}

int NetworkClientSecure::connect(const char* host, uint16_t port) {
  stop();
  if (!insecure_ && !caCert_) {
    // start_ssl_client refuses a connection it could not verify.
    log_e("no CA certificate and not insecure: not connecting");
    lastError_ = -1;
    return 0;
  }
  IPAddress address;
  if (!WiFi.hostByName(host, address)) return 0;
  const int fd = openSocket(address, port, timeoutMs_);
  if (fd < 0) return 0;
  fd_ = fd;
  if (handshake(host) != 0) {
    stop();
    return 0;
  }
  connected_ = true;
  return 1;
}

int NetworkClientSecure::handshake(const char* host) {
  ctx_ = SSL_CTX_new(TLS_client_method());
  if (!ctx_) return -1;
  SSL_CTX_set_min_proto_version(ctx_, TLS1_2_VERSION);
  if (insecure_) {
    SSL_CTX_set_verify(ctx_, SSL_VERIFY_NONE, nullptr);
  } else {
    if (!addCertificates(SSL_CTX_get_cert_store(ctx_), caCert_)) {
      log_e("the CA certificate could not be read");
      return -1;
    }
    SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER, nullptr);
  }
  ssl_ = SSL_new(ctx_);
  if (!ssl_ || SSL_set_fd(ssl_, fd_) != 1) return -1;
  if (!isIpAddress(host)) SSL_set_tlsext_host_name(ssl_, host);
  if (!insecure_) {
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl_);
    if (isIpAddress(host)) {
      X509_VERIFY_PARAM_set1_ip_asc(param, host);
    } else {
      X509_VERIFY_PARAM_set1_host(param, host, 0);
    }
  }
  if (clientCert_ && privateKey_) {
    BIO* certBio = BIO_new_mem_buf(clientCert_, -1);
    BIO* keyBio = BIO_new_mem_buf(privateKey_, -1);
    X509* certificate = certBio ? PEM_read_bio_X509(certBio, nullptr, nullptr, nullptr) : nullptr;
    EVP_PKEY* key = keyBio ? PEM_read_bio_PrivateKey(keyBio, nullptr, nullptr, nullptr) : nullptr;
    if (certificate) SSL_use_certificate(ssl_, certificate);
    if (key) SSL_use_PrivateKey(ssl_, key);
    X509_free(certificate);
    EVP_PKEY_free(key);
    BIO_free(certBio);
    BIO_free(keyBio);
  }
  const uint64_t deadlineUs = twin::nowUs() + static_cast<uint64_t>(handshakeTimeoutMs_) * 1000;
  for (;;) {
    ERR_clear_error();
    const int ret = SSL_connect(ssl_);
    if (ret == 1) return 0;
    const int error = SSL_get_error(ssl_, ret);
    const uint64_t now = twin::nowUs();
    if ((error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE) || now >= deadlineUs) {
      lastError_ = error;
      const long verify = SSL_get_verify_result(ssl_);
      log_e("TLS handshake failed: %s%s%s", now >= deadlineUs ? "timeout" : ERR_reason_error_string(ERR_peek_error()),
            verify != X509_V_OK ? ", " : "", verify != X509_V_OK ? X509_verify_cert_error_string(verify) : "");
      if (twin::verbose() && now < deadlineUs) ERR_print_errors_fp(stderr);
      return -1;
    }
    waitFor(ssl_, error, static_cast<int>(std::min<uint64_t>((deadlineUs - now) / 1000 + 1, 50)));
  }
}

bool NetworkClientSecure::sslFailed(int ret) {
  const int error = SSL_get_error(ssl_, ret);
  return error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE;
}

int NetworkClientSecure::available() {
  const int peeked = peeked_ >= 0 ? 1 : 0;
  if (!connected_ || !ssl_) return peeked;
  int pending = SSL_pending(ssl_);
  if (pending == 0) {
    // Reads the next record without blocking, as data_to_read's zero-length mbedtls_ssl_read.
    ERR_clear_error();
    char byte;
    const int ret = SSL_peek(ssl_, &byte, 1);
    if (ret <= 0 && sslFailed(ret)) {
      stop();
      return peeked;
    }
    pending = SSL_pending(ssl_);
  }
  return pending + peeked;
}

int NetworkClientSecure::read(uint8_t* buf, size_t size) {
  int peeked = 0;
  const int available = NetworkClientSecure::available();
  if ((!buf && size) || available <= 0) return -1;
  if (size == 0) return 0;
  if (peeked_ >= 0) {
    buf[0] = static_cast<uint8_t>(peeked_);
    peeked_ = -1;
    if (size == 1 || available == 1) return 1;
    ++buf;
    --size;
    peeked = 1;
  }
  ERR_clear_error();
  const int ret = SSL_read(ssl_, buf, static_cast<int>(size));
  if (ret <= 0) {
    if (!sslFailed(ret)) return peeked;
    log_e("Closing connection on failed read");
    stop();
    return peeked ? peeked : -1;
  }
  return ret + peeked;
}

int NetworkClientSecure::read() {
  uint8_t data = 0;
  const int got = read(&data, 1);
  return got == 1 ? data : -1;
}

int NetworkClientSecure::peek() {
  if (peeked_ >= 0) return peeked_;
  peeked_ = timedRead();
  return peeked_;
}

size_t NetworkClientSecure::write(uint8_t data) { return write(&data, 1); }

size_t NetworkClientSecure::write(const uint8_t* buf, size_t size) {
  if (!connected_ || !ssl_ || size == 0) return 0;
  // The socket's send timeout bounds a stalled write, as SO_SNDTIMEO does on the board.
  const uint64_t deadlineUs = twin::nowUs() + static_cast<uint64_t>(timeoutMs_ > 0 ? timeoutMs_ : 0) * 1000;
  for (;;) {
    ERR_clear_error();
    const int ret = SSL_write(ssl_, buf, static_cast<int>(size));
    if (ret > 0) {
      twin::tapWrite(this, buf, static_cast<size_t>(ret));
      return static_cast<size_t>(ret);
    }
    const int error = SSL_get_error(ssl_, ret);
    if ((error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE) || twin::nowUs() >= deadlineUs) {
      log_e("Closing connection on failed write");
      stop();
      return 0;
    }
    waitFor(ssl_, error, 50);
  }
}

uint8_t NetworkClientSecure::connected() {
  if (connected_) {
    uint8_t dummy = 0;
    read(&dummy, 0);
  }
  return connected_ ? 1 : 0;
}

void NetworkClientSecure::setInsecure() {
  caCert_ = nullptr;
  clientCert_ = nullptr;
  privateKey_ = nullptr;
  insecure_ = true;
}

void NetworkClientSecure::setCACert(const char* rootCA) {
  caCert_ = rootCA;
  insecure_ = false;
}

void NetworkClientSecure::setCertificate(const char* clientCert) { clientCert_ = clientCert; }
void NetworkClientSecure::setPrivateKey(const char* privateKey) { privateKey_ = privateKey; }

void NetworkClientSecure::setCACertBundle(const uint8_t*, size_t) {
  log_w("CA bundles are not simulated: use setCACert");
}

void NetworkClientSecure::setPreSharedKey(const char*, const char*) { log_w("TLS-PSK is not simulated"); }

bool NetworkClientSecure::verify(const char* fingerprint, const char* domainName) {
  if (!ssl_ || !fingerprint) return false;
  X509* peer = SSL_get1_peer_certificate(ssl_);
  if (!peer) return false;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  X509_digest(peer, EVP_sha256(), digest, &length);
  bool ok = length == 32;
  // The fingerprint: 64 hex digits, separated by anything (as verify_ssl_fingerprint reads it).
  const char* p = fingerprint;
  for (unsigned int i = 0; ok && i < length; ++i) {
    while (*p && !isxdigit(static_cast<unsigned char>(*p))) ++p;
    unsigned int byte = 0;
    ok = isxdigit(static_cast<unsigned char>(p[0])) && isxdigit(static_cast<unsigned char>(p[1])) &&
         sscanf(p, "%2x", &byte) == 1 && byte == digest[i];
    p += 2;
  }
  if (ok && domainName) ok = X509_check_host(peer, domainName, 0, 0, nullptr) == 1;
  X509_free(peer);
  return ok;
}

void NetworkClientSecure::setHandshakeTimeout(unsigned long seconds) {
  handshakeTimeoutMs_ = static_cast<uint32_t>(seconds * 1000);
}

int NetworkClientSecure::lastError(char* buf, const size_t size) {
  if (buf && size > 0) snprintf(buf, size, "TLS error %d", lastError_);
  return lastError_;
}
