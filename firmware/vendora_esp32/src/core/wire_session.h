// What SocketIOclient (Links2004 arduinoWebSockets) does below the
// namespace layer, for a transport that hands over raw Engine.IO frames:
// the host tests that replay firmware/protocol/*.json use it. The sketch
// does not: the library does this work there.
#pragma once

#include <stddef.h>

#include <string>

#include "device.h"
#include "platform.h"

namespace vendora {

/**
 * Turns whole server frames into the callbacks the library would make:
 *
 * - polling handshake done (`openedByPolling`): the websocket upgrade sends
 *   `2probe` and `5`, then reports "connected" (the Device sends its 40);
 * - a direct websocket's first frame (the open packet `0{...}`): "connected";
 * - `2` is answered `3` (the library pongs by itself);
 * - `3probe`, `6`: nothing; `1`: connection closed;
 * - `4<type>...`: the packet, as the library hands it over.
 */
class WireSession {
 public:
  WireSession(Device& device, Transport& transport);

  /** The polling handshake returned its open packet; the websocket is now up. */
  void openedByPolling(const std::string& openPacket);

  /** One websocket text frame from the server. */
  void onFrame(const std::string& frame);

  /**
   * The TCP connection ended and the library noticed: its disconnect
   * event, with no payload (arduinoWebSockets 2.7.2 and older) or with
   * the reason newer releases give (`"Connection lost"`).
   */
  void closed(const char* reason = nullptr);

  /**
   * The connection is gone and the library has not said so yet: no
   * event, only SocketIOclient::isConnected() turns false.
   */
  void droppedSilently() { open_ = false; }

  /** What SocketIOclient::isConnected() would answer. */
  bool isOpen() const { return open_; }

 private:
  Device& device_;
  Transport& transport_;
  bool open_;
};

}  // namespace vendora
