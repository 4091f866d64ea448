// The USB serial line protocol (firmware/SERIAL.md): a fallback command
// path for `node ace machine:serial`, and a console for people.
#pragma once

#include <stddef.h>

#include <string>

#include "types.h"

namespace vendora {

/**
 * Assembles bytes into lines: `\n` ends a line, one `\r` before it is
 * dropped. A line longer than kMaxLine bytes is discarded up to its `\n`
 * and reported as Overflow.
 */
class LineReader {
 public:
  static const size_t kMaxLine = 127;
  enum Status { None, Line, Overflow };

  LineReader() : overflow_(false) {}

  /** Feeds one byte. @returns Line when line() holds a new line, Overflow for a discarded one */
  Status feed(char c);

  /** The last complete line, without its line ending. */
  const std::string& line() const { return line_; }

 private:
  std::string buffer_;
  std::string line_;
  bool overflow_;
};

/** What a serial line asks for. */
enum class SerialCommandKind { Empty, Vend, Status, Help, Error };

/** A parsed serial line. */
struct SerialCommand {
  SerialCommandKind kind;
  std::string commandId;  // Vend
  int slot;               // Vend: 0–999, not checked against the machine's slots
  const char* error;      // Error: the reason written after `ERROR `
  SerialCommand() : kind(SerialCommandKind::Empty), slot(0), error("") {}
};

/**
 * Parses one line (without `\n`). Words are separated by spaces or tabs;
 * the keyword is case-insensitive, the command id is kept as written.
 *
 *   VEND <command_id> <slot>   command id per isValidCommandId, slot 1–3 digits
 *   STATUS | HELP              console commands for people
 *
 * Errors: unknown_command, bad_arguments, bad_command_id, bad_slot. A blank
 * line is Empty (no answer).
 */
SerialCommand parseSerialLine(const std::string& line);

/** `RESULT <command_id> <result>` */
std::string formatResultLine(const std::string& commandId, VendResult result);

/** `ERROR <reason>` */
std::string formatErrorLine(const char* reason);

/** The reason for a line over LineReader::kMaxLine. */
extern const char kErrorLineTooLong[];

}  // namespace vendora
