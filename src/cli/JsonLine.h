#pragma once
// One JSON log line: {"ts":"...Z","level":"info","event":"run.start",...}. Keys in insertion order.
#include <cstdint>
#include <string>

namespace taskledger::cli {

class JsonLine {
 public:
  explicit JsonLine(const std::string& event, const std::string& level = "info");
  JsonLine& add(const std::string& key, const std::string& value);
  JsonLine& add(const std::string& key, const char* value) { return add(key, std::string(value)); }
  JsonLine& add(const std::string& key, std::int64_t value);
  JsonLine& add(const std::string& key, double value);
  std::string str() const { return body_ + "}"; }

  static std::string quote(const std::string& s);

 private:
  std::string body_;
};

}  // namespace taskledger::cli
