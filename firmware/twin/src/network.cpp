// Wi-Fi (always up) and NetworkClient over POSIX sockets, with the ESP32
// core 3.x behaviour described in shims/NetworkClient.h.
#include <WiFi.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <esp_log.h>
#include <esp_mac.h>

#include "twin.h"

namespace {

// NetworkClient.cpp's constants.
const int kMaxWriteRetry = 10;
const int kSelectTimeoutMs = 1000;

bool toSockaddr(const IPAddress& ip, uint16_t port, sockaddr_storage& out, socklen_t& length) {
  memset(&out, 0, sizeof out);
  IPAddress copy = ip;
  if (ip.type() == IPv6) {
    sockaddr_in6* address = reinterpret_cast<sockaddr_in6*>(&out);
    address->sin6_family = AF_INET6;
    address->sin6_port = htons(port);
    for (int i = 0; i < 16; ++i) address->sin6_addr.s6_addr[i] = copy[i];
    length = sizeof *address;
  } else {
    sockaddr_in* address = reinterpret_cast<sockaddr_in*>(&out);
    address->sin_family = AF_INET;
    address->sin_port = htons(port);
    address->sin_addr.s_addr = static_cast<uint32_t>(ip);
    length = sizeof *address;
  }
  return true;
}

IPAddress fromSockaddr(const sockaddr_storage& address) {
  if (address.ss_family == AF_INET6) {
    const sockaddr_in6* v6 = reinterpret_cast<const sockaddr_in6*>(&address);
    return IPAddress(IPv6, v6->sin6_addr.s6_addr);
  }
  return IPAddress(reinterpret_cast<const sockaddr_in*>(&address)->sin_addr.s_addr);
}

uint16_t portOf(const sockaddr_storage& address) {
  if (address.ss_family == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6*>(&address)->sin6_port);
  return ntohs(reinterpret_cast<const sockaddr_in*>(&address)->sin_port);
}

}  // namespace

// ---------------------------------------------------------------- Wi-Fi

WiFiClass WiFi;

wl_status_t WiFiClass::begin(const char* ssid, const char*, int32_t, const uint8_t*, bool connect) {
  ssid_ = ssid ? ssid : "";
  if (mode_ == WIFI_MODE_NULL) mode_ = WIFI_MODE_STA;
  // An image built not to rejoin (twin.h, BootImage) never associates.
  status_ = twin::wifiBlocked() ? WL_DISCONNECTED : connect ? WL_CONNECTED : WL_IDLE_STATUS;
  return status_;
}

bool WiFiClass::disconnect(bool wifioff, bool) {
  status_ = WL_DISCONNECTED;
  if (wifioff) mode_ = WIFI_MODE_NULL;
  return true;
}

bool WiFiClass::reconnect() {
  status_ = twin::wifiBlocked() ? WL_DISCONNECTED : WL_CONNECTED;
  return true;
}

wl_status_t WiFiClass::status() { return mode_ == WIFI_MODE_NULL && status_ != WL_CONNECTED ? WL_STOPPED : status_; }

bool WiFiClass::mode(wifi_mode_t mode) {
  mode_ = mode;
  if (mode == WIFI_MODE_NULL) status_ = WL_STOPPED;
  return true;
}

bool WiFiClass::setAutoReconnect(bool autoReconnect) {
  autoReconnect_ = autoReconnect;
  return true;
}

bool WiFiClass::setSleep(bool) { return true; }
bool WiFiClass::setSleep(wifi_ps_type_t) { return true; }

bool WiFiClass::setHostname(const char* hostname) {
  hostname_ = hostname ? hostname : "";
  return true;
}

const char* WiFiClass::getHostname() {
  if (hostname_.length() == 0) hostname_ = String("esp32-") + String(twin::machineCode().c_str());
  return hostname_.c_str();
}

IPAddress WiFiClass::localIP() { return status() == WL_CONNECTED ? IPAddress(127, 0, 0, 1) : IPAddress(); }
IPAddress WiFiClass::gatewayIP() { return status() == WL_CONNECTED ? IPAddress(127, 0, 0, 1) : IPAddress(); }
IPAddress WiFiClass::subnetMask() { return status() == WL_CONNECTED ? IPAddress(255, 0, 0, 0) : IPAddress(); }
IPAddress WiFiClass::dnsIP(uint8_t) { return status() == WL_CONNECTED ? IPAddress(127, 0, 0, 53) : IPAddress(); }

uint8_t* WiFiClass::macAddress(uint8_t* mac) {
  esp_read_mac(mac, ESP_MAC_WIFI_STA);
  return mac;
}

