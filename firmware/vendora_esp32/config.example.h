// Settings of one Vendora machine. Copy this file to config.h (which git
// ignores: it holds the Wi-Fi password and the device key) and fill it in.
// Durations are milliseconds.
#pragma once

namespace cfg {

// ---- Wi-Fi (2.4 GHz)
constexpr char kWifiSsid[] = "your-wifi";
constexpr char kWifiPassword[] = "your-wifi-password";

// ---- The Vendora server
// Host name or IPv4 address of the server, without scheme or port. Leave it
// empty ("") to find the server on the LAN: the machine broadcasts
// VENDORA_DISCOVER on UDP port 12346 and uses the URL the server answers
// with (the server must run with DISCOVERY_ENABLED=true).
constexpr char kServerHost[] = "vendora.example.com";
// The server's port: 443 behind TLS; the server's PORT (3333 for
// `npm run demo`) without.
constexpr unsigned kServerPort = 443;
// Path prefix when a proxy serves Vendora under a path, e.g. "/vendora"; "" normally.
constexpr char kServerPath[] = "";
// TLS (wss) is the default: the device key and every command cross the
// network inside it, and the board talks only to a server whose
// certificate chains up to kCaCert below.
//
// Without TLS, on a LAN you trust (the `npm run demo` walk-through): set
// kUseTls = false, kServerHost = the computer's LAN address (e.g.
// "192.168.1.20") and kServerPort = 3333. The device key then crosses the
// LAN in clear text: use a demo key, never a production one.
constexpr bool kUseTls = true;
// The CA certificate the server's chain must end at (pinned: the ESP32's
// bundle of public roots is not used). Paste its PEM between the markers,
// header and footer lines included:
//   - Let's Encrypt: the root "ISRG Root X1", isrgrootx1.pem from
//     letsencrypt.org/certificates (valid to 2035);
//   - another public CA: its root certificate, from the CA's site;
//   - your own CA: its certificate (ca.crt).
// To see which root a server chains to:
//   openssl s_client -connect vendora.example.com:443 -showcerts </dev/null
// (the issuer of the last certificate printed). Pin a root rather than an
// intermediate: intermediates change every few years. Until a real
// certificate is pasted, the board refuses to connect and says so on the
// serial console.
constexpr char kCaCert[] = R"PEM(
-----BEGIN CERTIFICATE-----
paste the CA certificate here (see above)
-----END CERTIFICATE-----
)PEM";
// Longest a TLS handshake may take. The ESP32 core's default is 120 s; one
// connection attempt (a 3 s TCP connect, then this) runs inside loop() and
// must end under the task watchdog (kWatchdogMs, 15 s): the sketch checks
// kHandshakeTimeoutMs <= kWatchdogMs - 4000 when it compiles. Whole seconds.
constexpr unsigned long kHandshakeTimeoutMs = 10000;

// ---- This machine, as registered on the server
// The machine code and the device key shown once when the machine was
// created. `npm run demo` seeds demo-2 for a real board, with the key
// DEMO_DEVICE_KEY (default demo-device-key).
constexpr char kMachineCode[] = "demo-2";
constexpr char kDeviceKey[] = "demo-device-key";

// ---- Wiring (firmware/README.md): GPIO numbers
// Motor of slot 1..5, through a motor driver or relay board. Avoid the
// strapping pins (0, 2, 5, 12, 15) and, on WROVER modules, 16/17 (PSRAM).
constexpr int kSlotPins[] = {25, 26, 27, 32, 33};
// Level that turns a motor on: HIGH for most drivers, LOW for active-low relay boards.
constexpr int kMotorOnLevel = HIGH;
// The IR drop sensor's receiver output (GPIO 34-39 are input only and
// have no pull-ups: the module must drive the line or have its own pull-up).
constexpr int kSensorPin = 34;
// The level the receiver shows while the beam is interrupted (check with
// the STATUS console command: it prints the beam state).
constexpr int kSensorBlockedLevel = HIGH;
// Optional stall input (current-sense comparator or driver fault output),
// -1 when not wired (35 in the README's wiring when it is): a jammed
// spiral then reports no_drop instead of jam. Never name an unwired pin:
// GPIO 34-39 float and would fake jams.
constexpr int kStallPin = -1;
constexpr int kStallActiveLevel = HIGH;
// Optional home switch per slot, in the order of kSlotPins (-1: none): a
// microswitch the spiral's cam presses once per turn. With one, the motor
// turns until the spiral is home again (not merely until the item falls),
// and not getting home within kMotorMaxMs is a jam. Wired to ground, with
// the internal pull-up (GPIO 34-39 have none: add 10 kΩ to 3.3 V there).
constexpr int kHomeSwitchPins[] = {-1, -1, -1, -1, -1};  // e.g. {13, 14, 18, 19, 23} when wired
constexpr int kHomeActiveLevel = LOW;  // the level while pressed (at home)

// ---- Dispensing
constexpr unsigned long kSensorCheckMs = 50;    // beam clear this long before the motor starts
constexpr unsigned long kSensorWaitMs = 1000;   // ... within this long, else sensor_fault
constexpr unsigned long kMotorMaxMs = 5000;     // longest motor run without a drop
constexpr unsigned long kInrushMs = 300;        // stall input ignored right after start
constexpr unsigned long kStallConfirmMs = 200;  // stall held this long: jam
constexpr unsigned long kDropWaitMs = 1500;     // after the motor stops, wait for a late drop
// A beam break is a drop only when it lasts at least this long (µs); a
// falling item blocks the beam for milliseconds, interference for less.
constexpr unsigned long kBeamMinPulseUs = 3000;
// Breaks that begin this soon after the motor starts are ignored: no item
// falls that fast, but the motor's switch-on spike can reach the sensor.
constexpr unsigned long kBeamIgnoreAfterStartMs = 150;
// With a home switch: its edges this soon after the start are the spiral
// leaving home (and contact bounce), not its return.
constexpr unsigned long kHomeLeaveMs = 300;

// A vend's motor starts only if the whole cycle (kSensorWaitMs + kMotorMaxMs
// + kDropWaitMs) plus this margin ends before the command's expires_at,
// else the command is answered `expired` (refunded, stock back). The margin
// covers the result's trip to the server and the lag of the clock taken
// from hello (PROTOCOL.md §6.5).
constexpr unsigned long kVendDeadlineMarginMs = 2000;

// ---- Firmware updates over the air (firmware/README.md, PROTOCOL.md §13.1)
// The public half of the key the server signs releases with, as PEM.
// `node ace firmware:keygen` prints this line ready to paste; replace the
// whole #define with it. Until a real key is here the board refuses every
// `ota` (not_supported): it could not check an image.
#define VENDORA_FIRMWARE_PUBKEY \
  "-----BEGIN PUBLIC KEY-----\n" \
  "paste the key from node ace firmware:keygen (see above)\n" \
  "-----END PUBLIC KEY-----\n"
// A new image must rejoin the server within this long after its first
// boot, else the previous image is restored (rolled_back).
constexpr unsigned long kOtaConfirmDeadlineMs = 180000;

// ---- Link and housekeeping
constexpr unsigned long kTelemetryPeriodMs = 60000;  // `status` after each hello, then this often
constexpr unsigned long kResendIntervalMs = 5000;   // unacked vend_result resend period
constexpr unsigned long kWatchdogMs = 15000;         // task watchdog: the loop must run within this
constexpr unsigned long kSerialBaud = 115200;       // USB serial console and bridge

}  // namespace cfg
