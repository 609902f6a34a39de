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

// Converts between TimePoint and Unix seconds.
std::int64_t toUnixSeconds(TimePoint t);
TimePoint fromUnixSeconds(std::int64_t s);

}  // namespace taskledger
