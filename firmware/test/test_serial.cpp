// The USB serial line protocol (firmware/SERIAL.md): line assembly, parsing,
// and the Device answering VEND lines.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "../vendora_esp32/src/core/serial_protocol.h"
#include "fakes.h"

using namespace vendora;
using namespace vendora_test;

namespace {

typedef std::vector<std::string> Lines;

/** Feeds `bytes` to a LineReader: every line, and "<overflow>" for a discarded one. */
Lines feed(LineReader& reader, const std::string& bytes) {
  Lines out;
  for (char c : bytes) {
    switch (reader.feed(c)) {
      case LineReader::Line:
        out.push_back(reader.line());
        break;
      case LineReader::Overflow:
        out.push_back("<overflow>");
        break;
      case LineReader::None:
        break;
    }
  }
  return out;
}

void type(Rig& rig, const std::string& bytes) {
  for (char c : bytes) rig.device->onSerialByte(c);
}

const std::string kA = "45979658-cb5a-4e1c-9ee2-1c69a12aee4a";

}  // namespace

TEST_CASE("lines end at \\n, a \\r before it is dropped, a line over 127 bytes is discarded whole") {
  LineReader reader;
  CHECK(feed(reader, "VEND a 1\nSTATUS\r\n\n") == Lines{"VEND a 1", "STATUS", ""});
  CHECK(feed(reader, "partial") == Lines{});
  CHECK(feed(reader, " line\n") == Lines{"partial line"});

  const std::string max(127, 'x');
  CHECK(feed(reader, max + "\n") == Lines{max});
  CHECK(feed(reader, max + "\r\n") == Lines{max});
  CHECK(feed(reader, max + "y\n") == Lines{"<overflow>"});
  CHECK(feed(reader, std::string(5000, 'z') + "\nnext\n") == Lines{"<overflow>", "next"});
}

TEST_CASE("VEND lines: keyword in any case, id as written, slot of 1-3 digits") {
  SerialCommand command = parseSerialLine("VEND " + kA + " 3");
  CHECK(command.kind == SerialCommandKind::Vend);
  CHECK(command.commandId == kA);
  CHECK(command.slot == 3);

  command = parseSerialLine("  vend\tAbC-1   12  ");
  CHECK(command.kind == SerialCommandKind::Vend);
  CHECK(command.commandId == "AbC-1");
  CHECK(command.slot == 12);

  CHECK(parseSerialLine("VEND x 007").slot == 7);
  CHECK(parseSerialLine("VEND x 0").kind == SerialCommandKind::Vend);
  CHECK(parseSerialLine("").kind == SerialCommandKind::Empty);
  CHECK(parseSerialLine(" \t ").kind == SerialCommandKind::Empty);
  CHECK(parseSerialLine("status").kind == SerialCommandKind::Status);
  CHECK(parseSerialLine("HELP").kind == SerialCommandKind::Help);
}

TEST_CASE("malformed lines get one ERROR reason each") {
  struct Case {
    const char* line;
    const char* reason;
  };
  const Case cases[] = {
      {"DISPENSE 1", "unknown_command"},
      {"VENDX a 1", "unknown_command"},
      {"RESULT a dropped", "unknown_command"},
      {"VEND", "bad_arguments"},
      {"VEND a", "bad_arguments"},
      {"VEND a 1 2", "bad_arguments"},
      {"STATUS now", "bad_arguments"},
      {"VEND a/b 1", "bad_command_id"},
      {"VEND \x01 1", "bad_command_id"},
      {"VEND a 1000", "bad_slot"},
      {"VEND a -1", "bad_slot"},
      {"VEND a one", "bad_slot"},
      {"VEND a 1.5", "bad_slot"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.line);
    const SerialCommand command = parseSerialLine(c.line);
    CHECK(command.kind == SerialCommandKind::Error);
    CHECK(std::string(command.error) == c.reason);
  }
  CHECK(parseSerialLine("VEND " + std::string(65, 'a') + " 1").error == std::string("bad_command_id"));
  CHECK(formatErrorLine("bad_slot") == "ERROR bad_slot");
  CHECK(formatResultLine("c-1", VendResult::SensorFault) == "RESULT c-1 sensor_fault");
}

