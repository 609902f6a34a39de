#include "taskledger/domain/Time.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>

namespace taskledger {
namespace {

bool isLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int daysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && isLeap(y) ? 29 : kDays[m - 1];
}

// Reads exactly n digits at text[pos]; advances pos.
bool digits(std::string_view text, std::size_t& pos, int n, int& out) {
  if (pos + n > text.size()) return false;
  int v = 0;
  for (int i = 0; i < n; ++i) {
    char c = text[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  pos += n;
  out = v;
  return true;
}

// 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z: the range of the fixed-width form.
constexpr TimePoint kFirstStorable{Millis(-62'167'219'200'000LL)};
constexpr TimePoint kLastStorable{Millis(253'402'300'799'999LL)};

bool expect(std::string_view text, std::size_t& pos, char c) {
  if (pos < text.size() && text[pos] == c) {
    ++pos;
    return true;
  }
  return false;
}

}  // namespace

std::int64_t toUnixSeconds(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

TimePoint fromUnixSeconds(std::int64_t s) { return TimePoint(std::chrono::seconds(s)); }

std::string formatIsoUtc(TimePoint t) {
  auto ms = t.time_since_epoch().count();
  std::int64_t secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
  int frac = static_cast<int>(ms - secs * 1000);
  std::time_t tt = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
  return buf;
}

std::string formatHuman(TimePoint t, bool utc) {
  std::time_t tt = static_cast<std::time_t>(toUnixSeconds(t));
  std::tm tm{};
  if (utc) {
    gmtime_r(&tt, &tm);
  } else {
    localtime_r(&tt, &tm);
  }
  char buf[40];
  std::strftime(buf, sizeof buf, utc ? "%Y-%m-%d %H:%M:%SZ" : "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

std::optional<TimePoint> parseIsoTimestamp(std::string_view text) {
  std::size_t pos = 0;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, ms = 0;
  if (!digits(text, pos, 4, y) || !expect(text, pos, '-') || !digits(text, pos, 2, mo) ||
      !expect(text, pos, '-') || !digits(text, pos, 2, d)) {
    return std::nullopt;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return std::nullopt;
  if (pos < text.size() && (text[pos] == 'T' || text[pos] == 't' || text[pos] == ' ')) {
    ++pos;
    if (!digits(text, pos, 2, h) || !expect(text, pos, ':') || !digits(text, pos, 2, mi)) {
      return std::nullopt;
    }
    if (expect(text, pos, ':')) {
      if (!digits(text, pos, 2, s)) return std::nullopt;
      if (expect(text, pos, '.') || expect(text, pos, ',')) {
        // Keep milliseconds; further digits are accepted and dropped.
        int scale = 100, n = 0;
        while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
          if (scale > 0) ms += (text[pos] - '0') * scale;
          scale /= 10;
          ++pos;
          ++n;
        }
        if (n == 0) return std::nullopt;
      }
    }
    if (h > 23 || mi > 59 || s > 60) return std::nullopt;  // 60: a leap second, folded below
  }
  bool zoned = false;
  int offset_minutes = 0;
  if (pos < text.size()) {
    char z = text[pos];
    if (z == 'Z' || z == 'z') {
      zoned = true;
      ++pos;
    } else if (z == '+' || z == '-') {
      ++pos;
      int oh = 0, om = 0;
      if (!digits(text, pos, 2, oh)) return std::nullopt;
      if (expect(text, pos, ':')) {
        if (!digits(text, pos, 2, om)) return std::nullopt;
      } else if (pos < text.size()) {
        if (!digits(text, pos, 2, om)) return std::nullopt;
      }
      if (oh > 23 || om > 59) return std::nullopt;
      zoned = true;
      offset_minutes = (z == '+' ? 1 : -1) * (oh * 60 + om);
    }
  }
  if (pos != text.size()) return std::nullopt;

  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  std::time_t tt;
  if (zoned) {
    tt = timegm(&tm) - static_cast<std::time_t>(offset_minutes) * 60;
  } else {
    tm.tm_isdst = -1;
    tt = std::mktime(&tm);
    if (tt == static_cast<std::time_t>(-1)) return std::nullopt;
  }
  // An offset or a leap second can carry 0000 or 9999 past the four-digit years; such an instant
  // has no stored form (formatIsoUtc would write "10000-..." and break text order), so refuse it.
  const TimePoint t = fromUnixSeconds(static_cast<std::int64_t>(tt)) + Millis(ms);
  if (t < kFirstStorable || t > kLastStorable) return std::nullopt;
  return t;
}

std::optional<TimePoint> startOfDay(std::string_view day, bool utc) {
  if (day.size() != 10) return std::nullopt;
  std::string text(day);
  if (utc) text += "T00:00:00Z";
  return parseIsoTimestamp(text);
}

bool isSaneTime(TimePoint t, TimePoint now) { return t >= kEarliestSaneTime && t <= now + kMaxFutureSkew; }

TimePoint clampForWait(TimePoint deadline) {
  const TimePoint now = std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now());
  return std::min(deadline, now + std::chrono::hours(24));
}

}  // namespace taskledger
