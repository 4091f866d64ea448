// Remote operations besides updates (PROTOCOL.md §13): `config` with its
// bounds, answer and persistence; quiet hours; the log ring and `logs`;
// `reboot`.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "../vendora_esp32/src/core/log_ring.h"
#include "../vendora_esp32/src/core/settings.h"
#include "fakes.h"

using namespace vendora;
using namespace vendora_test;

namespace {

const char kDefaultsApplied[] =
    "{\"max_motor_run_ms\":5000,\"beam_min_pulse_us\":3000,\"beam_ignore_ms\":150,\"telemetry_period_ms\":60000,"
    "\"quiet_start_min\":0,\"quiet_end_min\":0}";

std::string applied(const std::string& settings, const std::string& rejected = "") {
  return "42/devices,[\"config_applied\",{\"settings\":" + settings + ",\"rejected\":[" + rejected + "]}]";
}

int64_t utc(int hour, int minute) { return 1764547200000LL + (hour * 60LL + minute) * 60000; }  // 2025-12-01

}  // namespace

TEST_CASE("config: valid settings are applied, stored and answered with every running value") {
  Rig rig;
  rig.boot();
  rig.connectReady();
  rig.server(
      "42/devices,[\"config\",{\"max_motor_run_ms\":4000,\"beam_min_pulse_us\":2500,\"beam_ignore_ms\":200,"
      "\"telemetry_period_ms\":120000,\"quiet_start_min\":1380,\"quiet_end_min\":300}]");
  const std::string expected =
      "{\"max_motor_run_ms\":4000,\"beam_min_pulse_us\":2500,\"beam_ignore_ms\":200,\"telemetry_period_ms\":120000,"
      "\"quiet_start_min\":1380,\"quiet_end_min\":300}";
  CHECK(rig.takeFrames() == std::vector<std::string>{applied(expected)});
  CHECK(rig.settingsStorage.blob ==
        "vendora-settings 1\nmax_motor_run_ms 4000\nbeam_min_pulse_us 2500\nbeam_ignore_ms 200\n"
        "telemetry_period_ms 120000\nquiet_start_min 1380\nquiet_end_min 300\n");
  // They survive a restart.
  rig.reboot();
  CHECK(rig.device->settings().maxMotorRunMs == 4000);
  CHECK(rig.device->settings().quietStartMin == 1380);
  rig.connectReady();
  rig.server("42/devices,[\"config\",{}]");
  CHECK(rig.takeFrames() == std::vector<std::string>{applied(expected)});
}

TEST_CASE("config: out-of-range and non-integer values are refused per field; the rest is applied") {
  Rig rig;
  rig.boot();
  rig.connectReady();
  rig.server(
      "42/devices,[\"config\",{\"max_motor_run_ms\":999,\"beam_min_pulse_us\":\"fast\",\"beam_ignore_ms\":501,"
      "\"telemetry_period_ms\":9999,\"quiet_start_min\":1440,\"quiet_end_min\":-1,\"colour\":\"red\"}]");
  CHECK(rig.takeFrames() ==
        std::vector<std::string>{applied(
            kDefaultsApplied,
            "{\"field\":\"max_motor_run_ms\",\"reason\":\"out_of_range\"},"
            "{\"field\":\"beam_min_pulse_us\",\"reason\":\"not_an_integer\"},"
            "{\"field\":\"beam_ignore_ms\",\"reason\":\"out_of_range\"},"
            "{\"field\":\"telemetry_period_ms\",\"reason\":\"out_of_range\"},"
            "{\"field\":\"quiet_start_min\",\"reason\":\"out_of_range\"},"
            "{\"field\":\"quiet_end_min\",\"reason\":\"out_of_range\"}")});
  // The bounds themselves are accepted.
  rig.server(
      "42/devices,[\"config\",{\"max_motor_run_ms\":20000,\"beam_min_pulse_us\":500,\"beam_ignore_ms\":0,"
      "\"telemetry_period_ms\":3600000,\"quiet_start_min\":1439,\"quiet_end_min\":0}]");
  CHECK(rig.takeFrames() ==
        std::vector<std::string>{applied("{\"max_motor_run_ms\":20000,\"beam_min_pulse_us\":500,\"beam_ignore_ms\":0,"
                                         "\"telemetry_period_ms\":3600000,\"quiet_start_min\":1439,"
                                         "\"quiet_end_min\":0}")});
  rig.server(
      "42/devices,[\"config\",{\"max_motor_run_ms\":20001,\"beam_min_pulse_us\":50001,\"beam_ignore_ms\":1.5}]");
  const std::vector<std::string> frames = rig.takeFrames();
  REQUIRE(frames.size() == 1);
  CHECK(frames[0].find("\"max_motor_run_ms\":20000") != std::string::npos);
  CHECK(frames[0].find("{\"field\":\"beam_min_pulse_us\",\"reason\":\"out_of_range\"}") != std::string::npos);
  CHECK(frames[0].find("{\"field\":\"beam_ignore_ms\",\"reason\":\"not_an_integer\"}") != std::string::npos);
  // Not an object: nothing applied, no answer.
  rig.server("42/devices,[\"config\",[1,2]]");
  CHECK(rig.takeFrames().empty());
}

