#include "serial_protocol.h"

#include <vector>

namespace vendora {

const size_t LineReader::kMaxLine;
const char kErrorLineTooLong[] = "line_too_long";

LineReader::Status LineReader::feed(char c) {
  if (c == '\n') {
    if (overflow_) {
      overflow_ = false;
      buffer_.clear();
      return Overflow;
    }
    if (!buffer_.empty() && buffer_[buffer_.size() - 1] == '\r') buffer_.erase(buffer_.size() - 1);
    if (buffer_.size() > kMaxLine) {
      buffer_.clear();
      return Overflow;
    }
    line_.swap(buffer_);
    buffer_.clear();
    return Line;
  }
  if (overflow_) return None;
  // One byte of room past the limit for a `\r` that may end the line.
  if (buffer_.size() >= kMaxLine + 1) {
    overflow_ = true;
    buffer_.clear();
    return None;
  }
  buffer_ += c;
  return None;
}

namespace {

std::vector<std::string> splitWords(const std::string& line) {
  std::vector<std::string> words;
  std::string word;
  for (size_t i = 0; i <= line.size(); ++i) {
    const char c = i < line.size() ? line[i] : ' ';
    if (c == ' ' || c == '\t') {
      if (!word.empty()) words.push_back(word);
      word.clear();
    } else {
      word += c;
    }
  }
  return words;
}

std::string upper(const std::string& text) {
  std::string out = text;
  for (size_t i = 0; i < out.size(); ++i) {
    if (out[i] >= 'a' && out[i] <= 'z') out[i] = static_cast<char>(out[i] - 'a' + 'A');
  }
  return out;
}

SerialCommand error(const char* reason) {
  SerialCommand command;
  command.kind = SerialCommandKind::Error;
  command.error = reason;
  return command;
}

}  // namespace

SerialCommand parseSerialLine(const std::string& line) {
  const std::vector<std::string> words = splitWords(line);
  SerialCommand command;
  if (words.empty()) return command;

  const std::string keyword = upper(words[0]);
  if (keyword == "VEND") {
    if (words.size() != 3) return error("bad_arguments");
    if (!isValidCommandId(words[1])) return error("bad_command_id");
    const std::string& slot = words[2];
    if (slot.empty() || slot.size() > 3) return error("bad_slot");
    int value = 0;
    for (size_t i = 0; i < slot.size(); ++i) {
      if (slot[i] < '0' || slot[i] > '9') return error("bad_slot");
      value = value * 10 + (slot[i] - '0');
    }
    command.kind = SerialCommandKind::Vend;
    command.commandId = words[1];
    command.slot = value;
    return command;
  }
  if (keyword == "STATUS" || keyword == "HELP") {
    if (words.size() != 1) return error("bad_arguments");
    command.kind = keyword == "STATUS" ? SerialCommandKind::Status : SerialCommandKind::Help;
    return command;
  }
  return error("unknown_command");
}

std::string formatResultLine(const std::string& commandId, VendResult result) {
  std::string line = "RESULT ";
  line += commandId;
  line += ' ';
  line += vendResultName(result);
  return line;
}

std::string formatErrorLine(const char* reason) {
  std::string line = "ERROR ";
  line += reason;
  return line;
}

}  // namespace vendora
