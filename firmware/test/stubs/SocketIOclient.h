// Stub of Links2004 arduinoWebSockets 2.7.x for `make check-sketch`: the
// members the sketch uses, with the library's access levels
// (SocketIOclient inherits WebSocketsClient protected).
#pragma once
#include "Arduino.h"
#include "WiFi.h"
#include "WiFiClientSecure.h"

// WebSockets.h, for the ESP32.
#define NETWORK_ESP32 (4)
#define NETWORK_CUSTOM (10)
#define WEBSOCKETS_NETWORK_TYPE NETWORK_ESP32
#define WEBSOCKETS_NETWORK_CLASS WiFiClient
#define WEBSOCKETS_NETWORK_SSL_CLASS WiFiClientSecure
#define WEBSOCKETS_TCP_TIMEOUT (5000)

typedef struct {
  WEBSOCKETS_NETWORK_CLASS* tcp;
  bool isSSL;
  WEBSOCKETS_NETWORK_SSL_CLASS* ssl;
} WSclient_t;

typedef enum {
  sIOtype_CONNECT = '0',
  sIOtype_DISCONNECT = '1',
  sIOtype_EVENT = '2',
  sIOtype_ACK = '3',
  sIOtype_ERROR = '4',
  sIOtype_BINARY_EVENT = '5',
  sIOtype_BINARY_ACK = '6',
} socketIOmessageType_t;

class WebSocketsClient {
 public:
  void beginSocketIOSSLWithCA(const char* host, uint16_t port, const char* url = "/socket.io/?EIO=3",
                              const char* CA_cert = NULL, const char* protocol = "arduino");
  void enableHeartbeat(uint32_t pingInterval, uint32_t pongTimeout, uint8_t disconnectTimeoutCount);
  void disconnect(void);
  void setReconnectInterval(unsigned long time);
  void loop(void);
  bool isConnected(void);

 protected:
  String _host;
  uint16_t _port;
  const char* _CA_cert;
  WSclient_t _client;
  unsigned long _lastConnectionFail;
  unsigned long _reconnectInterval;
  bool clientIsConnected(WSclient_t* client);
  void connectedCb();
};

class SocketIOclient : protected WebSocketsClient {
 public:
  typedef std::function<void(socketIOmessageType_t type, uint8_t* payload, size_t length)> SocketIOclientEvent;
  void begin(const char* host, uint16_t port, const char* url = "/socket.io/?EIO=3", const char* protocol = "arduino",
             uint32_t pingInterval = 60 * 1000, uint32_t pongTimeout = 90 * 1000, uint8_t disconnectTimeoutCount = 5);
  bool isConnected(void);
  void onEvent(SocketIOclientEvent cbEvent);
  void disconnect(void);
  bool send(socketIOmessageType_t type, const char* payload, size_t length = 0);
  void setReconnectInterval(unsigned long time);
  void loop(void);

 protected:
  void initClient(void);
};
