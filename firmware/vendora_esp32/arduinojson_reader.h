// vendora::JsonReader on the board, with ArduinoJson (6.x or 7.x).
#pragma once

#include <ArduinoJson.h>

#include "src/core/json.h"

/**
 * One reusable document: each parse() replaces the last one. Frames larger
 * than the document can hold fail to parse and are dropped by the core.
 */
class ArduinoJsonReader : public vendora::JsonReader {
 public:
#if ARDUINOJSON_VERSION_MAJOR >= 7
  ArduinoJsonReader() {}
#else
  ArduinoJsonReader() : doc_(8192) {}
#endif

  bool parse(const char* text, size_t length) override {
    doc_.clear();
    const DeserializationError error = deserializeJson(doc_, text, length);
    if (error) doc_.clear();
    return !error;
  }

  vendora::JsonType type(vendora::JsonPath path) const override {
    const JsonVariantConst value = at(path);
    if (value.isNull()) return vendora::JsonType::None;
    if (value.is<bool>()) return vendora::JsonType::Bool;
    if (value.is<int64_t>()) return vendora::JsonType::Integer;
    if (value.is<double>()) return vendora::JsonType::Number;
    if (value.is<const char*>()) return vendora::JsonType::String;
    if (value.is<JsonArrayConst>()) return vendora::JsonType::Array;
    if (value.is<JsonObjectConst>()) return vendora::JsonType::Object;
    return vendora::JsonType::None;
  }

  bool getString(vendora::JsonPath path, std::string& out) const override {
    const JsonVariantConst value = at(path);
    if (!value.is<const char*>()) return false;
    out = value.as<const char*>();
    return true;
  }

  bool getInteger(vendora::JsonPath path, int64_t& out) const override {
    const JsonVariantConst value = at(path);
    if (value.is<bool>() || !value.is<int64_t>()) return false;
    out = value.as<int64_t>();
    return true;
  }

  bool getBool(vendora::JsonPath path, bool& out) const override {
    const JsonVariantConst value = at(path);
    if (!value.is<bool>()) return false;
    out = value.as<bool>();
    return true;
  }

  size_t size(vendora::JsonPath path) const override {
    const JsonVariantConst value = at(path);
    if (value.is<JsonArrayConst>()) return value.as<JsonArrayConst>().size();
    if (value.is<JsonObjectConst>()) return value.as<JsonObjectConst>().size();
    return 0;
  }

 private:
  JsonVariantConst at(vendora::JsonPath path) const {
    JsonVariantConst value = doc_;
    for (const vendora::JsonKey& key : path) {
      if (key.name) {
        if (!value.is<JsonObjectConst>()) return JsonVariantConst();
        value = value[key.name];
      } else {
        if (!value.is<JsonArrayConst>()) return JsonVariantConst();
        value = value[key.index];
      }
    }
    return value;
  }

#if ARDUINOJSON_VERSION_MAJOR >= 7
  JsonDocument doc_;
#else
  DynamicJsonDocument doc_;
#endif
};
