#pragma once
// The report's window of submission times, and how the operator names one: a civil day in the
// local time zone (TZ honoured) or in UTC.
#include <optional>
#include <string>
#include <string_view>

#include "taskledger/domain/Time.h"

namespace taskledger::report {

// Tasks with since <= submitted_at < until.
struct Window {
  TimePoint since{};
  TimePoint until{};
};

// The civil day "YYYY-MM-DD" from its midnight to the next, local or UTC. A local day across a
// daylight-saving change is 23 or 25 hours long. nullopt when `day` is not a real date.
std::optional<Window> dayWindow(std::string_view day, bool utc);

// The civil day ("YYYY-MM-DD") that contains `t`, local or UTC.
std::string civilDay(TimePoint t, bool utc);

// The window to compare with (report --compare-previous): the civil day before when `w` is a
// civil day (23 or 25 hours across a daylight-saving change), else as long, just before it.
Window previousWindow(const Window& w, bool utc);

// A command-line time: ISO-8601 as parseIsoTimestamp reads it; without a zone it is local time,
// or UTC when `utc`. nullopt when malformed.
std::optional<TimePoint> parseWindowTime(std::string_view text, bool utc);

// Names the zone the report's times are shown in: "UTC", or the zone's name with its
// abbreviation and offset at the window's start, and at its end when they differ
// ("Europe/Berlin, CET +01:00 to CEST +02:00").
std::string describeTimeZone(const Window& window, bool utc);

}  // namespace taskledger::report
