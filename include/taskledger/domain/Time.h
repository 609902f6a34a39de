#pragma once
// Time values and their text forms. The database stores UTC ISO-8601 with millisecond precision
// and a trailing Z ("2026-11-27T23:06:17.123Z"): fixed width, so text order is time order.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace taskledger {

using TimePoint = std::chrono::time_point<std::chrono::system_clock, std::chrono::milliseconds>;
using Millis = std::chrono::milliseconds;

// "2026-11-27T23:06:17.123Z".
std::string formatIsoUtc(TimePoint t);

// "2026-11-27 23:06:17" in the process's local time zone (TZ honoured), or UTC with a Z when utc.
std::string formatHuman(TimePoint t, bool utc);

// Parses ISO-8601 date-times: "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS[.fff]]" (T or space), with an
// optional zone "Z", "+HH:MM", "+HHMM" or "+HH". Without a zone the time is local (TZ honoured).
// Returns nullopt for anything else, including impossible dates (2026-02-30) and instants outside
// the years 0000-9999, which the fixed-width stored form cannot hold.
std::optional<TimePoint> parseIsoTimestamp(std::string_view text);

// The UTC instant of local (or UTC) midnight starting the given civil day "YYYY-MM-DD".
std::optional<TimePoint> startOfDay(std::string_view yyyy_mm_dd, bool utc);

// `deadline`, or a day from now if that is sooner: what to hand a condition variable or a sleep,
// which converts its deadline to nanoseconds and overflows for TimePoint::max() ("no deadline").
TimePoint clampForWait(TimePoint deadline);

// Times taken from outside (an answer, a file) are held to this range before the ledger keeps
// them: CLB's API 3.0 is younger than 2000, and clocks may differ by minutes, never by a day. A time
// outside it is a unit mistake (milliseconds read as seconds), garbage, or a broken clock.
inline constexpr TimePoint kEarliestSaneTime{Millis(946'684'800'000LL)};  // 2000-01-01T00:00:00Z
inline constexpr Millis kMaxFutureSkew{24LL * 3600 * 1000};
// Whether `t` lies in [kEarliestSaneTime, now + kMaxFutureSkew].
bool isSaneTime(TimePoint t, TimePoint now);
// The range isSaneTime() accepts, for messages: "between 2000-01-01 and a day from now".
inline constexpr const char* kSaneTimeRange = "between 2000-01-01 and a day from now";

// Converts between TimePoint and Unix seconds.
std::int64_t toUnixSeconds(TimePoint t);
TimePoint fromUnixSeconds(std::int64_t s);

}  // namespace taskledger
