#include "JsonLine.h"

#include <chrono>
#include <cstdio>

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

std::string JsonLine::quote(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

}  // namespace taskledger::cli
