// vendora-twin: the Vendora sketch (firmware/vendora_esp32), unmodified,
// built for Linux with the pinned arduinoWebSockets and ArduinoJson and
// the shims in firmware/twin/shims. It connects to a real server, vends on
// simulated hardware and prints one line per event on stdout:
//
//   BOOT <version> <reset reason>   the board started (power-on, software, watchdog);
//                                   <version> is the booted slot's (a twin image's header)
//   LINK up | LINK down             the library's websocket connected / closed
//   JOINED                          the core saw `hello`: the machine is online
//   MOTOR <slot> ON <command_id>    a motor started, for the command in flash
//   MOTOR <slot> OFF
//   RESULT <command_id> <result>    the core decided a vend's result
//   ACKED <command_id>              the server acknowledged that result
//   WATCHDOG, REBOOT <reason>       the task watchdog tripped; the board restarts
//   OTA <state> [<percent>|<reason>] the sketch sent an ota_progress (downloading 40,
//                                   verifying, rebooting, confirmed, failed bad_signature...)
//   STOPPED                         SIGTERM or SIGINT: a clean exit (status 0)
//
// The board's serial console goes to stderr; stdin is its serial input.
// The --state-dir directory is its flash: a twin restarted with the same
// directory finds what the board would (a kill -9 is a power cut).
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <map>
#include <string>

#include "twin.h"

// --version: the sketch's own version unless the command line gives one.
namespace twin {
const char* firmwareVersion(const char* built);
}
#define VENDORA_FIRMWARE_VERSION(built) twin::firmwareVersion(built)

// The sketch, as the Arduino builder compiles it: one translation unit.
#include "vendora_esp32.ino"

// The settings config.h (firmware/twin/config.h) leaves to the command
// line; constant-initialised, then filled in by readCommandLine() below.
namespace cfg {
char kServerHost[256] = "";
unsigned kServerPort = 80;
char kServerPath[256] = "";
bool kUseTls = false;
char kCaCert[16384] = "";
char kMachineCode[128] = "";
char kDeviceKey[512] = "";
int kHomeSwitchPins[sizeof kSlotPins / sizeof kSlotPins[0]] = {};
unsigned long kOtaConfirmDeadlineMs = ::vendora_twin_defaults::cfg::kOtaConfirmDeadlineMs;
char kFirmwarePubkey[4096] = "";
}  // namespace cfg

