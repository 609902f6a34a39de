// parseIsoTimestamp / formatIsoUtc (domain/Time.h): submitted_at cells, --since/--until, and every
// timestamp the ledger stores. The stored form must read back as the same instant.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>

#include "FuzzCheck.h"
#include "taskledger/domain/Time.h"

namespace {

using taskledger::formatIsoUtc;
using taskledger::Millis;
using taskledger::parseIsoTimestamp;
using taskledger::TimePoint;

// 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z: the instants the fixed-width form holds.
constexpr std::int64_t kFirstMs = -62'167'219'200'000LL;
constexpr std::int64_t kLastMs = 253'402'300'799'999LL;

// The database's form: fixed width, UTC, milliseconds, Z; it parses back to the same instant and
// formats to the same text.
void checkStoredForm(TimePoint t) {
  const std::string text = formatIsoUtc(t);
  FUZZ_CHECK(text.size() == 24 && text[10] == 'T' && text.back() == 'Z', text);
  const auto again = parseIsoTimestamp(text);
  FUZZ_CHECK(again.has_value(), text);
  FUZZ_CHECK(*again == t, text);
  FUZZ_CHECK(formatIsoUtc(*again) == text, text);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // A zone with daylight saving time, written as a POSIX rule so no tzdata is needed: times
  // without a zone go through mktime's gap and overlap handling.
  setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3", 1);
  tzset();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  const std::string_view text = taskledger::fuzz::asText(data, size);
  if (const auto parsed = parseIsoTimestamp(text)) {
    const std::int64_t ms = parsed->time_since_epoch().count();
    FUZZ_CHECK(ms >= kFirstMs && ms <= kLastMs, "an accepted time fits the stored form");
    checkStoredForm(*parsed);
    (void)taskledger::formatHuman(*parsed, false);
    (void)taskledger::formatHuman(*parsed, true);
  }
  if (size >= 10) {
    if (const auto day = taskledger::startOfDay(text.substr(0, 10), true)) {
      FUZZ_CHECK(formatIsoUtc(*day).substr(10) == "T00:00:00.000Z", text.substr(0, 10));
    }
  }

  // Every instant of the stored range formats and parses back.
  if (size >= sizeof(std::uint64_t)) {
    std::uint64_t raw;
    std::memcpy(&raw, data, sizeof raw);
    const auto span = static_cast<std::uint64_t>(kLastMs - kFirstMs) + 1;
    checkStoredForm(TimePoint(Millis(kFirstMs + static_cast<std::int64_t>(raw % span))));
  }
  return 0;
}
