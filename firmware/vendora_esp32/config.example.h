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
constexpr char kServerHost[] = "192.168.1.20";
// The server's HTTP port (PORT; 3333 for `npm run demo`, 443 behind TLS).
constexpr unsigned kServerPort = 3333;
// Path prefix when a proxy serves Vendora under a path, e.g. "/vendora"; "" normally.
constexpr char kServerPath[] = "";
// 1: connect with TLS (wss) and check the server's certificate against
// kCaCert, the PEM of the CA that signed it (for Let's Encrypt: ISRG Root X1).
constexpr bool kUseTls = false;
constexpr char kCaCert[] = R"PEM(
-----BEGIN CERTIFICATE-----
paste the CA certificate here when kUseTls is true
-----END CERTIFICATE-----
)PEM";

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
// -1 when not wired: a jammed spiral then reports no_drop instead of jam.
constexpr int kStallPin = -1;
constexpr int kStallActiveLevel = HIGH;
// Optional home switch per slot, in the order of kSlotPins (-1: none): a
// microswitch the spiral's cam presses once per turn. With one, the motor
// turns until the spiral is home again (not merely until the item falls),
// and not getting home within kMotorMaxMs is a jam. Wired to ground, with
// the internal pull-up (GPIO 34-39 have none: add 10 kΩ to 3.3 V there).
constexpr int kHomeSwitchPins[] = {-1, -1, -1, -1, -1};
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

// ---- Link and housekeeping
constexpr unsigned long kTelemetryPeriodMs = 60000;  // `status` after each hello, then this often
constexpr unsigned long kResendIntervalMs = 5000;   // unacked vend_result resend period
constexpr unsigned long kWatchdogMs = 15000;        // task watchdog: the loop must run within this
constexpr unsigned long kSerialBaud = 115200;       // USB serial console and bridge

}  // namespace cfg