TEST_CASE("a VEND line is vended and answered with one RESULT line") {
  Rig rig;
  rig.hardware.scripts[2].dropAfterMs = 600;
  rig.boot();
  rig.takeLines();
  type(rig, "VEND " + kA + " 2\n");
  CHECK(rig.takeLines().empty());
  rig.advance(1000);
  CHECK(rig.takeLines() == Lines{"RESULT " + kA + " dropped"});
  CHECK(rig.hardware.motorStarts() == 1);
  // A serial command is not reported over socket.io.
  rig.connectReadyKeepFrames();
  CHECK(rig.framesWith("vend_result").empty());
}

TEST_CASE("a repeated VEND is answered at once from the store, without turning a motor") {
  Rig rig;
  rig.hardware.scripts[1].dropAfterMs = 600;
  rig.boot();
  type(rig, "VEND " + kA + " 1\n");
  rig.advance(1000);
  rig.takeLines();
  type(rig, "VEND " + kA + " 1\r\n");
  CHECK(rig.takeLines() == Lines{"RESULT " + kA + " dropped"});
  rig.advance(3000);
  CHECK(rig.hardware.motorStarts() == 1);
}

TEST_CASE("a VEND repeated while it runs is answered once, when it ends") {
  Rig rig;
  rig.hardware.scripts[1].dropAfterMs = 600;
  rig.boot();
  rig.takeLines();
  type(rig, "VEND " + kA + " 1\n");
  rig.advance(100);
  type(rig, "VEND " + kA + " 1\n");
  CHECK(rig.takeLines().empty());
  rig.advance(1000);
  CHECK(rig.takeLines() == Lines{"RESULT " + kA + " dropped"});
}

TEST_CASE("malformed serial input gets ERROR lines; blank lines and console commands get none") {
  Rig rig;
  rig.boot();
  rig.takeLines();
  type(rig, "\n  \nVEND\nvend a/b 1\nVEND a 1000\nHELLO\n" + std::string(200, 'x') + "\nSTATUS\nhelp\n");
  CHECK(rig.takeLines() == Lines{"ERROR bad_arguments", "ERROR bad_command_id", "ERROR bad_slot",
                                 "ERROR unknown_command", "ERROR line_too_long"});
  rig.advance(1000);
  CHECK(rig.hardware.motorStarts() == 0);
}

TEST_CASE("STATUS prints log lines only, all starting with '# '") {
  Rig rig;
  rig.boot();
  rig.console.lines.clear();
  type(rig, "STATUS\n");
  REQUIRE(rig.console.lines.size() >= 3);
  for (const std::string& line : rig.console.lines) CHECK(line.compare(0, 2, "# ") == 0);
}

TEST_CASE("a VEND for a slot the machine lacks is answered no_drop") {
  Rig rig;
  rig.boot();
  rig.takeLines();
  type(rig, "VEND " + kA + " 6\nVEND b-2 0\n");
  CHECK(rig.takeLines() == Lines{"RESULT " + kA + " no_drop", "RESULT b-2 no_drop"});
  CHECK(rig.hardware.motorStarts() == 0);
}

TEST_CASE("after a restart mid-vend the board announces RESULT <id> interrupted, once") {
  Rig rig;  // no drop: still turning at the restart
  rig.boot();
  type(rig, "VEND " + kA + " 1\n");
  rig.advance(500);
  rig.reboot();
  CHECK(rig.takeLines() == Lines{"RESULT " + kA + " interrupted"});
  type(rig, "VEND " + kA + " 1\n");
  CHECK(rig.takeLines() == Lines{"RESULT " + kA + " interrupted"});
  rig.reboot();
  CHECK(rig.takeLines().empty());
  CHECK(rig.hardware.motorStarts() == 1);
}

TEST_CASE("the same command by socket and by serial is vended once and answered on both") {
  Rig rig;
  rig.hardware.scripts[1].dropAfterMs = 600;
  rig.boot();
  rig.connectReady();
  rig.takeLines();
  rig.vend(kA, 1);
  type(rig, "VEND " + kA + " 1\n");
  rig.advance(1000);
  CHECK(rig.hardware.motorStarts() == 1);
  CHECK(rig.takeLines() == Lines{"RESULT " + kA + " dropped"});
  CHECK(rig.framesWith("vend_result") == std::vector<std::string>{resultFrame(1, kA, "dropped")});
}

TEST_CASE("the serial path works without a usable socket configuration") {
  DeviceConfig config = testConfig();
  config.machine = "";
  Rig rig(config);
  rig.hardware.scripts[1].dropAfterMs = 600;
  rig.boot();
  rig.takeLines();
  type(rig, "VEND s-1 1\n");
  rig.advance(1000);
  CHECK(rig.takeLines() == Lines{"RESULT s-1 dropped"});
}