TEST_CASE("config: the motor cut-off and the telemetry period take effect") {
  Rig rig;
  rig.boot();
  rig.connectReady();
  rig.server("42/devices,[\"config\",{\"max_motor_run_ms\":2000,\"telemetry_period_ms\":10000}]");
  rig.vend("c-1", 1);  // never drops: the cut-off stops the motor
  rig.advance(6000);
  CHECK(rig.hardware.lastRunMs() == 2000);
  rig.takeFrames();
  rig.advance(30000, 10);
  CHECK(rig.framesWith("\"status\"").size() == 3);  // every 10 s instead of every minute
}

TEST_CASE("config: settings pushed during a vend wait for the next one") {
  Rig rig;
  rig.boot();
  rig.connectReady();
  rig.vend("c-1", 1);
  rig.advance(100);
  REQUIRE(rig.device->vending());
  rig.server("42/devices,[\"config\",{\"max_motor_run_ms\":1500}]");
  rig.advance(8000);
  CHECK(rig.hardware.lastRunMs() == 5000);
  rig.vend("c-2", 1);
  rig.advance(8000);
  CHECK(rig.hardware.lastRunMs() == 1500);
}

TEST_CASE("config: the beam settings reach the drop qualification") {
  Rig rig;
  rig.hardware.scripts[1].dropAfterMs = 800;
  rig.hardware.scripts[1].dropBlockUs = 4000;  // a 4 ms break: a drop by default (3 ms)
  rig.boot();
  rig.connectReady();
  rig.server("42/devices,[\"config\",{\"beam_min_pulse_us\":5000}]");
  rig.vend("c-1", 1);
  rig.advance(8000);
  CHECK(rig.framesWith("vend_result").back().find("\"no_drop\"") != std::string::npos);
  rig.takeFrames();
  rig.server("42/devices,[\"config\",{\"beam_min_pulse_us\":3000,\"beam_ignore_ms\":500}]");
  rig.hardware.scripts[1].dropAfterMs = 400;  // within the new ignore window
  rig.vend("c-2", 1);
  rig.advance(8000);
  CHECK(rig.framesWith("vend_result").back().find("\"dropped\"") == std::string::npos);
}

TEST_CASE("settings: a stored blob is read line by line, bad lines skipped") {
  RuntimeSettings settings;
  CHECK_FALSE(parseSettings("something else\n", settings));
  CHECK(parseSettings("vendora-settings 1\nmax_motor_run_ms 7000\nbeam_ignore_ms 9999\nquiet_end_min x\n"
                      "telemetry_period_ms 1234567890123\nunknown 5\nquiet_start_min 60",
                      settings));
  CHECK(settings.maxMotorRunMs == 7000);
  CHECK(settings.beamIgnoreMs == 150);
  CHECK(settings.telemetryPeriodMs == 60000);
  CHECK(settings.quietStartMin == 60);
  CHECK(settings.quietEndMin == 0);
  RuntimeSettings again;
  CHECK(parseSettings(serializeSettings(settings), again));
  CHECK(again.maxMotorRunMs == 7000);
  CHECK(again.quietStartMin == 60);
}

