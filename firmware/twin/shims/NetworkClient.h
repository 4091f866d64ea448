// A TCP client over POSIX sockets with the behaviour of arduino-esp32 3.x's
// NetworkClient (libraries/Network/src/NetworkClient.cpp), which the board's
// arduinoWebSockets uses as WiFiClient:
//  - connect() is non-blocking with a timeout (WEBSOCKETS_TCP_TIMEOUT from
//    the library);
//  - write() waits for the socket to be writable up to 10 times 1 s and
//    gives up (closing) on any error but EAGAIN;
//  - available()/read() never block; a read error closes the client;
//  - connected() notices a peer's FIN or reset as lwIP's zero-length recv
//    does (ENOTCONN / ECONNRESET), without consuming data.
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "Client.h"
#include "IPAddress.h"
#include "WString.h"

class NetworkClient : public Client {
 public:
  NetworkClient();
  virtual ~NetworkClient();
  NetworkClient(const NetworkClient&) = delete;
  NetworkClient& operator=(const NetworkClient&) = delete;

  int connect(IPAddress ip, uint16_t port) override;
  virtual int connect(IPAddress ip, uint16_t port, int32_t timeoutMs);
  int connect(const char* host, uint16_t port) override;
  virtual int connect(const char* host, uint16_t port, int32_t timeoutMs);
  size_t write(uint8_t data) override;
  size_t write(const uint8_t* buf, size_t size) override;
  using Print::write;
  int available() override;
  int read() override;
  int read(uint8_t* buf, size_t size) override;
  int peek() override;
  void flush() override;
  void stop() override;
  uint8_t connected() override;
  operator bool() override { return connected(); }

  /** Milliseconds for connect, socket reads and writes, and Stream's timed reads. */
  void setTimeout(unsigned long timeoutMs);
  void setConnectionTimeout(uint32_t milliseconds) { timeoutMs_ = milliseconds; }
  int setNoDelay(bool nodelay);
  bool getNoDelay();
  int setSocketOption(int level, int option, const void* value, size_t len);
  virtual int fd() const { return fd_; }
  IPAddress remoteIP() const;
  uint16_t remotePort() const;
  IPAddress localIP() const;
  uint16_t localPort() const;

 protected:
  /** A TCP connection to ip:port within timeoutMs. @returns the socket or -1 */
  static int openSocket(const IPAddress& ip, uint16_t port, int32_t timeoutMs);
  /** Bytes the kernel holds for this socket (lwIP's FIONREAD). */
  static int pendingBytes(int fd);

  int fd_ = -1;
  bool connected_ = false;
  int32_t timeoutMs_ = 3000;

 private:
  bool fillBuffer();
  uint8_t rx_[1436];
  size_t rxPos_ = 0;
  size_t rxFill_ = 0;
  bool rxFailed_ = false;
};

typedef NetworkClient WiFiClient;
