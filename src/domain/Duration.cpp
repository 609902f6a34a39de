#include "taskledger/domain/Duration.h"

#include <cstdint>

namespace taskledger {
namespace {
// The sum is bounded like each number, so it cannot overflow and every accepted value's shortest
// form (at most 10^9 days) parses back.
constexpr std::int64_t kMaxTotal = 1'000'000'000LL * 86'400'000;
}  // namespace

std::optional<Millis> parseDuration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::int64_t total = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::int64_t n = 0;
    std::size_t start = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      n = n * 10 + (text[pos] - '0');
      if (n > 1'000'000'000) return std::nullopt;  // no sane duration is this long
      ++pos;
    }
    if (pos == start) return std::nullopt;
    std::size_t unit_start = pos;
    while (pos < text.size() && text[pos] >= 'a' && text[pos] <= 'z') ++pos;
    std::string_view unit = text.substr(unit_start, pos - unit_start);
    std::int64_t scale;
    if (unit == "ms") scale = 1;
    else if (unit == "s") scale = 1000;
    else if (unit == "m") scale = 60'000;
    else if (unit == "h") scale = 3'600'000;
    else if (unit == "d") scale = 86'400'000;
    else return std::nullopt;
    total += n * scale;
    if (total > kMaxTotal) return std::nullopt;
  }
  return Millis(total);
}

std::string formatDuration(Millis d) {
  std::int64_t ms = d.count();
  if (ms == 0) return "0s";
  std::string out;
  if (ms < 0) {
    out = "-";
    ms = -ms;
  }
  struct Unit {
    std::int64_t size;
    const char* name;
  };
  static constexpr Unit kUnits[] = {{86'400'000, "d"}, {3'600'000, "h"}, {60'000, "m"}, {1000, "s"}, {1, "ms"}};
  for (const auto& u : kUnits) {
    if (ms >= u.size) {
      out += std::to_string(ms / u.size) + u.name;
      ms %= u.size;
    }
  }
  return out;
}

}  // namespace taskledger
