#pragma once
// Compares the shape of two JSON answers (names and JSON types, not values): how the local
// endpoint's answers are held to the official ones (tests/fixtures/tencent/), so that the endpoint
// cannot drift from what Tencent sends. A string that holds a JSON object on both sides (CloudAudit's
// CloudAuditEvent, requestParameters) is compared as that object.
#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <string>
#include <vector>

namespace taskledger::testing {

namespace json_shape_detail {

inline const char* kindOf(const Poco::Dynamic::Var& v) {
  if (v.isEmpty()) return "null";
  if (v.type() == typeid(Poco::JSON::Object::Ptr)) return "object";
  if (v.type() == typeid(Poco::JSON::Array::Ptr)) return "array";
  if (v.isBoolean()) return "boolean";
  if (v.isInteger()) return "integer";
  if (v.isNumeric()) return "number";
  if (v.isString()) return "string";
  return "other";
}

inline Poco::JSON::Object::Ptr objectIn(const Poco::Dynamic::Var& v) {
  if (!v.isString()) return nullptr;
  try {
    auto parsed = Poco::JSON::Parser().parse(v.extract<std::string>());
    if (parsed.type() == typeid(Poco::JSON::Object::Ptr)) return parsed.extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception&) {
  }
  return nullptr;
}

inline void compare(const Poco::Dynamic::Var& official, const Poco::Dynamic::Var& ours, const std::string& path,
                    std::vector<std::string>& out) {
  const std::string a = kindOf(official), b = kindOf(ours);
  if (a == "null" || b == "null") return;  // the documentation allows null where it shows one
  if (a != b) {
    out.push_back(path + ": official " + a + ", ours " + b);
    return;
  }
  if (a == "string") {
    // A call's own parameters and answer (CloudAudit's requestParameters, responseElements) have
    // the shape of that call, whatever it was: not the event's to compare.
    for (const char* own : {".requestParameters", ".responseElements"}) {
      const std::string suffix(own);
      if (path.size() >= suffix.size() && path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0) return;
    }
    auto o1 = objectIn(official), o2 = objectIn(ours);
    if (o1 && o2) compare(Poco::Dynamic::Var(o1), Poco::Dynamic::Var(o2), path + "<json>", out);
    return;
  }
  if (a == "array") {
    auto x = official.extract<Poco::JSON::Array::Ptr>(), y = ours.extract<Poco::JSON::Array::Ptr>();
    if (x->size() > 0 && y->size() > 0) compare(x->get(0), y->get(0), path + "[0]", out);
    return;
  }
  if (a != "object") return;
  auto x = official.extract<Poco::JSON::Object::Ptr>(), y = ours.extract<Poco::JSON::Object::Ptr>();
  for (const auto& [name, value] : *y) {
    if (!x->has(name)) {
      out.push_back(path + "." + name + ": not in the official answer");
      continue;
    }
    compare(x->get(name), value, path + "." + name, out);
  }
}

}  // namespace json_shape_detail

// Every field of `ours` exists in `official` with the same JSON type, recursively; the fields of
// `required` (paths like ".Response.Events") exist in `ours`. Empty when the shapes agree.
inline std::vector<std::string> shapeDifferences(const std::string& official, const std::string& ours,
                                                 const std::vector<std::string>& required = {}) {
  const Poco::Dynamic::Var x = Poco::JSON::Parser().parse(official), y = Poco::JSON::Parser().parse(ours);
  std::vector<std::string> out;
  json_shape_detail::compare(x, y, "", out);
  for (const std::string& path : required) {
    Poco::Dynamic::Var at = y;
    std::string rest = path;
    while (!rest.empty() && at.type() == typeid(Poco::JSON::Object::Ptr)) {
      rest.erase(0, 1);
      const auto dot = rest.find('.');
      const std::string name = rest.substr(0, dot);
      rest = dot == std::string::npos ? "" : rest.substr(dot);
      auto obj = at.extract<Poco::JSON::Object::Ptr>();
      if (!obj->has(name)) {
        out.push_back(path + ": missing");
        break;
      }
      at = obj->get(name);
    }
  }
  return out;
}

}  // namespace taskledger::testing
