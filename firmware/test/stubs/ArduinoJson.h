// Stub of the ArduinoJson 7 API the sketch's JsonReader uses, for
// `make check-sketch`.
#pragma once
#include "Arduino.h"

#define ARDUINOJSON_VERSION_MAJOR 7

class JsonArrayConst {
 public:
  size_t size() const;
};
class JsonObjectConst {
 public:
  size_t size() const;
};

class JsonVariantConst {
 public:
  JsonVariantConst();
  bool isNull() const;
  template <typename T>
  bool is() const;
  template <typename T>
  T as() const;
  JsonVariantConst operator[](const char* key) const;
  JsonVariantConst operator[](size_t index) const;
};

class JsonDocument {
 public:
  void clear();
  operator JsonVariantConst() const;
};

class DeserializationError {
 public:
  explicit operator bool() const;
};

DeserializationError deserializeJson(JsonDocument& doc, const char* input, size_t inputSize);
