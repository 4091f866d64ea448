// Preferences (NVS) in files under --state-dir/nvs (see shims/Preferences.h).
#include <Preferences.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "twin.h"

namespace {

const char kMagic[] = "VENDORA-TWIN-NVS 1\n";
const size_t kMaxName = 15;  // NVS_KEY_NAME_MAX_SIZE - 1, for keys and namespaces
const size_t kMaxBlob = 508000;

bool validName(const char* name) { return name && name[0] != '\0' && strlen(name) <= kMaxName; }

bool makeDirectory(const std::string& path) { return mkdir(path.c_str(), 0755) == 0 || errno == EEXIST; }

bool writeAll(int fd, const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t wrote = write(fd, data.data() + done, data.size() - done);
    if (wrote <= 0) return false;
    done += static_cast<size_t>(wrote);
  }
  return true;
}

void appendU32(std::string& out, uint32_t value) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

bool readU32(const std::string& in, size_t& pos, uint32_t& value) {
  if (pos + 4 > in.size()) return false;
  value = 0;
  for (int i = 0; i < 4; ++i) value |= static_cast<uint32_t>(static_cast<uint8_t>(in[pos + i])) << (8 * i);
  pos += 4;
  return true;
}

}  // namespace

bool Preferences::begin(const char* name, bool readOnly, const char*) {
  if (started_) return false;
  if (!validName(name)) return false;
  const std::string directory = twin::stateDir() + "/nvs";
  if (!makeDirectory(twin::stateDir()) || !makeDirectory(directory)) return false;
  path_ = directory + "/" + name + ".bin";
  readOnly_ = readOnly;
  entries_.clear();
  if (!load()) return false;
  // NVS cannot open a namespace read-only before anything was written to it.
  if (readOnly && access(path_.c_str(), F_OK) != 0) return false;
  started_ = true;
  return true;
}

void Preferences::end() {
  started_ = false;
  entries_.clear();
}

bool Preferences::load() {
  FILE* file = fopen(path_.c_str(), "rb");
  if (!file) return errno == ENOENT;
  std::string data;
  char chunk[4096];
  size_t got;
  while ((got = fread(chunk, 1, sizeof chunk, file)) > 0) data.append(chunk, got);
  fclose(file);
  if (data.compare(0, sizeof kMagic - 1, kMagic) != 0) return false;
  size_t pos = sizeof kMagic - 1;
  while (pos < data.size()) {
    if (pos + 2 > data.size()) return false;
    const PreferenceType type = static_cast<PreferenceType>(static_cast<uint8_t>(data[pos++]));
    const size_t keyLength = static_cast<uint8_t>(data[pos++]);
    if (pos + keyLength > data.size()) return false;
    const std::string key = data.substr(pos, keyLength);
    pos += keyLength;
    uint32_t length;
    if (!readU32(data, pos, length) || pos + length > data.size()) return false;
    entries_[key] = Entry{type, data.substr(pos, length)};
    pos += length;
  }
  return true;
}

