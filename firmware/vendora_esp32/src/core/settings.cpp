#include "settings.h"

#include "frames.h"
#include "types.h"

namespace vendora {

// Bounds: the motor cut-off must allow one spiral turn and keep a whole
// dispense cycle (sensor wait + cut-off + drop wait + margin) far inside
// the server's 60 s vend timeout; a beam break under 0.5 ms is noise on any
// sensor, one over 50 ms would miss fast items; the ignore window stays
// under the shortest cut-off; telemetry no more often than every 10 s.
const SettingSpec kSettingSpecs[] = {
    {"max_motor_run_ms", 1000, 20000, &RuntimeSettings::maxMotorRunMs},
    {"beam_min_pulse_us", 500, 50000, &RuntimeSettings::beamMinPulseUs},
    {"beam_ignore_ms", 0, 500, &RuntimeSettings::beamIgnoreMs},
    {"telemetry_period_ms", 10000, 3600000, &RuntimeSettings::telemetryPeriodMs},
    {"quiet_start_min", 0, 1439, &RuntimeSettings::quietStartMin},
    {"quiet_end_min", 0, 1439, &RuntimeSettings::quietEndMin},
};
const size_t kSettingCount = sizeof kSettingSpecs / sizeof kSettingSpecs[0];

bool applyConfig(const JsonReader& reader, RuntimeSettings& settings, std::vector<SettingRejection>& rejected) {
  rejected.clear();
  if (reader.type({1}) != JsonType::Object) return false;
  for (size_t i = 0; i < kSettingCount; ++i) {
    const SettingSpec& spec = kSettingSpecs[i];
    const JsonType type = reader.type({1, spec.name});
    if (type == JsonType::None) continue;
    int64_t value = 0;
    SettingRejection rejection;
    rejection.field = spec.name;
    if (!reader.getInteger({1, spec.name}, value)) {
      rejection.reason = "not_an_integer";
      rejected.push_back(rejection);
    } else if (value < static_cast<int64_t>(spec.min) || value > static_cast<int64_t>(spec.max)) {
      rejection.reason = "out_of_range";
      rejected.push_back(rejection);
    } else {
      settings.*spec.field = static_cast<uint32_t>(value);
    }
  }
  return true;
}

bool buildConfigAppliedFrame(const RuntimeSettings& settings, const std::vector<SettingRejection>& rejected,
                             std::string& out) {
  std::string json = "{\"settings\":{";
  for (size_t i = 0; i < kSettingCount; ++i) {
    if (i > 0) json += ',';
    appendJsonString(json, kSettingSpecs[i].name);
    json += ':';
    appendUnsigned(json, settings.*kSettingSpecs[i].field);
  }
  json += "},\"rejected\":[";
  for (size_t i = 0; i < rejected.size(); ++i) {
    if (i > 0) json += ',';
    json += "{\"field\":";
    appendJsonString(json, rejected[i].field);
    json += ",\"reason\":";
    appendJsonString(json, rejected[i].reason);
    json += '}';
  }
  json += "]}";
  return buildEventFrame("config_applied", json, false, 0, out);
}

std::string serializeSettings(const RuntimeSettings& settings) {
  std::string out = "vendora-settings 1\n";
  for (size_t i = 0; i < kSettingCount; ++i) {
    out += kSettingSpecs[i].name;
    out += ' ';
    appendUnsigned(out, settings.*kSettingSpecs[i].field);
    out += '\n';
  }
  return out;
}

bool parseSettings(const std::string& blob, RuntimeSettings& settings) {
  const std::string header = "vendora-settings 1\n";
  if (blob.compare(0, header.size(), header) != 0) return false;
  size_t pos = header.size();
  while (pos < blob.size()) {
    size_t end = blob.find('\n', pos);
    if (end == std::string::npos) end = blob.size();
    const std::string line = blob.substr(pos, end - pos);
    pos = end + 1;
    const size_t space = line.find(' ');
    if (space == std::string::npos || space + 1 >= line.size() || line.size() - space - 1 > 9) continue;
    const std::string name = line.substr(0, space);
    const std::string digits = line.substr(space + 1);
    if (digits.find_first_not_of("0123456789") != std::string::npos) continue;
    uint32_t value = 0;
    for (size_t i = 0; i < digits.size(); ++i) value = value * 10 + static_cast<uint32_t>(digits[i] - '0');
    for (size_t i = 0; i < kSettingCount; ++i) {
      const SettingSpec& spec = kSettingSpecs[i];
      if (name == spec.name && value >= spec.min && value <= spec.max) settings.*spec.field = value;
    }
  }
  return true;
}

bool inQuietHours(const RuntimeSettings& settings, int64_t epochMs) {
  if (settings.quietStartMin == settings.quietEndMin) return false;
  const int64_t dayMs = 24LL * 60 * 60 * 1000;
  int64_t msOfDay = epochMs % dayMs;
  if (msOfDay < 0) msOfDay += dayMs;
  const uint32_t minute = static_cast<uint32_t>(msOfDay / 60000);
  if (settings.quietStartMin < settings.quietEndMin) {
    return minute >= settings.quietStartMin && minute < settings.quietEndMin;
  }
  return minute >= settings.quietStartMin || minute < settings.quietEndMin;
}

}  // namespace vendora
