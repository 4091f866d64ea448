#include "log_ring.h"

#include <string.h>

namespace vendora {

void LogRing::add(const std::string& line) {
  const size_t length = line.size() < kLineLength ? line.size() : kLineLength;
  memcpy(lines_[next_], line.data(), length);
  lines_[next_][length] = '\0';
  next_ = (next_ + 1) % kLines;
  if (count_ < kLines) {
    ++count_;
  } else {
    ++dropped_;
  }
}

std::vector<std::string> LogRing::last(size_t count) const {
  if (count > count_) count = count_;
  std::vector<std::string> out;
  out.reserve(count);
  for (size_t i = count; i > 0; --i) out.push_back(lines_[(next_ + kLines - i) % kLines]);
  return out;
}

}  // namespace vendora