bool Preferences::save() {
  std::string data(kMagic);
  for (const auto& entry : entries_) {
    data.push_back(static_cast<char>(entry.second.type));
    data.push_back(static_cast<char>(entry.first.size()));
    data += entry.first;
    appendU32(data, static_cast<uint32_t>(entry.second.bytes.size()));
    data += entry.second.bytes;
  }
  // Durable when this returns, and never half written: a kill -9 (a power
  // cut) leaves the old file or the new one.
  const std::string temporary = path_ + ".tmp";
  const int fd = open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return false;
  const bool written = writeAll(fd, data) && fsync(fd) == 0;
  close(fd);
  if (!written || rename(temporary.c_str(), path_.c_str()) != 0) {
    unlink(temporary.c_str());
    return false;
  }
  const int directory = open((twin::stateDir() + "/nvs").c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (directory >= 0) {
    fsync(directory);
    close(directory);
  }
  return true;
}

size_t Preferences::put(const char* key, PreferenceType type, const void* data, size_t len) {
  if (!started_ || readOnly_ || !validName(key) || len > kMaxBlob) return 0;
  const std::string bytes(static_cast<const char*>(data), len);
  const auto previous = entries_.find(key);
  const bool existed = previous != entries_.end();
  const Entry before = existed ? previous->second : Entry{PT_INVALID, std::string()};
  entries_[key] = Entry{type, bytes};
  if (!save()) {
    if (existed) {
      entries_[key] = before;
    } else {
      entries_.erase(key);
    }
    return 0;
  }
  return len;
}

const Preferences::Entry* Preferences::find(const char* key, PreferenceType type) const {
  if (!started_ || !validName(key)) return nullptr;
  const auto found = entries_.find(key);
  if (found == entries_.end() || found->second.type != type) return nullptr;
  return &found->second;
}

bool Preferences::clear() {
  if (!started_ || readOnly_) return false;
  const std::map<std::string, Entry> before = entries_;
  entries_.clear();
  if (save()) return true;
  entries_ = before;
  return false;
}

bool Preferences::remove(const char* key) {
  if (!started_ || readOnly_ || !validName(key)) return false;
  const auto found = entries_.find(key);
  if (found == entries_.end()) return false;
  const Entry before = found->second;
  entries_.erase(found);
  if (save()) return true;
  entries_[key] = before;
  return false;
}

size_t Preferences::putChar(const char* key, int8_t value) { return put(key, PT_I8, &value, 1) ? 1 : 0; }
size_t Preferences::putUChar(const char* key, uint8_t value) { return put(key, PT_U8, &value, 1) ? 1 : 0; }
size_t Preferences::putShort(const char* key, int16_t value) { return put(key, PT_I16, &value, 2) ? 2 : 0; }
size_t Preferences::putUShort(const char* key, uint16_t value) { return put(key, PT_U16, &value, 2) ? 2 : 0; }
size_t Preferences::putInt(const char* key, int32_t value) { return put(key, PT_I32, &value, 4) ? 4 : 0; }
size_t Preferences::putUInt(const char* key, uint32_t value) { return put(key, PT_U32, &value, 4) ? 4 : 0; }
size_t Preferences::putLong(const char* key, int32_t value) { return putInt(key, value); }
size_t Preferences::putULong(const char* key, uint32_t value) { return putUInt(key, value); }
size_t Preferences::putLong64(const char* key, int64_t value) { return put(key, PT_I64, &value, 8) ? 8 : 0; }
size_t Preferences::putULong64(const char* key, uint64_t value) { return put(key, PT_U64, &value, 8) ? 8 : 0; }
// The ESP32 keeps floats and doubles as blobs.
size_t Preferences::putFloat(const char* key, float value) { return put(key, PT_BLOB, &value, sizeof value); }
size_t Preferences::putDouble(const char* key, double value) { return put(key, PT_BLOB, &value, sizeof value); }
size_t Preferences::putBool(const char* key, bool value) { return putUChar(key, value ? 1 : 0); }

size_t Preferences::putString(const char* key, const char* value) {
  if (!value) return 0;
  const size_t length = strlen(value);
  return put(key, PT_STR, value, length) == length ? length : 0;
}

size_t Preferences::putString(const char* key, String value) { return putString(key, value.c_str()); }

size_t Preferences::putBytes(const char* key, const void* value, size_t len) {
  if (!value || len == 0) return 0;
  return put(key, PT_BLOB, value, len);
}

bool Preferences::isKey(const char* key) { return started_ && validName(key) && entries_.count(key) > 0; }

PreferenceType Preferences::getType(const char* key) {
  if (!started_ || !validName(key)) return PT_INVALID;
  const auto found = entries_.find(key);
  return found == entries_.end() ? PT_INVALID : found->second.type;
}

#define TWIN_GET_SCALAR(name, ctype, ptype)                                  \
  ctype Preferences::name(const char* key, ctype defaultValue) {             \
    const Entry* entry = find(key, ptype);                                   \
    if (!entry || entry->bytes.size() != sizeof(ctype)) return defaultValue; \
    ctype value;                                                             \
    memcpy(&value, entry->bytes.data(), sizeof value);                       \
    return value;                                                            \
  }

TWIN_GET_SCALAR(getChar, int8_t, PT_I8)
TWIN_GET_SCALAR(getUChar, uint8_t, PT_U8)
TWIN_GET_SCALAR(getShort, int16_t, PT_I16)
TWIN_GET_SCALAR(getUShort, uint16_t, PT_U16)
TWIN_GET_SCALAR(getInt, int32_t, PT_I32)
TWIN_GET_SCALAR(getUInt, uint32_t, PT_U32)
TWIN_GET_SCALAR(getLong64, int64_t, PT_I64)
TWIN_GET_SCALAR(getULong64, uint64_t, PT_U64)
TWIN_GET_SCALAR(getFloat, float, PT_BLOB)
TWIN_GET_SCALAR(getDouble, double, PT_BLOB)

int32_t Preferences::getLong(const char* key, int32_t defaultValue) { return getInt(key, defaultValue); }
uint32_t Preferences::getULong(const char* key, uint32_t defaultValue) { return getUInt(key, defaultValue); }
bool Preferences::getBool(const char* key, bool defaultValue) { return getUChar(key, defaultValue ? 1 : 0) != 0; }

size_t Preferences::getString(const char* key, char* value, size_t maxLen) {
  const Entry* entry = find(key, PT_STR);
  if (!entry || !value || entry->bytes.size() + 1 > maxLen) return 0;
  memcpy(value, entry->bytes.data(), entry->bytes.size());
  value[entry->bytes.size()] = '\0';
  return entry->bytes.size() + 1;
}

String Preferences::getString(const char* key, String defaultValue) {
  const Entry* entry = find(key, PT_STR);
  return entry ? String(entry->bytes.c_str()) : defaultValue;
}

size_t Preferences::getBytesLength(const char* key) {
  const Entry* entry = find(key, PT_BLOB);
  return entry ? entry->bytes.size() : 0;
}

size_t Preferences::getBytes(const char* key, void* buf, size_t maxLen) {
  const Entry* entry = find(key, PT_BLOB);
  if (!entry || !buf || entry->bytes.size() > maxLen) return 0;
  memcpy(buf, entry->bytes.data(), entry->bytes.size());
  return entry->bytes.size();
}

size_t Preferences::freeEntries() { return started_ ? 630 - entries_.size() * 4 : 0; }