String WiFiClass::macAddress() {
  uint8_t mac[6];
  macAddress(mac);
  char text[18];
  snprintf(text, sizeof text, "%02X:%02X:%02X:%02X:%02X:%02X", mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
  return String(text);
}

String WiFiClass::SSID() { return status() == WL_CONNECTED ? ssid_ : String(); }
String WiFiClass::BSSIDstr() { return String("02:00:00:00:00:01"); }
int8_t WiFiClass::RSSI() { return status() == WL_CONNECTED ? -55 : 0; }

int WiFiClass::hostByName(const char* host, IPAddress& result) {
  if (!host || !*host) return 0;
  addrinfo hints;
  memset(&hints, 0, sizeof hints);
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  // IPv4 first, as lwIP's default resolver answers.
  for (int family : {AF_INET, AF_INET6}) {
    hints.ai_family = family;
    if (getaddrinfo(host, nullptr, &hints, &found) == 0 && found) {
      sockaddr_storage address;
      memset(&address, 0, sizeof address);
      memcpy(&address, found->ai_addr, found->ai_addrlen);
      freeaddrinfo(found);
      result = fromSockaddr(address);
      return 1;
    }
  }
  log_e("DNS failed for %s", host);
  return 0;
}

// ---------------------------------------------------------------- NetworkClient

NetworkClient::NetworkClient() {}

NetworkClient::~NetworkClient() { NetworkClient::stop(); }

int NetworkClient::openSocket(const IPAddress& ip, uint16_t port, int32_t timeoutMs) {
  sockaddr_storage address;
  socklen_t length;
  toSockaddr(ip, port, address, length);
  const int fd = socket(address.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) {
    log_e("socket: %d", errno);
    return -1;
  }
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), length) < 0 && errno != EINPROGRESS) {
    log_e("connect on fd %d, errno: %d, \"%s\"", fd, errno, strerror(errno));
    close(fd);
    return -1;
  }
  pollfd wait = {fd, POLLOUT, 0};
  const int ready = poll(&wait, 1, timeoutMs < 0 ? -1 : timeoutMs);
  int error = 0;
  socklen_t errorLength = sizeof error;
  if (ready <= 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &errorLength) < 0 || error != 0) {
    log_i("connect to port %u failed: %s", port, ready == 0 ? "timeout" : strerror(error ? error : errno));
    close(fd);
    return -1;
  }
  return fd;
}

int NetworkClient::pendingBytes(int fd) {
  int count = 0;
  if (fd < 0 || ioctl(fd, FIONREAD, &count) < 0) return -1;
  return count;
}

int NetworkClient::connect(IPAddress ip, uint16_t port) { return connect(ip, port, timeoutMs_); }

int NetworkClient::connect(IPAddress ip, uint16_t port, int32_t timeoutMs) {
  stop();
  timeoutMs_ = timeoutMs;
  const int fd = openSocket(ip, port, timeoutMs);
  if (fd < 0) return 0;
  fd_ = fd;
  connected_ = true;
  rxPos_ = rxFill_ = 0;
  rxFailed_ = false;
  return 1;
}

int NetworkClient::connect(const char* host, uint16_t port) { return connect(host, port, timeoutMs_); }

int NetworkClient::connect(const char* host, uint16_t port, int32_t timeoutMs) {
  IPAddress address;
  if (!WiFi.hostByName(host, address)) return 0;
  return connect(address, port, timeoutMs);
}

void NetworkClient::stop() {
  twin::tapReset(this);
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
  connected_ = false;
  rxPos_ = rxFill_ = 0;
}

bool NetworkClient::fillBuffer() {
  if (rxPos_ == rxFill_) rxPos_ = rxFill_ = 0;
  if (fd_ < 0 || rxFill_ >= sizeof rx_) return false;
  const int pending = pendingBytes(fd_);
  if (pending < 0) {
    rxFailed_ = true;
    return false;
  }
  if (pending == 0) return false;
  const ssize_t got = recv(fd_, rx_ + rxFill_, sizeof rx_ - rxFill_, MSG_DONTWAIT);
  if (got < 0) {
    if (errno != EWOULDBLOCK && errno != EAGAIN) rxFailed_ = true;
    return false;
  }
  rxFill_ += static_cast<size_t>(got);
  return got > 0;
}

int NetworkClient::available() {
  if (fd_ < 0) return 0;
  fillBuffer();
  const int pending = pendingBytes(fd_);
  const int count = static_cast<int>(rxFill_ - rxPos_) + (pending > 0 ? pending : 0);
  if (rxFailed_) {
    log_e("fail on fd %d, errno: %d, \"%s\"", fd_, errno, strerror(errno));
    stop();
  }
  return count;
}

