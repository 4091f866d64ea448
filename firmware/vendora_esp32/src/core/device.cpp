#include "device.h"

namespace vendora {

namespace {

const size_t kMaxInFlight = 32;
const size_t kMaxSendsPerFlush = 4;
const uint32_t kMaxAckId = 999999999;  // ids stay at most 9 digits
// ota_progress frames held while the link is down; the oldest go first.
const size_t kMaxRemoteOutbox = 16;
// A `reboot` is answered, then the board restarts this much later, so the
// answer can leave first.
const uint32_t kRebootDelayMs = 1000;
// `logs` without a usable count answers this many lines.
const size_t kDefaultLogLines = 20;

std::string str(uint64_t value) {
  std::string out;
  appendUnsigned(out, value);
  return out;
}

std::string strSigned(int64_t value) {
  std::string out;
  appendSigned(out, value);
  return out;
}

}  // namespace

DeviceConfig::DeviceConfig()
    : slotCount(5),
      statusIntervalMs(60000),
      resendIntervalMs(5000),
      linkAttemptMs(10000),
      helloTimeoutMs(15000),
      reconnectMinMs(1000),
      reconnectMaxMs(30000),
      authRetryMinMs(30000),
      authRetryMaxMs(300000),
      queueCapacity(4),
      queueMaxWaitMs(40000),
      deadlineMarginMs(2000),
      displayDefaultMs(60000) {}

const char* configProblem(const DeviceConfig& config) {
  if (!isVisibleAscii(config.machine, kMaxMachineLength)) return "machine code must be 1-64 visible ASCII characters";
  if (config.key.empty() || config.key.size() > kMaxKeyLength) return "device key must be 1-256 characters";
  if (config.firmware.size() > kMaxFirmwareLength) return "firmware version must be at most 64 characters";
  if (config.slotCount < 1 || config.slotCount > 64) return "slot count must be 1-64";
  return nullptr;
}

const char* linkStateName(LinkState state) {
  switch (state) {
    case LinkState::Offline:
      return "offline";
    case LinkState::Connecting:
      return "connecting";
    case LinkState::Joining:
      return "joining";
    case LinkState::Ready:
      return "ready";
  }
  return "offline";
}

Device::Device(const DeviceConfig& config, const Platform& platform, JsonReader& json)
    : config_(config),
      platform_(platform),
      json_(json),
      store_(platform.storage),
      dispenser_(platform.hardware, platform.clock, config.dispense),
      configProblem_(configProblem(config)),
      link_(LinkState::Offline),
      networkReady_(false),
      linkConnected_(true),
      stateSinceMs_(0),
      retryAtMs_(0),
      reconnectBackoff_(config.reconnectMinMs, config.reconnectMaxMs),
      authBackoff_(config.authRetryMinMs, config.authRetryMaxMs),
      linkFailures_(0),
      connection_(0),
      nextAckId_(1),
      lastStatusMs_(0),
      statusDue_(false),
      saveDeferred_(false),
      rebootPending_(false),
      rebootAtMs_(0) {
  // config.h's values until the server pushes others (or they were stored).
  settings_.maxMotorRunMs = config.dispense.motorMaxMs;
  settings_.beamMinPulseUs = config.dispense.beamMinPulseUs;
  settings_.beamIgnoreMs = config.dispense.beamIgnoreAfterStartMs;
  settings_.telemetryPeriodMs = config.statusIntervalMs;
}

void Device::begin() {
  // Counters since boot: they cost no flash write (PROTOCOL.md §3, status).
  const int slots = config_.slotCount < 0 ? 0 : (config_.slotCount > 64 ? 64 : config_.slotCount);
  slotCounters_.assign(static_cast<size_t>(slots), SlotCounters());
  for (int i = 0; i < slots; ++i) slotCounters_[static_cast<size_t>(i)].slot = i + 1;
  const bool loaded = store_.load();
  size_t recovered = 0;
  const std::vector<std::string> serialIds = store_.recoverInterrupted(&recovered);
  if (recovered > 0) {
    // Never resume a motor after a restart (§6.2): report, do not retry.
    log(str(recovered) + " vend(s) cut off by a restart: reported as interrupted");
    if (!saveStore()) log("flash write failed while recording interrupted vends");
  }
  for (size_t i = 0; i < serialIds.size(); ++i) writeResult(serialIds[i], VendResult::Interrupted);
  log(std::string("firmware ") + config_.firmware + ", machine " + config_.machine + ", " +
      str(store_.entries().size()) + " stored command(s)" + (loaded ? "" : " (store empty)"));
  if (configProblem_) log(std::string("config: ") + configProblem_ + "; socket link disabled, serial VEND still works");
  std::string blob;
  if (remote_.settings && remote_.settings->load(blob) && parseSettings(blob, settings_)) {
    applySettings();
    log("settings: stored values applied");
  }
  if (remote_.ota) remote_.ota->begin(config_.firmware, *this);
}

void Device::tick() {
  const uint64_t now = platform_.clock.nowMs();
  dispenser_.tick();
  VendResult result;
  if (dispenser_.takeResult(result)) finishVend(result);
  if (!dispenser_.busy()) startNextVend(now);
  // Flash writes wait while a motor turns (an erase stalls interrupts and
  // the timer task), and so does every send (a write to a stalled link
  // blocks for seconds). Both happen here once it has stopped, the write
  // first, so no result leaves before it is in flash.
  if (saveDeferred_ && !dispenser_.motorOn() && !saveStore()) log("flash write failed (held while a motor turned)");
  // No update step while a vend runs: a rollback or restart would cut it
  // off (updates themselves never start while one runs).
  if (remote_.ota && !dispenser_.busy()) remote_.ota->tick();
  updateLink(now);
  if (link_ == LinkState::Ready && !dispenser_.motorOn()) {
    flushOutbox(now);
    flushRemote();
    if (statusDue_ || now - lastStatusMs_ >= config_.statusIntervalMs) sendStatus(now);
  }
  if (rebootPending_ && now >= rebootAtMs_ && !dispenser_.busy() && remote_.restarter) {
    rebootPending_ = false;
    log("restarting: the server asked for it");
    // Acks held in RAM reach flash first, so no result is sent again after it.
    if (!saveStore()) log("flash write failed before the restart");
    remote_.restarter->restart();
  }
}

// ---------------------------------------------------------------- link

void Device::setNetworkReady(bool ready) { networkReady_ = ready; }

bool Device::shouldRunLink() const {
  // The library may write (a pong, its heartbeat ping) and a write to a
  // stalled link blocks: not while a motor turns.
  if (!mayUseNetwork()) return false;
  switch (link_) {
    case LinkState::Offline:
      return false;
    case LinkState::Connecting:
      return !dispenser_.busy();
    case LinkState::Joining:
    case LinkState::Ready:
      return true;
  }
  return false;
}

uint64_t Device::retryInMs() const {
  const uint64_t now = platform_.clock.nowMs();
  return link_ == LinkState::Offline && retryAtMs_ > now ? retryAtMs_ - now : 0;
}

void Device::updateLink(uint64_t now) {
  if (configProblem_) return;
  switch (link_) {
    case LinkState::Offline:
      if (networkReady_ && now >= retryAtMs_ && !dispenser_.busy()) {
        link_ = LinkState::Connecting;
        stateSinceMs_ = now;
      }
      return;
    case LinkState::Connecting:
      if (!networkReady_) {
        // Not a server failure: try again as soon as the network is back.
        platform_.transport.requestDisconnect();
        link_ = LinkState::Offline;
        retryAtMs_ = now;
      } else if (now - stateSinceMs_ >= config_.linkAttemptMs) {
        failLink("no connection", false);
      }
      return;
    case LinkState::Joining:
      if (!networkReady_) {
        failLink("network lost", false);
      } else if (!linkConnected_) {
        loseLink("the library reports no connection");
      } else if (now - stateSinceMs_ >= config_.helloTimeoutMs) {
        failLink("no hello from the server", false);
      }
      return;
    case LinkState::Ready:
      if (!networkReady_) {
        failLink("network lost", false);
      } else if (!linkConnected_) {
        loseLink("the library reports no connection");
      }
      return;
  }
}

void Device::failLink(const char* why, bool authRefused) {
  const uint64_t now = platform_.clock.nowMs();
  platform_.transport.requestDisconnect();
  const uint32_t delay = authRefused ? authBackoff_.next(platform_.system.random32())
                                     : reconnectBackoff_.next(platform_.system.random32());
  link_ = LinkState::Offline;
  retryAtMs_ = now + delay;
  ++linkFailures_;
  log(std::string("link: ") + why + "; retrying in " + str(delay) + " ms");
}

void Device::onLinkUp() {
  if (configProblem_) {
    platform_.transport.requestDisconnect();
    return;
  }
  if (link_ == LinkState::Joining || link_ == LinkState::Ready) {
    // The library reports "connected" once per websocket, after its
    // upgrade: this is a new connection, so the one we joined is gone even
    // though no disconnect was reported. The new one needs its own 40
    // (the server's `40/devices,{"sid"}` reply never gets here: it names
    // the namespace and is read as a packet).
    log("link: a new connection without a disconnect before it; joining on it");
  }
  linkConnected_ = true;
  std::string frame;
  buildConnectFrame(config_.machine, config_.key, frame);
  link_ = LinkState::Joining;
  stateSinceMs_ = platform_.clock.nowMs();
  sendFrame(frame);
}

void Device::setLinkConnected(bool connected) { linkConnected_ = connected; }

void Device::loseLink(const char* why) {
  // Whatever the library still holds of the connection is dropped, so its
  // next connect starts from scratch when the back-off is over.
  platform_.transport.requestDisconnect();
  onLinkDown(why);
}

void Device::onLinkDown(const char* why) {
  if (link_ == LinkState::Offline || link_ == LinkState::Connecting) {
    // A failed connect attempt: the attempt window decides when to give up.
    return;
  }
  const uint64_t now = platform_.clock.nowMs();
  const uint32_t delay = reconnectBackoff_.next(platform_.system.random32());
  if (link_ == LinkState::Joining) ++linkFailures_;  // closed before hello: this server did not take us
  link_ = LinkState::Offline;
  retryAtMs_ = now + delay;
  log(std::string("link: ") + why + "; reconnecting in " + str(delay) + " ms");
}

void Device::onSocketIoEvent(char type, const char* payload, size_t length) {
  if (payload == nullptr) length = 0;
  if (type == '0' && !startsWith(payload, length, kDevicesNamespace)) {
    // SocketIOclient's own "connected" event (payload: the URL). The
    // server's `40/devices,{"sid":...}` reply is the other kind of '0'.
    onLinkUp();
    return;
  }
  if (type == '1' && (length == 0 || payload[0] != '/')) {
    // The websocket is gone, whatever the payload: arduinoWebSockets 2.7.2
    // and older report it empty, later releases with a reason ("Connection
    // lost", "TCP connection cleanup", "HTTP 502"). A socket.io packet
    // (`41/devices,`) always starts with its namespace.
    std::string why = "connection closed";
    if (length > 0) why += " (" + std::string(payload, length < 64 ? length : 64) + ")";
    onLinkDown(why.c_str());
    return;
  }

  Packet packet;
  const FrameError error = parsePacket(type, payload, length, packet);
  if (error != FrameError::None) {
    log(std::string("frame dropped: ") + frameErrorName(error));
    return;
  }
  if (packet.nsp != kDevicesNamespace) return;

  switch (packet.type) {
    case '0':
      return;  // namespace joined; `hello` is the signal that matters
    case '1':
      // `41/devices,`: a newer connection of this machine replaced this one.
      platform_.transport.requestDisconnect();
      onLinkDown("replaced by another connection of this machine");
      return;
    case '2':
      handleEvent(packet);
      return;
    case '3':
      handleAck(packet);
      return;
    case '4':
      handleConnectError(packet);
      return;
    default:
      return;
  }
}

void Device::handleConnectError(const Packet& packet) {
  std::string message;
  parseConnectError(json_, packet.data, packet.dataLength, message);
  const bool refused = message == "invalid_credentials";
  failLink(refused ? "server refused the machine code or key (invalid_credentials)"
                   : (std::string("connect error ") + (message.empty() ? "(none)" : message)).c_str(),
           refused);
}

void Device::handleEvent(const Packet& packet) {
  std::string name;
  if (!parseEventPayload(json_, packet.data, packet.dataLength, name)) {
    log("event dropped: malformed payload");
    return;
  }
  if (name == "hello") {
    onHello();
  } else if (name == "vend") {
    VendCommand command;
    if (!readVendCommand(json_, command)) {
      log("vend dropped: no usable command_id");
      return;
    }
    if (command.expiresAtUnreadable) log("command " + command.commandId + ": expires_at unreadable, no deadline");
    VendRequest request;
    request.id = command.commandId;
    request.slotValid = command.slotValid;
    request.slot = command.slot;
    request.hasDeadline = command.hasExpiresAt;
    request.expiresAtMs = command.expiresAtMs;
    handleVend(request, true, false);
  } else if (name == "display_code") {
    DisplayCode code;
    if (!readDisplayCode(json_, code)) {
      log("display_code dropped: no usable code");
      return;
    }
    platform_.display.showCode(code.code, code.hasTtl ? code.ttlMs : config_.displayDefaultMs);
  } else if (name == "ota") {
    handleOta();
  } else if (name == "config") {
    handleConfig();
  } else if (name == "reboot") {
    handleReboot();
  } else if (name == "logs") {
    handleLogs();
  } else {
    log("event ignored: " + name);
  }
}

void Device::onHello() {
  if (link_ != LinkState::Joining && link_ != LinkState::Ready) {
    log("hello ignored: not joining");
    return;
  }
  std::string machine;
  if (json_.getString({1, "machine"}, machine) && machine != config_.machine) {
    log("hello names machine " + machine + ", configured " + config_.machine);
  }
  // The clock vend deadlines are judged by. Without a readable server_time
  // the previous one (this boot) stays; with none, there is no deadline
  // check at all, as with a server that sends no expires_at.
  std::string serverTime;
  int64_t serverMs = 0;
  if (json_.getString({1, "server_time"}, serverTime) && parseIsoUtcMs(serverTime, serverMs)) {
    serverClock_.sync(serverMs, platform_.clock.nowMs());
  } else {
    log("hello without a readable server_time: vend deadlines " +
        std::string(serverClock_.synced() ? "judged by the clock of an earlier hello" : "not checked"));
  }
  link_ = LinkState::Ready;
  reconnectBackoff_.reset();
  authBackoff_.reset();
  linkFailures_ = 0;
  ++connection_;
  if (connection_ == 0) connection_ = 1;
  log("link: ready");
  const uint64_t now = platform_.clock.nowMs();
  sendStatus(now);
  flushOutbox(now);
  // A new image is kept once it has reached the server (PROTOCOL.md §13).
  if (remote_.ota) remote_.ota->onJoined();
  flushRemote();
}

bool Device::sendFrame(const std::string& frame) {
  // The whole "nothing before hello" rule lives here, and "nothing while a
  // motor turns" for events (the 40 answers the library's connect, which
  // only comes from SocketIOclient::loop(), not called then).
  const bool isConnect = frame.compare(0, 2, "40") == 0;
  if (isConnect ? link_ != LinkState::Joining : link_ != LinkState::Ready) return false;
  if (!isConnect && dispenser_.motorOn()) return false;
  return platform_.transport.sendFrame(frame);
}

// ---------------------------------------------------------------- acks

void Device::handleAck(const Packet& packet) {
  if (!packet.hasAckId) return;
  size_t index = inFlight_.size();
  for (size_t i = 0; i < inFlight_.size(); ++i) {
    if (inFlight_[i].ackId == packet.ackId) {
      index = i;
      break;
    }
  }
  if (index == inFlight_.size()) {
    log("ack " + str(packet.ackId) + " matches nothing sent");
    return;
  }
  const std::string commandId = inFlight_[index].commandId;
  inFlight_.erase(inFlight_.begin() + static_cast<long>(index));

  const AckOutcome outcome = parseAckPayload(json_, packet.data, packet.dataLength);
  StoredCommand* entry = store_.find(commandId);
  if (!entry) return;
  if (outcome == AckOutcome::Retry) {
    log("server could not take the result of " + commandId + "; resending later");
    return;
  }
  if (outcome == AckOutcome::InvalidPayload) {
    log("server refused the result of " + commandId + " as invalid_payload (firmware bug); not resending");
  }
  // Not written now: the flash keeps "awaiting ack" until the next write
  // (the next command's, before its motor), which carries this with it.
  // Lost in a restart before then, the result is sent once more after the
  // next hello and acked again, which changes nothing on the server (§4).
  entry->socketPending = false;
}

uint32_t Device::takeAckId() {
  const uint32_t id = nextAckId_;
  nextAckId_ = nextAckId_ >= kMaxAckId ? 1 : nextAckId_ + 1;
  return id;
}

void Device::setNextAckId(uint32_t id) { nextAckId_ = id == 0 || id > kMaxAckId ? 1 : id; }

void Device::flushOutbox(uint64_t now) {
  if (link_ != LinkState::Ready || dispenser_.motorOn() || saveDeferred_) return;
  size_t sent = 0;
  std::vector<StoredCommand>& entries = store_.entries();
  for (size_t i = 0; i < entries.size() && sent < kMaxSendsPerFlush; ++i) {
    StoredCommand& entry = entries[i];
    if (entry.state != CommandState::Done || !entry.socketPending) continue;
    // Sent on this connection and not yet due again: its ack may still come.
    if (entry.sentConnection == connection_ && now - entry.lastSentMs < config_.resendIntervalMs) continue;
    const uint32_t ackId = takeAckId();
    std::string frame;
    if (!buildVendResultFrame(ackId, entry.id, entry.result, frame) || !sendFrame(frame)) return;
    entry.sentConnection = connection_;
    entry.lastSentMs = now;
    InFlight record;
    record.ackId = ackId;
    record.commandId = entry.id;
    if (inFlight_.size() >= kMaxInFlight) inFlight_.erase(inFlight_.begin());
    inFlight_.push_back(record);
    ++sent;
  }
}

void Device::sendStatus(uint64_t now) {
  if (dispenser_.motorOn()) {
    statusDue_ = true;  // tick() sends it once the motor stops
    return;
  }
  statusDue_ = false;
  StatusReport status;
  status.firmware = config_.firmware;
  status.hasRssi = platform_.system.rssi(status.rssi);
  status.hasFreeHeap = true;
  status.freeHeap = platform_.system.freeHeap();
  status.hasUptime = true;
  status.uptimeMs = now;
  status.hasSensorOk = true;
  status.sensorOk = dispenser_.sensorOk();
  status.resetReason = platform_.system.resetReason();
  status.hasMinFreeHeap = true;
  status.minFreeHeap = platform_.system.minFreeHeap();
  status.hasReconnects = true;
  status.reconnects = connection_ > 0 ? connection_ - 1 : 0;
  status.hasPendingResults = true;
  status.pendingResults = static_cast<uint32_t>(store_.pendingCount());
  if (!platform_.system.ipAddress(status.ip)) status.ip.clear();
  if (!platform_.system.macAddress(status.mac)) status.mac.clear();
  status.slots = slotCounters_;
  std::string frame;
  if (buildStatusFrame(status, frame)) sendFrame(frame);
  lastStatusMs_ = now;
}

// ---------------------------------------------------------------- vending

bool Device::tooLate(bool hasDeadline, int64_t expiresAtMs, uint64_t now, const std::string& id) {
  if (!hasDeadline || !serverClock_.synced()) return false;
  // The whole cycle must end, and its result reach the server, before the
  // deadline: the server refunds at expires_at, and a `dropped` that comes
  // after the refund would be an item given away.
  const int64_t cycleMs = static_cast<int64_t>(config_.dispense.sensorWaitMs) + config_.dispense.motorMaxMs +
                          config_.dispense.dropWaitMs + config_.deadlineMarginMs;
  const int64_t leftMs = expiresAtMs - serverClock_.at(now);
  if (leftMs >= cycleMs) return false;
  log("command " + id + ": " + (leftMs > 0 ? strSigned(leftMs) + " ms left" : strSigned(-leftMs) + " ms past") +
      " its deadline, a vend needs " + strSigned(cycleMs) + ": not vended (expired)");
  return true;
}

void Device::handleVend(const VendRequest& request, bool fromSocket, bool fromSerial) {
  const std::string& id = request.id;
  const bool slotValid = request.slotValid;
  const int slot = request.slot;
  const uint64_t now = platform_.clock.nowMs();
  StoredCommand* entry = store_.find(id);
  if (entry) {
    if (entry->state == CommandState::Done) {
      // §6.1.1: never vend twice; the stored result answers the repeat.
      log("command " + id + " already vended (" + vendResultName(entry->result) + "): result sent again");
      // RAM only: lost in a restart, the server's next resend of the
      // command asks again.
      if (fromSocket && !entry->socketPending) {
        entry->socketPending = true;
        entry->sentConnection = 0;
      }
      if (fromSerial) writeResult(id, entry->result);
      flushOutbox(now);
    } else {
      // §6.1.2: it is running now; its result answers every request for it.
      log("command " + id + " is being vended: repeat merged");
      if (fromSocket) entry->socketPending = true;
      if (fromSerial) entry->serialWaiting = true;
    }
    return;
  }
  for (size_t i = 0; i < queue_.size(); ++i) {
    if (queue_[i].id == id) {
      queue_[i].fromSocket = queue_[i].fromSocket || fromSocket;
      queue_[i].fromSerial = queue_[i].fromSerial || fromSerial;
      log("command " + id + " is queued: repeat merged");
      return;
    }
  }
  const char* refusal = vendRefusal();
  if (refusal) {
    // No motor turns during an update or before a restart; answered as a
    // full queue is: no_drop, which refunds the shopper.
    log("command " + id + " refused (" + refusal + "): not vended, answered no_drop");
    finishWithoutVend(id, VendResult::NoDrop, fromSocket, fromSerial);
    return;
  }
  if (tooLate(request.hasDeadline, request.expiresAtMs, now, id)) {
    finishWithoutVend(id, VendResult::Expired, fromSocket, fromSerial);
    return;
  }
  if (!slotValid || slot < 1 || slot > config_.slotCount) {
    // A slot this machine does not have: turn nothing, refund (§6.1).
    log("command " + id + ": no slot " + (slotValid ? strSigned(slot) : std::string("(none)")) + " on this machine");
    finishWithoutVend(id, VendResult::NoDrop, fromSocket, fromSerial);
    return;
  }
  if (queue_.size() >= config_.queueCapacity) {
    log("command " + id + ": queue full, not vended");
    finishWithoutVend(id, VendResult::NoDrop, fromSocket, fromSerial);
    return;
  }
  QueuedVend queued;
  queued.id = id;
  queued.slotValid = slotValid;
  queued.slot = slot;
  queued.fromSocket = fromSocket;
  queued.fromSerial = fromSerial;
  queued.enqueuedMs = now;
  queued.hasDeadline = request.hasDeadline;
  queued.expiresAtMs = request.expiresAtMs;
  queue_.push_back(queued);
  if (dispenser_.busy()) log("command " + id + " queued behind the running vend");
  startNextVend(now);
}

void Device::finishWithoutVend(const std::string& id, VendResult result, bool fromSocket, bool fromSerial) {
  if (!store_.add(id, CommandState::Done, result, fromSocket, false)) {
    // Every entry is running or still owed to the server: answering without
    // a record could let a repeat vend later. Stay silent; the server's vend
    // timeout refunds the shopper.
    log("store full of unacknowledged results: command " + id + " refused");
    return;
  }
  saveStore();
  if (fromSerial) writeResult(id, result);
  flushOutbox(platform_.clock.nowMs());
}

void Device::startNextVend(uint64_t now) {
  if (dispenser_.busy() || queue_.empty()) return;
  const QueuedVend next = queue_.front();
  queue_.pop_front();

  if (tooLate(next.hasDeadline, next.expiresAtMs, now, next.id)) {
    finishWithoutVend(next.id, VendResult::Expired, next.fromSocket, next.fromSerial);
    return;
  }
  const bool deadlineKnown = next.hasDeadline && serverClock_.synced();
  if (!deadlineKnown && now - next.enqueuedMs > config_.queueMaxWaitMs) {
    // The server refunds at its vend timeout; an item vended after that
    // would be given away, so a stale command is answered no_drop instead.
    log("command " + next.id + " waited too long in the queue: not vended");
    finishWithoutVend(next.id, VendResult::NoDrop, next.fromSocket, next.fromSerial);
    return;
  }
  if (!store_.add(next.id, CommandState::Vending, VendResult::NoDrop, next.fromSocket, next.fromSerial)) {
    log("store full of unacknowledged results: command " + next.id + " refused");
    return;
  }
  // §6.1.4: the command is in flash before the motor is energised.
  if (!saveStore()) {
    StoredCommand* entry = store_.find(next.id);
    entry->state = CommandState::Done;
    entry->result = VendResult::NoDrop;
    entry->serialWaiting = false;
    log("flash write failed: command " + next.id + " not vended");
    if (next.fromSerial) writeResult(next.id, VendResult::NoDrop);
    flushOutbox(now);
    return;
  }
  currentId_ = next.id;
  dispenser_.setTimings(config_.dispense);  // settings pushed since the last vend
  dispenser_.start(next.slot);
  log("vending " + next.id + " from slot " + strSigned(next.slot));
}

void Device::finishVend(VendResult result) {
  const int slot = dispenser_.lastSlot();
  if (slot >= 1 && static_cast<size_t>(slot) <= slotCounters_.size() && dispenser_.lastRunTurnedMotor()) {
    SlotCounters& counters = slotCounters_[static_cast<size_t>(slot - 1)];
    ++counters.cycles;
    if (result == VendResult::Jam || dispenser_.lastRunFault()) ++counters.jams;
  }
  StoredCommand* entry = store_.find(currentId_);
  const std::string id = currentId_;
  currentId_.clear();
  if (!entry) return;
  entry->state = CommandState::Done;
  entry->result = result;
  const bool serial = entry->serialWaiting;
  entry->serialWaiting = false;
  if (!saveStore()) log("flash write failed while recording a result");
  log("vend " + id + ": " + vendResultName(result) +
      (dispenser_.lastRunIgnoredBreaks() > 0
           ? " (" + str(dispenser_.lastRunIgnoredBreaks()) + " beam break(s) ignored: too short or right after start)"
           : std::string()));
  if (serial) writeResult(id, result);
  flushOutbox(platform_.clock.nowMs());
}

bool Device::saveStore() {
  if (dispenser_.motorOn()) {
    saveDeferred_ = true;
    return true;
  }
  saveDeferred_ = false;
  return store_.save();
}

// ---------------------------------------------------------------- remote operations

const char* Device::vendRefusal() const {
  if (remote_.ota && remote_.ota->updating()) return "updating";
  if (rebootPending_) return "rebooting";
  return nullptr;
}

void Device::handleOta() {
  const uint64_t now = platform_.clock.nowMs();
  OtaRequest request;
  const char* reason = readOtaRequest(json_, request);
  if (!reason && !remote_.ota) reason = "not_supported";
  if (!reason && remote_.ota->updating() && remote_.ota->version() == request.version) {
    // The server repeated the update that runs: it hears where it stands.
    onOtaProgress(remote_.ota->current());
    return;
  }
  // The server sends `ota` only to an idle machine outside its quiet hours;
  // the device checks again, since a vend or the clock may have moved.
  if (!reason && (remote_.ota->updating() || rebootPending_)) reason = "update_in_progress";
  if (!reason && (dispenser_.busy() || !queue_.empty())) reason = "vend_in_progress";
  if (!reason && serverClock_.synced() && inQuietHours(settings_, serverClock_.at(now))) reason = "quiet_hours";
  if (!reason) reason = remote_.ota->start(request);
  if (!reason) return;
  log("ota " + (request.version.empty() ? std::string("(no version)") : request.version) + " refused: " + reason);
  OtaProgress refusal;
  refusal.version = request.version;
  refusal.state = OtaState::Failed;
  refusal.reason = reason;
  onOtaProgress(refusal);
}

void Device::handleConfig() {
  std::vector<SettingRejection> rejected;
  if (!applyConfig(json_, settings_, rejected)) {
    log("config dropped: not an object");
    return;
  }
  applySettings();
  for (size_t i = 0; i < rejected.size(); ++i) log("config: " + rejected[i].field + " refused (" + rejected[i].reason + ")");
  if (remote_.settings && !remote_.settings->save(serializeSettings(settings_))) {
    log("config: flash write failed; the settings run until the next restart");
  }
  std::string frame;
  if (buildConfigAppliedFrame(settings_, rejected, frame)) sendFrame(frame);
}

void Device::applySettings() {
  // The dispenser takes them at its next start (startNextVend): a running
  // vend keeps the timings it began with.
  config_.dispense.motorMaxMs = settings_.maxMotorRunMs;
  config_.dispense.beamMinPulseUs = settings_.beamMinPulseUs;
  config_.dispense.beamIgnoreAfterStartMs = settings_.beamIgnoreMs;
  config_.statusIntervalMs = settings_.telemetryPeriodMs;
}

void Device::handleReboot() {
  const char* reason = nullptr;
  if (!remote_.restarter) {
    reason = "not_supported";
  } else if (dispenser_.busy() || !queue_.empty()) {
    reason = "vend_in_progress";  // a restart would cut it off (interrupted)
  } else if (remote_.ota && remote_.ota->updating()) {
    reason = "update_in_progress";
  }
  std::string json = reason ? "{\"ok\":false,\"reason\":" : "{\"ok\":true";
  if (reason) appendJsonString(json, reason);
  json += '}';
  std::string frame;
  if (buildEventFrame("reboot_ack", json, false, 0, frame)) sendFrame(frame);
  if (reason) {
    log(std::string("reboot refused: ") + reason);
    return;
  }
  log("reboot accepted: restarting in " + str(kRebootDelayMs) + " ms");
  rebootPending_ = true;
  rebootAtMs_ = platform_.clock.nowMs() + kRebootDelayMs;
}

void Device::handleLogs() {
  int64_t count = static_cast<int64_t>(kDefaultLogLines);
  if (json_.type({1, "count"}) != JsonType::None && (!json_.getInteger({1, "count"}, count) || count < 1)) {
    count = static_cast<int64_t>(kDefaultLogLines);
  }
  if (count > static_cast<int64_t>(LogRing::kLines)) count = static_cast<int64_t>(LogRing::kLines);
  std::vector<std::string> lines = logRing_.last(static_cast<size_t>(count));
  std::string frame;
  for (;;) {
    std::string json = "{\"lines\":[";
    for (size_t i = 0; i < lines.size(); ++i) {
      if (i > 0) json += ',';
      appendJsonString(json, lines[i]);
    }
    json += "],\"dropped\":";
    appendUnsigned(json, logRing_.dropped());
    json += '}';
    // Lines full of escaped control bytes could pass the frame limit: the
    // oldest give way.
    if (buildEventFrame("log_lines", json, false, 0, frame) || lines.empty()) break;
    lines.erase(lines.begin());
  }
  sendFrame(frame);
}

void Device::onOtaProgress(const OtaProgress& progress) {
  // The restart into the new image follows: acks held in RAM reach flash
  // first, so no result is sent again after it.
  if (progress.state == OtaState::Rebooting && !saveStore()) log("flash write failed before the restart");
  std::string frame;
  if (!buildOtaProgressFrame(progress, frame)) return;
  queueRemoteFrame(frame);
  flushRemote();
}

void Device::onOtaLog(const std::string& message) { log(message); }

void Device::queueRemoteFrame(const std::string& frame) {
  if (remoteOutbox_.size() >= kMaxRemoteOutbox) remoteOutbox_.pop_front();
  remoteOutbox_.push_back(frame);
}

void Device::flushRemote() {
  while (!remoteOutbox_.empty() && link_ == LinkState::Ready && !dispenser_.motorOn()) {
    if (!sendFrame(remoteOutbox_.front())) return;
    remoteOutbox_.pop_front();
  }
}

// ---------------------------------------------------------------- serial

void Device::onSerialByte(char c) {
  switch (lineReader_.feed(c)) {
    case LineReader::Line:
      onSerialLine(lineReader_.line());
      break;
    case LineReader::Overflow:
      platform_.console.writeLine(formatErrorLine(kErrorLineTooLong));
      break;
    case LineReader::None:
      break;
  }
}

void Device::onSerialLine(const std::string& line) {
  const SerialCommand command = parseSerialLine(line);
  switch (command.kind) {
    case SerialCommandKind::Empty:
      return;
    case SerialCommandKind::Vend: {
      VendRequest request;  // serial commands carry no deadline
      request.id = command.commandId;
      request.slotValid = true;
      request.slot = command.slot;
      handleVend(request, false, true);
      return;
    }
    case SerialCommandKind::Status:
      printStatus();
      return;
    case SerialCommandKind::Help:
      printHelp();
      return;
    case SerialCommandKind::Error:
      platform_.console.writeLine(formatErrorLine(command.error));
      return;
  }
}

void Device::printStatus() {
  log(std::string("firmware ") + config_.firmware + ", machine " + config_.machine + ", uptime " +
      str(platform_.clock.nowMs()) + " ms");
  log(std::string("link ") + linkStateName(link_) + ", results awaiting ack " + str(store_.pendingCount()) +
      ", next ack id " + str(nextAckId_));
  log(std::string("vend ") + dispenser_.phaseName() + (currentId_.empty() ? "" : " " + currentId_) + ", queued " +
      str(queue_.size()) + ", beam " + (platform_.hardware.beamBlocked() ? "blocked" : "clear") + ", stall " +
      (platform_.hardware.motorStalled() ? "active" : "inactive"));
  const std::vector<StoredCommand>& entries = store_.entries();
  for (size_t i = 0; i < entries.size(); ++i) {
    const StoredCommand& entry = entries[i];
    log("  " + entry.id + " " +
        (entry.state == CommandState::Vending ? std::string("vending") : std::string(vendResultName(entry.result))) +
        (entry.socketPending ? " (awaiting ack)" : ""));
  }
}

void Device::printHelp() {
  log("VEND <command_id> <slot>   vend one item; answered RESULT <command_id> <result>");
  log("STATUS                     link, vend, sensor and stored commands");
  log("HELP                       this text");
}

void Device::log(const std::string& message) {
  platform_.console.writeLine("# " + message);
  logRing_.add(str(platform_.clock.nowMs()) + " " + message);
}

void Device::writeResult(const std::string& id, VendResult result) {
  platform_.console.writeLine(formatResultLine(id, result));
}

}  // namespace vendora
