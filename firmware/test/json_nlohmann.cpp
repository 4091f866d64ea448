#include "json_nlohmann.h"

#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>

namespace vendora_test {

using vendora::JsonPath;
using vendora::JsonType;

struct NlohmannJsonReader::Document {
  nlohmann::json json;

  /** The value at `path`, or nullptr. */
  const nlohmann::json* at(JsonPath path) const;
};

NlohmannJsonReader::NlohmannJsonReader() : doc_(new Document) {}
NlohmannJsonReader::~NlohmannJsonReader() = default;

bool NlohmannJsonReader::parse(const char* text, size_t length) {
  doc_->json = nlohmann::json::parse(text, text + length, nullptr, /* allow_exceptions */ false);
  if (doc_->json.is_discarded()) {
    doc_->json = nullptr;
    return false;
  }
  return true;
}

const nlohmann::json* NlohmannJsonReader::Document::at(JsonPath path) const {
  const nlohmann::json* value = &json;
  for (const vendora::JsonKey& key : path) {
    if (key.name) {
      if (!value->is_object()) return nullptr;
      auto it = value->find(key.name);
      if (it == value->end()) return nullptr;
      value = &*it;
    } else {
      if (!value->is_array() || key.index >= value->size()) return nullptr;
      value = &(*value)[key.index];
    }
  }
  return value;
}

JsonType NlohmannJsonReader::type(JsonPath path) const {
  const nlohmann::json* value = doc_->at(path);
  if (!value || value->is_null() || value->is_discarded()) return JsonType::None;
  if (value->is_boolean()) return JsonType::Bool;
  if (value->is_number_integer()) return JsonType::Integer;
  if (value->is_number()) return JsonType::Number;
  if (value->is_string()) return JsonType::String;
  if (value->is_array()) return JsonType::Array;
  return JsonType::Object;
}

bool NlohmannJsonReader::getString(JsonPath path, std::string& out) const {
  const nlohmann::json* value = doc_->at(path);
  if (!value || !value->is_string()) return false;
  out = value->get<std::string>();
  return true;
}

bool NlohmannJsonReader::getInteger(JsonPath path, int64_t& out) const {
  const nlohmann::json* value = doc_->at(path);
  if (!value) return false;
  if (value->is_number_unsigned()) {
    const uint64_t unsignedValue = value->get<uint64_t>();
    if (unsignedValue > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return false;
    out = static_cast<int64_t>(unsignedValue);
    return true;
  }
  if (!value->is_number_integer()) return false;
  out = value->get<int64_t>();
  return true;
}

bool NlohmannJsonReader::getBool(JsonPath path, bool& out) const {
  const nlohmann::json* value = doc_->at(path);
  if (!value || !value->is_boolean()) return false;
  out = value->get<bool>();
  return true;
}

size_t NlohmannJsonReader::size(JsonPath path) const {
  const nlohmann::json* value = doc_->at(path);
  if (!value || !(value->is_array() || value->is_object())) return 0;
  return value->size();
}

bool statusExtends(const std::string& actual, const std::string& expected) {
  const std::string prefix = "42/devices,";
  if (actual.compare(0, prefix.size(), prefix) != 0 || expected.compare(0, prefix.size(), prefix) != 0) return false;
  const nlohmann::ordered_json a = nlohmann::ordered_json::parse(actual.substr(prefix.size()), nullptr, false);
  const nlohmann::ordered_json e = nlohmann::ordered_json::parse(expected.substr(prefix.size()), nullptr, false);
  if (a.is_discarded() || e.is_discarded() || !a.is_array() || !e.is_array() || a.size() != 2 || e.size() != 2 ||
      a[0] != e[0] || !a[1].is_object() || !e[1].is_object() || a[1].size() < e[1].size()) {
    return false;
  }
  auto ai = a[1].begin();
  for (auto ei = e[1].begin(); ei != e[1].end(); ++ei, ++ai) {
    if (ai.key() != ei.key() || ai.value() != ei.value()) return false;
  }
  return true;
}

bool readProtocolVector(const std::string& path, ProtocolVector& out, std::string& error) {
  std::ifstream in(path);
  if (!in.good()) {
    error = "cannot read " + path;
    return false;
  }
  const nlohmann::json json = nlohmann::json::parse(in, nullptr, /* allow_exceptions */ false);
  if (json.is_discarded() || !json.is_object() || !json.contains("frames") || !json.contains("placeholders")) {
    error = path + " is not a protocol vector";
    return false;
  }
  out = ProtocolVector();
  out.connect = json.value("connect", "");
  for (auto it = json["placeholders"].begin(); it != json["placeholders"].end(); ++it) out.placeholders.push_back(it.key());
  for (const nlohmann::json& frame : json["frames"]) {
    out.frames.push_back({frame.value("dir", ""), frame.value("frame", ""), frame.value("transport", ""),
                          frame.value("trigger", "")});
  }
  return true;
}

}  // namespace vendora_test