TEST_CASE("quiet hours: a window within the day, one across midnight, none") {
  RuntimeSettings settings;
  CHECK_FALSE(inQuietHours(settings, utc(3, 0)));  // start == end: none
  settings.quietStartMin = 60;
  settings.quietEndMin = 300;
  CHECK_FALSE(inQuietHours(settings, utc(0, 59)));
  CHECK(inQuietHours(settings, utc(1, 0)));
  CHECK(inQuietHours(settings, utc(4, 59)));
  CHECK_FALSE(inQuietHours(settings, utc(5, 0)));
  settings.quietStartMin = 1380;  // 23:00 to 05:00
  CHECK(inQuietHours(settings, utc(23, 0)));
  CHECK(inQuietHours(settings, utc(0, 30)));
  CHECK(inQuietHours(settings, utc(4, 59)));
  CHECK_FALSE(inQuietHours(settings, utc(5, 0)));
  CHECK_FALSE(inQuietHours(settings, utc(22, 59)));
  CHECK(inQuietHours(settings, utc(23, 30) + 7 * 86400000LL));  // any day
}

TEST_CASE("log ring: keeps the last 64 lines, 120 characters each, oldest dropped") {
  LogRing ring;
  CHECK(ring.last(10).empty());
  for (int i = 1; i <= 70; ++i) ring.add("line " + std::to_string(i));
  CHECK(ring.size() == 64);
  CHECK(ring.dropped() == 6);
  const std::vector<std::string> all = ring.last(100);
  REQUIRE(all.size() == 64);
  CHECK(all.front() == "line 7");
  CHECK(all.back() == "line 70");
  CHECK(ring.last(2) == std::vector<std::string>{"line 69", "line 70"});
  ring.add(std::string(200, 'x'));
  CHECK(ring.last(1)[0] == std::string(120, 'x'));
}

TEST_CASE("logs: the last N log lines, with uptime, answered as log_lines") {
  Rig rig;
  rig.boot();
  rig.connectReady();
  rig.clock.now = 4242;
  rig.server("42/devices,[\"event_nobody_knows\",{}]");  // logged: "event ignored: ..."
  rig.server("42/devices,[\"logs\",{\"count\":2}]");
  const std::vector<std::string> frames = rig.takeFrames();
  REQUIRE(frames.size() == 1);
  CHECK(frames[0] == "42/devices,[\"log_lines\",{\"lines\":[\"0 link: ready\",\"4242 event ignored: event_nobody_knows\"],\"dropped\":0}]");
  // Default 20, at most 64, dropped counted.
  for (int i = 0; i < 100; ++i) rig.server("42/devices,[\"x" + std::to_string(i) + "\",{}]");
  rig.server("42/devices,[\"logs\",{}]");
  std::vector<std::string> lines = rig.takeFrames();
  REQUIRE(lines.size() == 1);
  NlohmannJsonReader reader;
  const std::string payload = lines[0].substr(std::string("42/devices,").size());
  REQUIRE(reader.parse(payload.data(), payload.size()));
  CHECK(reader.size({1, "lines"}) == 20);
  std::string last;
  REQUIRE(reader.getString({1, "lines", 19}, last));
  CHECK(last == "4242 event ignored: x99");
  int64_t dropped = 0;
  REQUIRE(reader.getInteger({1, "dropped"}, dropped));
  CHECK(dropped == static_cast<int64_t>(rig.device->logRing().dropped()));
  CHECK(dropped > 0);
  rig.server("42/devices,[\"logs\",{\"count\":1000}]");
  lines = rig.takeFrames();
  const std::string big = lines.at(0).substr(std::string("42/devices,").size());
  REQUIRE(reader.parse(big.data(), big.size()));
  CHECK(reader.size({1, "lines"}) == 64);
  rig.server("42/devices,[\"logs\",{\"count\":\"all\"}]");
  lines = rig.takeFrames();
  const std::string odd = lines.at(0).substr(std::string("42/devices,").size());
  REQUIRE(reader.parse(odd.data(), odd.size()));
  CHECK(reader.size({1, "lines"}) == 20);
}