namespace {

// GPIOs for the simulated home switches (--home-switches): free on an
// ESP32 DevKit next to the README's wiring, not strapping pins.
const int kTwinHomePins[] = {16, 17, 18, 19, 21, 22, 23, 13, 14, 4};

const char kUsage[] =
    "usage: vendora-twin --server URL --machine CODE --key KEY --state-dir DIR [options]\n"
    "\n"
    "  --server URL          http://host:port[/prefix] or https://... (then --ca is needed)\n"
    "  --machine CODE        the machine code registered on the server\n"
    "  --key KEY             its device key\n"
    "  --state-dir DIR       the board's flash (Preferences); created if missing\n"
    "  --ca FILE             PEM of the CA that signed an https server's certificate\n"
    "  --drop-after-ms N     the item crosses the beam N ms after the motor starts (800)\n"
    "  --drop-ms N           and blocks it N ms (25)\n"
    "  --no-drop             nothing falls: the beam stays clear\n"
    "  --glitch-at-ms N      a 0.3 ms beam glitch N ms after the motor starts\n"
    "  --stall-after-ms N    the motor's stall input turns on N ms after it starts (GPIO35)\n"
    "  --home-switches       each slot has a home switch (GPIO 16, 17, 18, 19, 21): pressed\n"
    "                        at rest, released 150 ms into a turn, pressed again after a turn\n"
    "  --turn-ms N           one turn of a spiral (2000)\n"
    "  --version V           report firmware vendora-esp32-V instead of the sketch's own\n"
    "                        (a twin image booted from an OTA slot reports its header's)\n"
    "  --firmware-pubkey FILE  PEM public key that firmware images must be signed by\n"
    "                        (VENDORA_FIRMWARE_PUBKEY); without it `ota` is not_supported\n"
    "  --ota-confirm-deadline-ms N  a new image must rejoin within N ms (180000)\n"
    "  --verbose             library and ESP-IDF logs on stderr\n";

/** What the command line asks for beyond config.h's settings. */
struct Options {
  std::string stateDir;
  std::string machine;
  twin::Script script;
  bool homeSwitches = false;
  bool verbose = false;
  std::string version;  // "vendora-esp32-<--version>", empty: the sketch's own
};

/** Built on first use: readCommandLine() runs before the other globals are. */
Options& options() {
  static Options parsed;
  return parsed;
}

void onSignal(int) { twin::requestStop(); }

[[noreturn]] void fail(const std::string& message) {
  fprintf(stderr, "vendora-twin: %s\n\n%s", message.c_str(), kUsage);
  exit(64);
}

uint32_t parseMs(const char* name, const char* text) {
  char* end = nullptr;
  errno = 0;
  const unsigned long value = strtoul(text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || value > 86400000UL) {
    fail(std::string(name) + " wants milliseconds, got '" + text + "'");
  }
  return static_cast<uint32_t>(value);
}

void copyTo(char* out, size_t size, const std::string& value, const char* what) {
  if (value.size() >= size) fail(std::string(what) + " is too long");
  memcpy(out, value.c_str(), value.size() + 1);
}

std::string readFile(const char* path) {
  FILE* file = fopen(path, "rb");
  if (!file) fail(std::string("cannot read ") + path + ": " + strerror(errno));
  std::string text;
  char chunk[4096];
  size_t got;
  while ((got = fread(chunk, 1, sizeof chunk, file)) > 0) text.append(chunk, got);
  fclose(file);
  return text;
}

void makeDirectories(const std::string& path) {
  for (size_t slash = path.find('/', 1); ; slash = path.find('/', slash + 1)) {
    const std::string prefix = slash == std::string::npos ? path : path.substr(0, slash);
    if (mkdir(prefix.c_str(), 0755) != 0 && errno != EEXIST) fail("cannot create " + prefix + ": " + strerror(errno));
    if (slash == std::string::npos) return;
  }
}

/** Reads the command line into cfg:: and options(). */
void configure(int argc, char** argv) {
  std::string server, machine, key, stateDir, caFile, pubkeyFile;
  twin::Script& script = options().script;
  for (int i = 1; i < argc; ++i) {
    const std::string option = argv[i];
    const auto value = [&]() -> const char* {
      if (i + 1 >= argc) fail(option + " needs a value");
      return argv[++i];
    };
    if (option == "--server") {
      server = value();
    } else if (option == "--machine") {
      machine = value();
    } else if (option == "--key") {
      key = value();
    } else if (option == "--state-dir") {
      stateDir = value();
    } else if (option == "--ca") {
      caFile = value();
    } else if (option == "--firmware-pubkey") {
      pubkeyFile = value();
    } else if (option == "--ota-confirm-deadline-ms") {
      cfg::kOtaConfirmDeadlineMs = parseMs("--ota-confirm-deadline-ms", value());
    } else if (option == "--drop-after-ms") {
      script.dropAfterMs = parseMs("--drop-after-ms", value());
    } else if (option == "--drop-ms") {
      script.dropBlockMs = parseMs("--drop-ms", value());
    } else if (option == "--no-drop") {
      script.drop = false;
    } else if (option == "--glitch-at-ms") {
      script.glitchAtMs = parseMs("--glitch-at-ms", value());
    } else if (option == "--stall-after-ms") {
      script.stallAfterMs = parseMs("--stall-after-ms", value());
    } else if (option == "--home-switches") {
      options().homeSwitches = true;
    } else if (option == "--turn-ms") {
      script.turnMs = parseMs("--turn-ms", value());
    } else if (option == "--version") {
      options().version = std::string("vendora-esp32-") + value();
    } else if (option == "--verbose") {
      options().verbose = true;
    } else if (option == "--help" || option == "-h") {
      fputs(kUsage, stdout);
      exit(0);
    } else {
      fail("unknown option " + option);
    }
  }
  if (server.empty() || machine.empty() || key.empty() || stateDir.empty()) {
    fail("--server, --machine, --key and --state-dir are required");
  }
  vendora::ServerTarget target;
  if (!vendora::parseServerUrl(server, target)) fail("--server must be http://host:port[/prefix] or https://...");
  copyTo(cfg::kServerHost, sizeof cfg::kServerHost, target.host, "the server's host");
  cfg::kServerPort = target.port;
  copyTo(cfg::kServerPath, sizeof cfg::kServerPath, target.pathPrefix, "the server's path");
  cfg::kUseTls = target.tls;
  if (target.tls && caFile.empty()) fail("an https server needs --ca (the board checks the server's certificate)");
  if (!caFile.empty()) copyTo(cfg::kCaCert, sizeof cfg::kCaCert, readFile(caFile.c_str()), "the CA file");
  if (!pubkeyFile.empty()) {
    copyTo(cfg::kFirmwarePubkey, sizeof cfg::kFirmwarePubkey, readFile(pubkeyFile.c_str()), "the public key file");
  }
  copyTo(cfg::kMachineCode, sizeof cfg::kMachineCode, machine, "--machine");
  copyTo(cfg::kDeviceKey, sizeof cfg::kDeviceKey, key, "--key");
  makeDirectories(stateDir);
  options().stateDir = stateDir;
  options().machine = machine;
  // The bootloader picks the slot; a twin image there names its version.
  const twin::BootImage image = twin::bootFromFlash(stateDir);
  if (!image.firmware.empty()) options().version = image.firmware;
  for (int i = 0; i < kSlotCount; ++i) {
    const bool wired = options().homeSwitches && i < static_cast<int>(sizeof kTwinHomePins / sizeof kTwinHomePins[0]);
    cfg::kHomeSwitchPins[i] = wired ? kTwinHomePins[i] : -1;
  }
}

}  // namespace

