#include "JsonLine.h"

#include <chrono>
#include <cstdio>

#include <Poco/UTF8String.h>

#include "taskledger/domain/Time.h"

namespace taskledger::cli {

JsonLine::JsonLine(const std::string& event, const std::string& level) {
  body_ = "{\"ts\":" + quote(formatIsoUtc(std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now()))) +
          ",\"level\":" + quote(level) + ",\"event\":" + quote(event);
}

JsonLine& JsonLine::add(const std::string& key, const std::string& value) {
  body_ += "," + quote(key) + ":" + quote(value);
  return *this;
}

JsonLine& JsonLine::add(const std::string& key, std::int64_t value) {
  body_ += "," + quote(key) + ":" + std::to_string(value);
  return *this;
}

JsonLine& JsonLine::add(const std::string& key, double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", value);
  body_ += "," + quote(key) + ":" + buf;
  return *this;
}

std::string JsonLine::quote(const std::string& s) { return "\"" + Poco::UTF8::escape(s, true) + "\""; }

}  // namespace taskledger::cli
