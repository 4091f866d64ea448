// The machine's decision logic: the /devices session (PROTOCOL.md), the
// command store and queue, the dispenser, the result outbox, telemetry and
// the serial command path. The sketch feeds it events and calls tick();
// it never blocks.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <deque>
#include <string>
#include <vector>

#include "backoff.h"
#include "command_store.h"
#include "dispenser.h"
#include "frames.h"
#include "json.h"
#include "log_ring.h"
#include "ota.h"
#include "platform.h"
#include "serial_protocol.h"
#include "server_clock.h"
#include "settings.h"
#include "types.h"

namespace vendora {

/** Settings of a Device; durations in milliseconds. */
struct DeviceConfig {
  std::string machine;   // machine code, 1–64 visible ASCII characters
  std::string key;       // device key, 1–256 characters
  std::string firmware;  // reported in `status`, at most 64 characters
  int slotCount;         // motors are slots 1..slotCount (at most 64)
  DispenseTimings dispense;
  uint32_t statusIntervalMs;     // TELEMETRY_PERIOD_MS: `status` after hello, then this often
  uint32_t resendIntervalMs;     // an unacked vend_result is sent again this often (§6.3)
  uint32_t linkAttemptMs;        // one connection attempt may take this long
  uint32_t helloTimeoutMs;       // after the 40, `hello` must come within this
  uint32_t reconnectMinMs;       // back-off after a failed or lost connection ...
  uint32_t reconnectMaxMs;       // ... doubling up to this
  uint32_t authRetryMinMs;       // back-off after invalid_credentials (§2: 30 s or more) ...
  uint32_t authRetryMaxMs;       // ... doubling up to this
  size_t queueCapacity;          // commands waiting behind the running vend
  uint32_t queueMaxWaitMs;       // a queued command older than this is not vended (no_drop), when it has no usable deadline
  /**
   * VEND_DEADLINE_MARGIN_MS: a motor starts only if the whole dispense
   * cycle (sensorWaitMs + motorMaxMs + dropWaitMs) plus this margin ends
   * before the command's `expires_at`, else the command is answered
   * `expired`. The margin covers the result's way to the server and the
   * lag of the clock taken from `hello` (PROTOCOL.md §6.5).
   */
  uint32_t deadlineMarginMs;
  uint32_t displayDefaultMs;     // how long a display_code shows when it names no ttl_ms
  DeviceConfig();
};

/**
 * Checks a configuration.
 *
 * @returns nullptr when usable for the socket link, else what is wrong
 *   (the serial path works regardless)
 */
const char* configProblem(const DeviceConfig& config);

/**
 * The optional parts of the board for remote operations (PROTOCOL.md §13).
 * A null pointer turns its feature off: `ota` and `reboot` are then
 * refused `not_supported`, and `config` is applied in RAM only.
 */
struct RemoteOps {
  Storage* settings;    // where pushed settings are kept across restarts
  OtaUpdater* ota;      // firmware updates
  Restarter* restarter; // the `reboot` command
  RemoteOps() : settings(nullptr), ota(nullptr), restarter(nullptr) {}
};

/**
 * The socket.io link as the Device sees it:
 *   Offline    waiting (network down, or back-off after a failure)
 *   Connecting the sketch runs SocketIOclient::loop(), which connects
 *   Joining    websocket up, `40/devices,{...}` sent, waiting for `hello`
 *   Ready      `hello` seen: the device may send on /devices
 */
enum class LinkState : uint8_t { Offline, Connecting, Joining, Ready };

/** Name for logs: offline, connecting, joining, ready. */
const char* linkStateName(LinkState state);

/**
 * A vending machine controller. Rules it enforces (PROTOCOL.md §6):
 *
 * - nothing is sent on /devices before `hello`, and `40/devices,...` once per
 *   connection;
 * - a command id is stored (VENDING, saved to flash) before its motor turns;
 *   a repeated id is never vended again: a finished one gets its stored
 *   result, a running or queued one is merged;
 * - a reboot turns VENDING entries into `interrupted`;
 * - each result is resent after every `hello` and every resendIntervalMs
 *   until acked (`ok:true`, or `invalid_payload` which can never succeed);
 * - one vend at a time, others queued first in, first out.
 */
class Device : private OtaListener {
 public:
  Device(const DeviceConfig& config, const Platform& platform, JsonReader& json);

  /** Wires the remote operations; call before begin(). */
  void attachRemote(const RemoteOps& remote) { remote_ = remote; }

  /**
   * Boot: loads the store and turns interrupted vends into results (each
   * serial one announced with a `RESULT` line). Call once, before anything else.
   */
  void begin();

  /** Advances the vend, the queue, the link timers, resends and telemetry. Call every loop. */
  void tick();

  /**
   * A SocketIOclient callback, as the library reports it: `type` is the
   * socketIOmessageType_t character ('0' connect ... '6'), `payload` the
   * text after `4<type>` (the URL for the websocket's own connect event,
   * nothing for a lost link).
   */
  void onSocketIoEvent(char type, const char* payload, size_t length);

  /** Whether Wi-Fi is up and the server's address is known. */
  void setNetworkReady(bool ready);

  /**
   * What SocketIOclient::isConnected() says, every loop. False while the
   * device is joining or joined means the link died without a disconnect
   * event reaching the core: it is handled as a lost link (back-off, then
   * a new connection and a new `40/devices,...`).
   */
  void setLinkConnected(bool connected);

