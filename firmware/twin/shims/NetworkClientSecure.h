// TLS over NetworkClient with OpenSSL, with the behaviour of arduino-esp32
// 3.x's NetworkClientSecure (mbedTLS there):
//  - the server is verified against the CA given with setCACert(), host
//    name included; setInsecure() skips verification; with neither, connect
//    fails (as start_ssl_client does);
//  - the handshake is bounded by setHandshakeTimeout() (seconds, 120 by
//    default), the TCP connect by connect()'s timeout;
//  - a failed read, write or availability check closes the client.
#pragma once
#include "NetworkClient.h"

typedef struct ssl_st SSL;
typedef struct ssl_ctx_st SSL_CTX;

class NetworkClientSecure : public NetworkClient {
 public:
  NetworkClientSecure();
  ~NetworkClientSecure() override;

  int connect(IPAddress ip, uint16_t port) override;
  int connect(IPAddress ip, uint16_t port, int32_t timeoutMs) override;
  int connect(const char* host, uint16_t port) override;
  int connect(const char* host, uint16_t port, int32_t timeoutMs) override;
  size_t write(uint8_t data) override;
  size_t write(const uint8_t* buf, size_t size) override;
  using Print::write;
  int available() override;
  int read() override;
  int read(uint8_t* buf, size_t size) override;
  int peek() override;
  void flush() override {}
  void stop() override;
  uint8_t connected() override;
  operator bool() override { return connected(); }

  void setInsecure();
  void setCACert(const char* rootCA);
  void setCertificate(const char* clientCert);
  void setPrivateKey(const char* privateKey);
  void setCACertBundle(const uint8_t* bundle, size_t size);
  void setPreSharedKey(const char* pskIdent, const char* psKey);
  bool verify(const char* fingerprint, const char* domainName);
  /** Seconds, as on the board. */
  void setHandshakeTimeout(unsigned long seconds);
  int lastError(char* buf, const size_t size);

 private:
  int handshake(const char* host);
  bool sslFailed(int ret);
  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
  const char* caCert_ = nullptr;
  const char* clientCert_ = nullptr;
  const char* privateKey_ = nullptr;
  bool insecure_ = false;
  uint32_t handshakeTimeoutMs_ = 120000;
  int peeked_ = -1;
  int lastError_ = 0;
};

typedef NetworkClientSecure WiFiClientSecure;
