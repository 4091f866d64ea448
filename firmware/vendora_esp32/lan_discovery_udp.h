// The UDP side of LAN discovery (PROTOCOL.md §12), with lwIP's BSD sockets:
// SO_BROADCAST can be set on them, which WiFiUDP does not expose. Method
// names avoid send/close/bind..., which some lwIP builds define as macros.
#pragma once

#include <fcntl.h>
#include <lwip/sockets.h>
#include <string.h>
#include <unistd.h>

#include <string>

#include "src/core/discovery.h"

/** A non-blocking UDP socket that broadcasts requests and reads replies. */
class LanDiscoveryUdp {
 public:
  ~LanDiscoveryUdp() { closeSocket(); }

  /** @returns false when the socket cannot be made (out of sockets) */
  bool openSocket() {
    if (fd_ >= 0) return true;
    fd_ = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    if (fd_ < 0) return false;
    int yes = 1;
    setsockopt(fd_, SOL_SOCKET, SO_BROADCAST, &yes, sizeof yes);
    fcntl(fd_, F_SETFL, fcntl(fd_, F_GETFL, 0) | O_NONBLOCK);
    struct sockaddr_in local;
    memset(&local, 0, sizeof local);
    local.sin_family = AF_INET;
    local.sin_port = htons(0);  // any port: the server answers the request's source port
    local.sin_addr.s_addr = htonl(INADDR_ANY);
    if (bind(fd_, reinterpret_cast<struct sockaddr*>(&local), sizeof local) != 0) {
      closeSocket();
      return false;
    }
    return true;
  }

  /** Broadcasts `request` to 255.255.255.255:12346. */
  bool broadcastRequest(const std::string& request) {
    if (fd_ < 0) return false;
    struct sockaddr_in to;
    memset(&to, 0, sizeof to);
    to.sin_family = AF_INET;
    to.sin_port = htons(vendora::kDiscoveryPort);
    to.sin_addr.s_addr = htonl(INADDR_BROADCAST);
    const int sent = sendto(fd_, request.data(), request.size(), 0, reinterpret_cast<struct sockaddr*>(&to), sizeof to);
    return sent == static_cast<int>(request.size());
  }

  /** One waiting datagram into `buffer`. @returns its length, or -1 when none waits */
  int receiveReply(char* buffer, size_t size) {
    if (fd_ < 0) return -1;
    return static_cast<int>(recvfrom(fd_, buffer, size, 0, nullptr, nullptr));
  }

  void closeSocket() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};
