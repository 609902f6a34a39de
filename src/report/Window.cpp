#include "taskledger/report/Window.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>

namespace taskledger::report {
namespace {

// The local zone's name: $TZ as set, else the zoneinfo file /etc/localtime links to.
std::string localZoneName() {
  if (const char* tz = std::getenv("TZ"); tz && *tz) return *tz == ':' ? tz + 1 : tz;
  char buf[512];
  ssize_t n = readlink("/etc/localtime", buf, sizeof buf - 1);
  if (n > 0) {
    std::string target(buf, static_cast<std::size_t>(n));
    auto at = target.find("zoneinfo/");
    if (at != std::string::npos) return target.substr(at + 9);
  }
  return "local time";
}

// "CET +01:00" at the instant t.
std::string zoneAt(TimePoint t) {
  std::time_t tt = static_cast<std::time_t>(toUnixSeconds(t));
  std::tm tm{};
  localtime_r(&tt, &tm);
  long off = tm.tm_gmtoff / 60;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s %c%02ld:%02ld", tm.tm_zone ? tm.tm_zone : "", off < 0 ? '-' : '+',
                std::labs(off) / 60, std::labs(off) % 60);
  return buf;
}

}  // namespace

std::optional<Window> dayWindow(std::string_view text, bool utc) {
  auto since = startOfDay(text, utc);
  if (!since) return std::nullopt;
  // startOfDay accepted it, so it is a real "YYYY-MM-DD"; the next civil day is one calendar
  // day on, whatever its length in hours.
  int y = 0, m = 0, d = 0;
  std::sscanf(std::string(text).c_str(), "%4d-%2d-%2d", &y, &m, &d);
  using namespace std::chrono;
  const year_month_day next{sys_days{year{y} / month{static_cast<unsigned>(m)} / day{static_cast<unsigned>(d)}} +
                            days{1}};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(next.year()),
                static_cast<unsigned>(next.month()), static_cast<unsigned>(next.day()));
  auto until = startOfDay(buf, utc);
  if (!until) return std::nullopt;
  return Window{*since, *until};
}

std::string civilDay(TimePoint t, bool utc) { return formatHuman(t, utc).substr(0, 10); }

Window previousWindow(const Window& w, bool utc) {
  const auto this_day = dayWindow(civilDay(w.since, utc), utc);
  if (this_day && this_day->since == w.since && this_day->until == w.until) {
    if (auto day_before = dayWindow(civilDay(w.since - Millis(1), utc), utc)) return *day_before;
  }
  return Window{w.since - (w.until - w.since), w.since};
}

std::optional<TimePoint> parseWindowTime(std::string_view text, bool utc) {
  if (utc) {
    // Adding a Z parses only when the text names no zone of its own: then it means UTC.
    if (auto t = parseIsoTimestamp(std::string(text) + "Z")) return t;
  }
  return parseIsoTimestamp(text);
}

std::string describeTimeZone(const Window& window, bool utc) {
  if (utc) return "UTC";
  std::string start = zoneAt(window.since);
  std::string end = zoneAt(window.until - Millis(1));
  std::string out = localZoneName() + ", " + start;
  if (end != start) out += " to " + end;
  return out;
}

}  // namespace taskledger::report
