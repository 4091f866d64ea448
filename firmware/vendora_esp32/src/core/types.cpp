#include "types.h"

#include <string.h>

namespace vendora {

const char* vendResultName(VendResult result) {
  switch (result) {
    case VendResult::Dropped:
      return "dropped";
    case VendResult::NoDrop:
      return "no_drop";
    case VendResult::Jam:
      return "jam";
    case VendResult::SensorFault:
      return "sensor_fault";
    case VendResult::Interrupted:
      return "interrupted";
    case VendResult::Expired:
      return "expired";
  }
  return "no_drop";
}

bool parseVendResult(const std::string& text, VendResult& out) {
  static const VendResult all[] = {VendResult::Dropped, VendResult::NoDrop, VendResult::Jam,
                                   VendResult::SensorFault, VendResult::Interrupted, VendResult::Expired};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; ++i) {
    if (text == vendResultName(all[i])) {
      out = all[i];
      return true;
    }
  }
  return false;
}

bool isValidCommandId(const std::string& id) {
  if (id.empty() || id.size() > kMaxCommandIdLength) return false;
  for (size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                    c == '_' || c == '.' || c == ':';
    if (!ok) return false;
  }
  return true;
}

bool isVisibleAscii(const std::string& text, size_t maxLength) {
  if (text.empty() || text.size() > maxLength) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

void appendUnsigned(std::string& out, uint64_t value) {
  char digits[21];
  size_t n = 0;
  do {
    digits[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  while (n > 0) out += digits[--n];
}

void appendSigned(std::string& out, int64_t value) {
  if (value < 0) {
    out += '-';
    // Through unsigned so INT64_MIN does not overflow.
    appendUnsigned(out, static_cast<uint64_t>(-(value + 1)) + 1);
  } else {
    appendUnsigned(out, static_cast<uint64_t>(value));
  }
}

bool startsWith(const char* text, size_t length, const char* prefix) {
  const size_t n = strlen(prefix);
  return text != nullptr && length >= n && memcmp(text, prefix, n) == 0;
}

}  // namespace vendora
