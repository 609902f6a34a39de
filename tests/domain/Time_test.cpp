#include "taskledger/domain/Time.h"

#include <gtest/gtest.h>

#include "support/ScopedTimeZone.h"
#include "taskledger/domain/Duration.h"

namespace taskledger {
namespace {

using testing::ScopedTimeZone;

TEST(Time, FormatsUtcWithMillisecondsAndZ) {
  EXPECT_EQ(formatIsoUtc(fromUnixSeconds(1551113065) + Millis(7)), "2019-02-25T16:44:25.007Z");
  EXPECT_EQ(formatIsoUtc(fromUnixSeconds(0)), "1970-01-01T00:00:00.000Z");
}

TEST(Time, ParsesZonedForms) {
  struct Case { const char* text; std::int64_t unix_ms; };
  const Case cases[] = {
      {"2019-02-25T16:44:25Z", 1551113065000},
      {"2019-02-25T16:44:25.5Z", 1551113065500},
      {"2019-02-25 16:44:25.123z", 1551113065123},
      {"2019-02-26T00:44:25+08:00", 1551113065000},
      {"2019-02-26T00:44:25+0800", 1551113065000},
      {"2019-02-26T00:44:25+08", 1551113065000},
      {"2019-02-25T11:44:25-05:00", 1551113065000},
      {"2019-02-25T16:44Z", 1551113040000},
  };
  for (const auto& c : cases) {
    auto t = parseIsoTimestamp(c.text);
    ASSERT_TRUE(t) << c.text;
    EXPECT_EQ(t->time_since_epoch().count(), c.unix_ms) << c.text;
  }
}

TEST(Time, RoundTripsItsOwnFormat) {
  auto t = fromUnixSeconds(1764285977) + Millis(123);
  EXPECT_EQ(parseIsoTimestamp(formatIsoUtc(t)), t);
}

TEST(Time, WithoutZoneMeansLocalTime) {
  ScopedTimeZone tz("Asia/Shanghai");
  auto t = parseIsoTimestamp("2019-02-26T00:44:25");
  ASSERT_TRUE(t);
  EXPECT_EQ(toUnixSeconds(*t), 1551113065);
  EXPECT_EQ(formatHuman(*t, false), "2019-02-26 00:44:25");
  EXPECT_EQ(formatHuman(*t, true), "2019-02-25 16:44:25Z");
}

TEST(Time, RejectsMalformedAndImpossible) {
  for (const char* bad : {"", "2019", "2019-02-30", "2019-13-01", "2019-02-25T25:00", "2019-02-25T16:44:25+",
                          "2019-02-25T16:44:25Zjunk", "25/02/2019", "2019-02-25T16:44:25.Z", "2019-2-25"}) {
    EXPECT_FALSE(parseIsoTimestamp(bad)) << bad;
  }
  EXPECT_TRUE(parseIsoTimestamp("2024-02-29"));
  EXPECT_FALSE(parseIsoTimestamp("2023-02-29"));
}

TEST(Time, StartOfDayHonoursDst) {
  ScopedTimeZone tz("Europe/Berlin");
  auto start = startOfDay("2026-03-29", false);
  auto next = startOfDay("2026-03-30", false);
  ASSERT_TRUE(start && next);
  EXPECT_EQ(*next - *start, std::chrono::hours(23));
  EXPECT_EQ(formatIsoUtc(*startOfDay("2026-03-29", true)), "2026-03-29T00:00:00.000Z");
}

TEST(Duration, ParsesOperatorForms) {
  EXPECT_EQ(parseDuration("90s"), Millis(90'000));
  EXPECT_EQ(parseDuration("15m"), Millis(900'000));
  EXPECT_EQ(parseDuration("2h"), Millis(7'200'000));
  EXPECT_EQ(parseDuration("7d"), Millis(604'800'000));
  EXPECT_EQ(parseDuration("250ms"), Millis(250));
  EXPECT_EQ(parseDuration("1h30m"), Millis(5'400'000));
  for (const char* bad : {"", "10", "-5s", "5 s", "5x", "s", "1.5h", "99999999999s"}) {
    EXPECT_FALSE(parseDuration(bad)) << bad;
  }
}

TEST(Duration, FormatsShortestExactForm) {
  EXPECT_EQ(formatDuration(Millis(90'000)), "1m30s");
  EXPECT_EQ(formatDuration(Millis(5'400'000)), "1h30m");
  EXPECT_EQ(formatDuration(Millis(0)), "0s");
  EXPECT_EQ(formatDuration(Millis(1500)), "1s500ms");
}

}  // namespace
}  // namespace taskledger