namespace twin {
/** The sketch's kFirmwareVersion: --version's, else the version it was built with. */
const char* firmwareVersion(const char* built) { return options().version.empty() ? built : options().version.c_str(); }
}  // namespace twin

namespace {

// ---- What the twin reports, read from the sketch's own objects after each loop()

struct Seen {
  vendora::CommandState state;
  vendora::VendResult result;
  bool pending;
};

std::map<std::string, Seen> gSeen;
bool gLinkUp = false;
bool gJoined = false;

/** The command whose motor may turn: the entry the core wrote to flash as vending. */
std::string vendingCommandId() {
  const std::vector<vendora::StoredCommand>& entries = device.store().entries();
  for (size_t i = entries.size(); i-- > 0;) {
    if (entries[i].state == vendora::CommandState::Vending) return entries[i].id;
  }
  return std::string();
}

/** RESULT and ACKED lines for what changed in the command store since the last look. */
void observeStore(const std::vector<vendora::StoredCommand>& entries) {
  for (const vendora::StoredCommand& entry : entries) {
    const auto found = gSeen.find(entry.id);
    const bool wasDone = found != gSeen.end() && found->second.state == vendora::CommandState::Done;
    const bool done = entry.state == vendora::CommandState::Done;
    if (done && !wasDone) twin::event("RESULT %s %s", entry.id.c_str(), vendora::vendResultName(entry.result));
    // A result owed to the server that is not any more: the server acked it.
    if (done && wasDone && found->second.pending && !entry.socketPending) twin::event("ACKED %s", entry.id.c_str());
    gSeen[entry.id] = Seen{entry.state, entry.result, entry.socketPending};
  }
}

void observe() {
  observeStore(device.store().entries());
  const bool joined = device.linkState() == vendora::LinkState::Ready;
  if (joined && !gJoined) twin::event("JOINED");
  gJoined = joined;
}

/** The library's events, seen on their way to the sketch's own handler. */
void onSocketIOEventSeen(socketIOmessageType_t type, uint8_t* payload, size_t length) {
  // `0` with the URL is the websocket's own connect; `1` with nothing (or,
  // in newer library versions, a reason) its close. The same types with
  // `/devices,` are the namespace's packets.
  const bool namespacePacket =
      payload != nullptr && vendora::startsWith(reinterpret_cast<const char*>(payload), length, vendora::kDevicesNamespace);
  if (type == sIOtype_CONNECT && !namespacePacket) {
    if (gLinkUp) twin::event("LINK down");
    gLinkUp = true;
    twin::event("LINK up");
  } else if (type == sIOtype_DISCONNECT && !namespacePacket && gLinkUp) {
    gLinkUp = false;
    twin::event("LINK down");
  }
  onSocketIOEvent(type, payload, length);
}

/**
 * Reads the command line before the sketch's static objects are built: its
 * Device copies the machine code and key when it is constructed, as on the
 * board, where config.h is compiled in. glibc passes argc and argv to
 * constructors in .init_array; a priority runs this one before C++'s.
 */
__attribute__((constructor(101))) void readCommandLine(int argc, char** argv) { configure(argc, argv); }

}  // namespace

int main(int argc, char** argv) {
  setvbuf(stdout, nullptr, _IOLBF, 0);
  signal(SIGPIPE, SIG_IGN);
  twin::setCommandLine(argc, argv);
  twin::setStateDir(options().stateDir);
  twin::setMachineCode(options().machine);
  twin::setVerbose(options().verbose);

  const twin::Script& script = options().script;
  const twin::Wiring wiring = {cfg::kSlotPins,       kSlotCount,        cfg::kMotorOnLevel,
                               cfg::kSensorPin,      cfg::kSensorBlockedLevel, cfg::kStallPin,
                               cfg::kStallActiveLevel, cfg::kHomeSwitchPins, cfg::kHomeActiveLevel};
  twin::configureHardware(wiring, script);
  twin::setCommandIdProvider(vendingCommandId);

  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = onSignal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGINT, &action, nullptr);

  // What flash held before this boot, so a vend the reset cut off shows as
  // a RESULT once the core has recovered it, and older results do not.
  twin::loadResetReason();
  {
    PreferencesStorage flash;
    flash.begin();
    vendora::CommandStore stored(flash);
    stored.load();
    for (const vendora::StoredCommand& entry : stored.entries()) {
      gSeen[entry.id] = Seen{entry.state, entry.result, entry.socketPending};
    }
  }

  twin::event("BOOT %s %s", kFirmwareVersion, twin::resetReasonName(twin::resetReason()));
  twin::startHardwareThread();
  setup();
  socketIO.onEvent(onSocketIOEventSeen);
  observe();

  // loop() back to back as on the board, with a 1 ms pause so an idle
  // twin does not take a whole CPU.
  const struct timespec pause = {0, 1000000L};
  while (!twin::stopRequested()) {
    loop();
    observe();
    nanosleep(&pause, nullptr);
  }

  twin::stopHardwareThread();
  // Like a board switched off: no destructors; the kernel closes the sockets.
  twin::exitStopped();
}