TEST_CASE("logs: lines with control characters are escaped, and the frame stays within the limit") {
  Rig rig;
  rig.boot();
  rig.connectReady();
  // Event names are logged as received: 64 lines of escaped control bytes
  // would pass 16 KiB as \u00XX.
  std::string noise;
  for (int i = 0; i < 110; ++i) noise += "\\u0001";
  for (int i = 0; i < 70; ++i) rig.server("42/devices,[\"" + noise + "\",{}]");
  rig.server("42/devices,[\"logs\",{\"count\":64}]");
  const std::vector<std::string> frames = rig.takeFrames();
  REQUIRE(frames.size() == 1);
  CHECK(frames[0].size() <= 16 * 1024);
  CHECK(frames[0].find("\\u0001") != std::string::npos);
}

TEST_CASE("reboot: acknowledged, then the board restarts; vends are refused meanwhile") {
  Rig rig;
  rig.boot();
  rig.connectReady();
  rig.server("42/devices,[\"reboot\",{}]");
  CHECK(rig.takeFrames() == std::vector<std::string>{"42/devices,[\"reboot_ack\",{\"ok\":true}]"});
  CHECK(rig.device->rebootPending());
  rig.vend("c-1", 1);
  CHECK(rig.hardware.motorStarts() == 0);
  CHECK(rig.framesWith("vend_result").size() == 1);
  CHECK(rig.framesWith("vend_result")[0].find("\"no_drop\"") != std::string::npos);
  rig.advance(900);
  CHECK(rig.restarter.restarts == 0);
  rig.advance(200);
  CHECK(rig.restarter.restarts == 1);
  rig.advance(5000);
  CHECK(rig.restarter.restarts == 1);
}

TEST_CASE("reboot: refused while a vend runs or waits, during an update, and without a restarter") {
  Rig rig;
  rig.boot();
  rig.connectReady();
  rig.vend("c-1", 1);
  rig.vend("c-2", 2);
  rig.server("42/devices,[\"reboot\",{}]");
  CHECK(rig.framesWith("reboot_ack") ==
        std::vector<std::string>{"42/devices,[\"reboot_ack\",{\"ok\":false,\"reason\":\"vend_in_progress\"}]"});
  rig.advance(20000);
  CHECK(rig.restarter.restarts == 0);
  CHECK(rig.hardware.motorStarts() == 2);

  Rig updating;
  const Release release;
  updating.download.image = release.image;
  updating.download.silent = true;
  updating.boot();
  updating.connectReady();
  updating.sendOta(release);
  updating.takeFrames();
  updating.server("42/devices,[\"reboot\",{}]");
  CHECK(updating.takeFrames() ==
        std::vector<std::string>{"42/devices,[\"reboot_ack\",{\"ok\":false,\"reason\":\"update_in_progress\"}]"});

  Rig bare;
  bare.remote = false;
  bare.boot();
  bare.connectReady();
  bare.server("42/devices,[\"reboot\",{}]");
  CHECK(bare.takeFrames() ==
        std::vector<std::string>{"42/devices,[\"reboot_ack\",{\"ok\":false,\"reason\":\"not_supported\"}]"});
  // Without a settings store a config still applies, in RAM.
  bare.server("42/devices,[\"config\",{\"max_motor_run_ms\":3000}]");
  CHECK(bare.device->settings().maxMotorRunMs == 3000);
}
