// parseDuration / formatDuration (domain/Duration.h): what operators type after --max-duration,
// --stuck-after, --older-than and in the INI file.
#include <cstdint>
#include <cstring>
#include <string>

#include "FuzzCheck.h"
#include "taskledger/domain/Duration.h"

namespace {

using taskledger::Millis;
using taskledger::formatDuration;
using taskledger::parseDuration;

// parseDuration caps each number at 10^9; past 10^9 days no input can name the value.
constexpr std::int64_t kLargestNameable = 1'000'000'000LL * 86'400'000LL;

bool allDigits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return !s.empty();
}

// The shortest form names the same value, and is its own shortest form.
void checkCanonical(Millis value) {
  const std::string text = formatDuration(value);
  const auto again = parseDuration(text);
  FUZZ_CHECK(again.has_value(), text);
  FUZZ_CHECK(*again == value, text);
  FUZZ_CHECK(formatDuration(*again) == text, text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  const std::string_view text = taskledger::fuzz::asText(data, size);
  if (const auto parsed = parseDuration(text)) {
    FUZZ_CHECK(parsed->count() >= 0, text);
    FUZZ_CHECK(!allDigits(text), "a bare number has no unit");
    FUZZ_CHECK(text.front() != '-' && text.front() != '+', "a sign is refused");
    checkCanonical(*parsed);
  }

  // Any value a duration can name formats to text that parses back to it.
  if (size >= sizeof(std::int64_t)) {
    std::int64_t raw;
    std::memcpy(&raw, data, sizeof raw);
    const std::int64_t value = raw < 0 ? -(raw / 2) : raw;  // no -INT64_MIN
    checkCanonical(Millis(value % kLargestNameable));
  }
  return 0;
}