  /**
   * Whether the sketch should call SocketIOclient::loop() now. False while
   * backing off, while a vend runs with no connection yet (the library's
   * connect blocks for seconds), and while a motor turns (the library
   * writes pongs and pings, and a write to a stalled link blocks).
   */
  bool shouldRunLink() const;

  /**
   * Whether the sketch may make a network call that can block (close the
   * socket, SocketIOclient::loop()): not while a motor turns.
   */
  bool mayUseNetwork() const { return !dispenser_.motorOn(); }

  /** One byte from the USB serial console. */
  void onSerialByte(char c);

  /** One complete serial line (without `\n`). */
  void onSerialLine(const std::string& line);

  /**
   * The dispenser, for the board's interrupts and cut-off timer: they call
   * its interrupt half (onBeamEdge, onHomeSwitch, onMaxRunTimer) directly.
   */
  Dispenser& dispenser() { return dispenser_; }

  LinkState linkState() const { return link_; }
  bool vending() const { return dispenser_.busy(); }
  size_t queued() const { return queue_.size(); }
  const CommandStore& store() const { return store_; }
  /** Connection attempts that failed since the last `hello` (the sketch rediscovers after a few). */
  uint32_t linkFailures() const { return linkFailures_; }
  /** The ack id the next vend_result will carry. */
  uint32_t nextAckId() const { return nextAckId_; }
  /** Sets the next ack id (tests; any value 1–999999999). */
  void setNextAckId(uint32_t id);
  /** Motor runs and jams per slot since boot (also in `status`). */
  const std::vector<SlotCounters>& slotCounters() const { return slotCounters_; }
  /** Milliseconds until the link may be tried again (0 when not backing off). */
  uint64_t retryInMs() const;
  /** The settings `config` may change, as running. */
  const RuntimeSettings& settings() const { return settings_; }
  /** The log lines kept for `logs`. */
  const LogRing& logRing() const { return logRing_; }
  /** Whether a `reboot` was accepted and the restart is due. */
  bool rebootPending() const { return rebootPending_; }
  /** Why a vend would be refused now (`updating`, `rebooting`), or nullptr. */
  const char* vendRefusal() const;

 private:
  struct QueuedVend {
    std::string id;
    bool slotValid;
    int slot;
    bool fromSocket;
    bool fromSerial;
    uint64_t enqueuedMs;
    bool hasDeadline;
    int64_t expiresAtMs;  // server clock, epoch ms
  };
  /** What a command asks of the dispenser. */
  struct VendRequest {
    std::string id;
    bool slotValid;
    int slot;
    bool hasDeadline;
    int64_t expiresAtMs;
    VendRequest() : slotValid(false), slot(0), hasDeadline(false), expiresAtMs(0) {}
  };
  struct InFlight {
    uint32_t ackId;
    std::string commandId;
  };

  // Link
  void onLinkUp();
  void onLinkDown(const char* why);
  void loseLink(const char* why);
  void failLink(const char* why, bool authRefused);
  void updateLink(uint64_t now);
  void handleEvent(const Packet& packet);
  void handleAck(const Packet& packet);
  void handleConnectError(const Packet& packet);
  void onHello();
  bool sendFrame(const std::string& frame);

  // Vending
  void handleVend(const VendRequest& request, bool fromSocket, bool fromSerial);
  bool tooLate(bool hasDeadline, int64_t expiresAtMs, uint64_t now, const std::string& id);
  void finishWithoutVend(const std::string& id, VendResult result, bool fromSocket, bool fromSerial);
  void startNextVend(uint64_t now);
  void finishVend(VendResult result);
  bool saveStore();

  // Outbox and telemetry
  void flushOutbox(uint64_t now);
  void sendStatus(uint64_t now);
  uint32_t takeAckId();

  // Remote operations
  void handleOta();
  void handleConfig();
  void handleReboot();
  void handleLogs();
  void applySettings();
  void queueRemoteFrame(const std::string& frame);
  void flushRemote();
  void onOtaProgress(const OtaProgress& progress) override;
  void onOtaLog(const std::string& message) override;

  // Console
  void printStatus();
  void printHelp();
  void log(const std::string& message);
  void writeResult(const std::string& id, VendResult result);

  DeviceConfig config_;
  Platform platform_;
  JsonReader& json_;
  CommandStore store_;
  Dispenser dispenser_;
  LineReader lineReader_;
  std::deque<QueuedVend> queue_;
  std::vector<InFlight> inFlight_;
  std::string currentId_;
  const char* configProblem_;

  LinkState link_;
  bool networkReady_;
  bool linkConnected_;  // SocketIOclient::isConnected(), as last told
  uint64_t stateSinceMs_;
  uint64_t retryAtMs_;
  Backoff reconnectBackoff_;
  Backoff authBackoff_;
  uint32_t linkFailures_;
  uint32_t connection_;  // counts hellos; 0 = never connected
  uint32_t nextAckId_;
  uint64_t lastStatusMs_;
  bool statusDue_;  // a status asked for while a motor turned
  std::vector<SlotCounters> slotCounters_;  // since boot, slot i+1 at i
  bool saveDeferred_;  // a store write asked for while a motor turned
  ServerClock serverClock_;
  RemoteOps remote_;
  RuntimeSettings settings_;
  LogRing logRing_;
  std::deque<std::string> remoteOutbox_;  // ota_progress frames waiting for the link
  bool rebootPending_;
  uint64_t rebootAtMs_;
};

}  // namespace vendora
