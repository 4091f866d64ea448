// The JSON the core needs, behind a small interface: the sketch implements
// JsonReader with ArduinoJson, the host tests with nlohmann-json. The core
// never builds JSON with a library: it writes its few frames itself
// (appendJsonString), so their bytes and key order are exactly the ones in
// PROTOCOL.md on every platform.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <initializer_list>
#include <string>

namespace vendora {

/** What a JSON value is. `None` covers both a missing value and `null`. */
enum class JsonType : uint8_t { None, Bool, Integer, Number, String, Array, Object };

/**
 * One step into a document: an object key (`"slot"`) or an array index (`1`).
 */
struct JsonKey {
  const char* name;  // nullptr for an array index
  size_t index;
  JsonKey(const char* key) : name(key), index(0) {}
  JsonKey(int position) : name(nullptr), index(static_cast<size_t>(position < 0 ? 0 : position)) {}
};

/** A path from the root, e.g. `{1, "command_id"}`; `{}` is the root. */
typedef std::initializer_list<JsonKey> JsonPath;

/**
 * A parsed, read-only JSON document. One instance is reused: each `parse`
 * replaces the previous document.
 */
class JsonReader {
 public:
  virtual ~JsonReader() {}

  /**
   * Parses `length` bytes of `text`.
   *
   * @returns false when the text is not one valid JSON value (the document
   *   is then empty)
   */
  virtual bool parse(const char* text, size_t length) = 0;

  /** The type of the value at `path`; `None` when there is none. */
  virtual JsonType type(JsonPath path) const = 0;

  /** @returns false unless the value at `path` is a string */
  virtual bool getString(JsonPath path, std::string& out) const = 0;

  /** @returns false unless the value at `path` is an integer that fits in 64 bits */
  virtual bool getInteger(JsonPath path, int64_t& out) const = 0;

  /** @returns false unless the value at `path` is `true` or `false` */
  virtual bool getBool(JsonPath path, bool& out) const = 0;

  /** Element count of the array or object at `path`; 0 for anything else. */
  virtual size_t size(JsonPath path) const = 0;
};

/**
 * Appends `value` as a JSON string literal: quotes, `\"`, `\\` and control
 * characters escaped; other bytes (UTF-8 included) copied as they are.
 */
void appendJsonString(std::string& out, const std::string& value);

}  // namespace vendora
