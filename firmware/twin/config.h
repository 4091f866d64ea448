// The sketch's config.h in the twin: every setting of config.example.h,
// except the server, TLS, the machine and its key, which come from the
// twin's command line (src/main.cpp fills them in before setup()), the
// firmware update key and confirmation deadline (the same), the
// stall input, wired so that --stall-after-ms can make a jam, and the home
// switches, wired when --home-switches is given.
//
// config.example.h's constants are read into a namespace of their own and
// made visible in cfg by a using-directive; the names declared here in cfg
// itself take precedence for cfg::kName, so a setting added to
// config.example.h reaches the twin without a change here.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace vendora_twin_defaults {
#include "config.example.h"
}

namespace cfg {
using namespace ::vendora_twin_defaults::cfg;

extern char kServerHost[256];
extern unsigned kServerPort;
extern char kServerPath[256];
extern bool kUseTls;
extern char kCaCert[16384];
extern char kMachineCode[128];
extern char kDeviceKey[512];
// --ota-confirm-deadline-ms (config.example.h's value by default).
extern unsigned long kOtaConfirmDeadlineMs;
// --firmware-pubkey: the PEM the board carries as VENDORA_FIRMWARE_PUBKEY.
extern char kFirmwarePubkey[4096];

// GPIO35, as firmware/README.md wires the optional stall comparator.
constexpr int kStallPin = 35;
// Home switches, one per slot (-1: none): --home-switches wires them.
extern int kHomeSwitchPins[sizeof kSlotPins / sizeof kSlotPins[0]];
constexpr int kHomeActiveLevel = LOW;
}  // namespace cfg

#undef VENDORA_FIRMWARE_PUBKEY
#define VENDORA_FIRMWARE_PUBKEY ::cfg::kFirmwarePubkey
