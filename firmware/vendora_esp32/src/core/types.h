// Shared vocabulary of the Vendora firmware core: vend results, limits and
// small text helpers. Portable C++ (no Arduino headers): compiled by the
// ESP32 Arduino toolchain (gnu++11 on core 2.x, gnu++2b on 3.x) and by the
// host tests (C++17), so only the C++11 subset is used here.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <string>

namespace vendora {

/**
 * How one vend ended, as reported in `vend_result` (PROTOCOL.md §3).
 * `vendResultName` gives the wire string. `Expired`: the command came too
 * close to (or past) its `expires_at`, and no motor turned.
 */
enum class VendResult : uint8_t { Dropped, NoDrop, Jam, SensorFault, Interrupted, Expired };

/** The wire name of a result: `dropped`, `no_drop`, `jam`, `sensor_fault`, `interrupted`, `expired`. */
const char* vendResultName(VendResult result);

/**
 * Reads a wire name back.
 *
 * @returns false for anything but the six names (exact, lower case)
 */
bool parseVendResult(const std::string& text, VendResult& out);

/** Longest command id the firmware accepts (the server's are 36-character UUIDs). */
const size_t kMaxCommandIdLength = 64;
/** Machine code and device key limits of the server's auth validator. */
const size_t kMaxMachineLength = 64;
const size_t kMaxKeyLength = 256;
/** Longest `firmware` string the server accepts in `status`. */
const size_t kMaxFirmwareLength = 64;

/**
 * Whether `id` can be a command id: 1–64 characters from `A-Z a-z 0-9 - _ . :`.
 * The same rule for socket and serial commands, so one store serves both.
 */
bool isValidCommandId(const std::string& id);

/** Whether `text` is 1–`maxLength` visible ASCII characters (0x21–0x7e). */
bool isVisibleAscii(const std::string& text, size_t maxLength);

/** Appends a decimal number (no locale, no printf: same output everywhere). */
void appendUnsigned(std::string& out, uint64_t value);
void appendSigned(std::string& out, int64_t value);

/** Whether `text` starts with `prefix`. */
bool startsWith(const char* text, size_t length, const char* prefix);

}  // namespace vendora