int NetworkClient::read(uint8_t* buf, size_t size) {
  if (fd_ < 0) return -1;
  size_t done = 0;
  while (done < size) {
    if (rxPos_ == rxFill_ && !fillBuffer()) break;
    const size_t chunk = std::min(size - done, rxFill_ - rxPos_);
    memcpy(buf + done, rx_ + rxPos_, chunk);
    rxPos_ += chunk;
    done += chunk;
  }
  if (rxFailed_) {
    log_e("fail on fd %d, errno: %d, \"%s\"", fd_, errno, strerror(errno));
    stop();
    return done > 0 ? static_cast<int>(done) : -1;
  }
  return static_cast<int>(done);
}

int NetworkClient::read() {
  uint8_t data = 0;
  const int got = read(&data, 1);
  return got == 1 ? data : -1;
}

int NetworkClient::peek() {
  if (fd_ < 0) return -1;
  if (rxPos_ == rxFill_ && !fillBuffer()) return -1;
  return rx_[rxPos_];
}

void NetworkClient::flush() {}

size_t NetworkClient::write(uint8_t data) { return write(&data, 1); }

size_t NetworkClient::write(const uint8_t* buf, size_t size) {
  if (!connected_ || fd_ < 0) return 0;
  size_t sent = 0;
  int retry = kMaxWriteRetry;
  while (retry > 0 && sent < size) {
    --retry;
    pollfd wait = {fd_, POLLOUT, 0};
    const int ready = poll(&wait, 1, kSelectTimeoutMs);
    if (ready < 0) return sent;
    if (ready == 0) continue;
    const ssize_t wrote = send(fd_, buf + sent, size - sent, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (wrote > 0) {
      twin::tapWrite(this, buf + sent, static_cast<size_t>(wrote));
      sent += static_cast<size_t>(wrote);
      retry = kMaxWriteRetry;
    } else if (wrote < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
      log_e("fail on fd %d, errno: %d, \"%s\"", fd_, errno, strerror(errno));
      stop();
      return sent;
    }
  }
  return sent;
}

uint8_t NetworkClient::connected() {
  if (!connected_) return 0;
  if (fd_ < 0) {
    connected_ = false;
    return 0;
  }
  // lwIP answers a zero-length recv with ENOTCONN once the peer's FIN is
  // the next thing to read, and with the socket's error after a reset.
  // Linux's zero-length recv says neither: peek one byte instead.
  if (rxPos_ < rxFill_) return 1;
  uint8_t byte;
  const ssize_t got = recv(fd_, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (got == 0 || (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
    log_d("Disconnected: RES: %zd, ERR: %d", got, errno);
    connected_ = false;
  }
  return connected_ ? 1 : 0;
}

void NetworkClient::setTimeout(unsigned long timeoutMs) {
  Stream::setTimeout(timeoutMs);
  timeoutMs_ = static_cast<int32_t>(timeoutMs);
}

int NetworkClient::setNoDelay(bool nodelay) {
  const int flag = nodelay ? 1 : 0;
  return setSocketOption(IPPROTO_TCP, TCP_NODELAY, &flag, sizeof flag);
}

bool NetworkClient::getNoDelay() {
  int flag = 0;
  socklen_t length = sizeof flag;
  if (fd() < 0 || getsockopt(fd(), IPPROTO_TCP, TCP_NODELAY, &flag, &length) < 0) return false;
  return flag != 0;
}

int NetworkClient::setSocketOption(int level, int option, const void* value, size_t len) {
  if (fd() < 0) return -1;
  return setsockopt(fd(), level, option, value, static_cast<socklen_t>(len));
}

IPAddress NetworkClient::remoteIP() const {
  sockaddr_storage address;
  socklen_t length = sizeof address;
  if (fd() < 0 || getpeername(fd(), reinterpret_cast<sockaddr*>(&address), &length) < 0) return IPAddress();
  return fromSockaddr(address);
}

uint16_t NetworkClient::remotePort() const {
  sockaddr_storage address;
  socklen_t length = sizeof address;
  if (fd() < 0 || getpeername(fd(), reinterpret_cast<sockaddr*>(&address), &length) < 0) return 0;
  return portOf(address);
}

IPAddress NetworkClient::localIP() const {
  sockaddr_storage address;
  socklen_t length = sizeof address;
  if (fd() < 0 || getsockname(fd(), reinterpret_cast<sockaddr*>(&address), &length) < 0) return IPAddress();
  return fromSockaddr(address);
}

uint16_t NetworkClient::localPort() const {
  sockaddr_storage address;
  socklen_t length = sizeof address;
  if (fd() < 0 || getsockname(fd(), reinterpret_cast<sockaddr*>(&address), &length) < 0) return 0;
  return portOf(address);
}
