#include "wire_session.h"

#include <string.h>

#include "frames.h"

namespace vendora {

namespace {
// What SocketIOclient passes with its own "connected" event: the URL.
const char kConnectedUrl[] = "/socket.io/?EIO=4&transport=websocket";
}

WireSession::WireSession(Device& device, Transport& transport)
    : device_(device), transport_(transport), open_(false) {}

void WireSession::openedByPolling(const std::string& openPacket) {
  (void)openPacket;
  open_ = true;
  transport_.sendFrame("2probe");
  transport_.sendFrame("5");
  device_.onSocketIoEvent('0', kConnectedUrl, sizeof kConnectedUrl - 1);
}

void WireSession::onFrame(const std::string& frame) {
  EngineFrame engine;
  if (parseEngineFrame(frame.data(), frame.size(), engine) != FrameError::None) return;
  switch (engine.type) {
    case '0':
      if (!open_) {
        open_ = true;
        device_.onSocketIoEvent('0', kConnectedUrl, sizeof kConnectedUrl - 1);
      }
      return;
    case '1':
      closed();
      return;
    case '2':
      transport_.sendFrame("3" + std::string(engine.data, engine.length));
      return;
    case '4':
      if (engine.length == 0) return;
      device_.onSocketIoEvent(engine.data[0], engine.data + 1, engine.length - 1);
      return;
    default:
      return;  // 3probe, 5, 6
  }
}

void WireSession::closed(const char* reason) {
  if (!open_) return;
  open_ = false;
  device_.onSocketIoEvent('1', reason, reason == nullptr ? 0 : strlen(reason));
}

}  // namespace vendora
