// Device settings the server can change without a reflash (PROTOCOL.md §13,
// `config`): bounds, the answer `config_applied`, persistence, and quiet
// hours. Units are in the wire names: _ms milliseconds, _us microseconds,
// _min minutes after midnight UTC.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <string>
#include <vector>

#include "json.h"

namespace vendora {

/**
 * The settings a `config` may change, as running. Defaults come from the
 * sketch's config.h (DeviceConfig); a stored or pushed value replaces them.
 */
struct RuntimeSettings {
  uint32_t maxMotorRunMs;      // `max_motor_run_ms`: the motor cut-off (DispenseTimings::motorMaxMs)
  uint32_t beamMinPulseUs;     // `beam_min_pulse_us`: shortest beam break that counts as a drop
  uint32_t beamIgnoreMs;       // `beam_ignore_ms`: breaks this soon after motor start are ignored
  uint32_t telemetryPeriodMs;  // `telemetry_period_ms`: `status` every this often
  uint32_t quietStartMin;      // `quiet_start_min`: quiet hours begin, minutes after 00:00 UTC
  uint32_t quietEndMin;        // `quiet_end_min`: ... and end (exclusive); equal to start: none
  RuntimeSettings()
      : maxMotorRunMs(5000),
        beamMinPulseUs(3000),
        beamIgnoreMs(150),
        telemetryPeriodMs(60000),
        quietStartMin(0),
        quietEndMin(0) {}
};

/** One setting's wire name and inclusive bounds. */
struct SettingSpec {
  const char* name;
  uint32_t min;
  uint32_t max;
  uint32_t RuntimeSettings::*field;
};

/** The settings, in the order `config_applied` lists them. */
extern const SettingSpec kSettingSpecs[];
extern const size_t kSettingCount;

/** A pushed value that was not applied: its wire name and why. */
struct SettingRejection {
  std::string field;
  const char* reason;  // `not_an_integer` or `out_of_range`
};

/**
 * Applies the `config` event's argument (at path `{1}` of `reader`) to
 * `settings`: every known field that is an integer within its bounds is
 * applied, every other known field is listed in `rejected` and leaves its
 * setting as it was. Unknown fields are ignored (a newer server may know
 * more settings).
 *
 * @returns false when the argument is not an object (nothing applied)
 */
bool applyConfig(const JsonReader& reader, RuntimeSettings& settings, std::vector<SettingRejection>& rejected);

/**
 * `42/devices,["config_applied",{"settings":{...every setting...},"rejected":[{"field":...,"reason":...}]}]`
 */
bool buildConfigAppliedFrame(const RuntimeSettings& settings, const std::vector<SettingRejection>& rejected,
                             std::string& out);

/** The settings as stored in flash: `vendora-settings 1` then one `name value` line each. */
std::string serializeSettings(const RuntimeSettings& settings);

/**
 * Reads a stored blob: each known line with a value within bounds replaces
 * the setting; anything else is skipped.
 *
 * @returns false when the blob is not a settings blob
 */
bool parseSettings(const std::string& blob, RuntimeSettings& settings);

/**
 * Whether `epochMs` (UTC) falls in the quiet hours: from quietStartMin up
 * to quietEndMin, across midnight when start > end; never when equal.
 */
bool inQuietHours(const RuntimeSettings& settings, int64_t epochMs);

}  // namespace vendora
