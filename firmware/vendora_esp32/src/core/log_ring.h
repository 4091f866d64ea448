// The device's recent log lines, kept in RAM for the server's `logs`
// request (PROTOCOL.md §13): a fixed ring, no allocation per line, the
// oldest line dropped when full.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <string>
#include <vector>

namespace vendora {

/** The last kLines log lines, each cut to kLineLength bytes. */
class LogRing {
 public:
  static const size_t kLines = 64;
  static const size_t kLineLength = 120;

  LogRing() : next_(0), count_(0), dropped_(0) {}

  /** Keeps `line` (cut to kLineLength bytes), dropping the oldest when full. */
  void add(const std::string& line);

  /** Lines held, at most kLines. */
  size_t size() const { return count_; }

  /** Lines dropped to make room since boot. */
  uint32_t dropped() const { return dropped_; }

  /** The newest `count` lines (all when fewer are held), oldest first. */
  std::vector<std::string> last(size_t count) const;

 private:
  char lines_[kLines][kLineLength + 1];
  size_t next_;   // where the next line goes
  size_t count_;  // lines held
  uint32_t dropped_;
};

}  // namespace vendora
