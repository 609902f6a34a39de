#include "taskledger/report/Window.h"

#include <gtest/gtest.h>

#include "support/ScopedTimeZone.h"

namespace taskledger::report {
namespace {

using testing::ScopedTimeZone;
using std::chrono::hours;

TEST(DayWindow, RunsFromTheDaysMidnightToTheNextInTheChosenZone) {
  struct Case {
    const char* tz;
    const char* day;
    bool utc;
    const char* since;
    const char* until;
  };
  const Case cases[] = {
      {"Asia/Shanghai", "2026-03-10", true, "2026-03-10T00:00:00.000Z", "2026-03-11T00:00:00.000Z"},
      {"Asia/Shanghai", "2026-03-10", false, "2026-03-09T16:00:00.000Z", "2026-03-10T16:00:00.000Z"},
      // Spring forward: 23 hours; fall back: 25 hours.
      {"Europe/Berlin", "2026-03-29", false, "2026-03-28T23:00:00.000Z", "2026-03-29T22:00:00.000Z"},
      {"Europe/Berlin", "2026-10-25", false, "2026-10-24T22:00:00.000Z", "2026-10-25T23:00:00.000Z"},
      {"America/New_York", "2026-12-31", false, "2026-12-31T05:00:00.000Z", "2027-01-01T05:00:00.000Z"},
      {"UTC", "2028-02-28", false, "2028-02-28T00:00:00.000Z", "2028-02-29T00:00:00.000Z"},
  };
  for (const Case& c : cases) {
    ScopedTimeZone tz(c.tz);
    auto w = dayWindow(c.day, c.utc);
    ASSERT_TRUE(w) << c.tz << " " << c.day;
    EXPECT_EQ(formatIsoUtc(w->since), c.since) << c.tz << " " << c.day;
    EXPECT_EQ(formatIsoUtc(w->until), c.until) << c.tz << " " << c.day;
  }
}

TEST(DayWindow, SpringForwardDayIsTwentyThreeHoursAndNamesBothOffsets) {
  ScopedTimeZone tz("Europe/Berlin");
  auto w = dayWindow("2026-03-29", false);
  ASSERT_TRUE(w);
  EXPECT_EQ(w->until - w->since, hours(23));
  EXPECT_EQ(describeTimeZone(*w, false), "Europe/Berlin, CET +01:00 to CEST +02:00");
}

TEST(DayWindow, RejectsWhatIsNotADate) {
  EXPECT_FALSE(dayWindow("2026-02-30", true));
  EXPECT_FALSE(dayWindow("2026-3-10", true));
  EXPECT_FALSE(dayWindow("2026-03-10T00:00", true));
  EXPECT_FALSE(dayWindow("yesterday", false));
}

TEST(CivilDay, IsTheLocalOrUtcDateOfAnInstant) {
  ScopedTimeZone tz("Asia/Shanghai");
  const TimePoint t = *parseIsoTimestamp("2026-03-10T17:30:00Z");  // 01:30 on the 11th in Shanghai
  EXPECT_EQ(civilDay(t, true), "2026-03-10");
  EXPECT_EQ(civilDay(t, false), "2026-03-11");
}

TEST(WindowTime, ZonelessTimesAreLocalOrUtcAndExplicitZonesWin) {
  ScopedTimeZone tz("Asia/Shanghai");
  EXPECT_EQ(formatIsoUtc(*parseWindowTime("2026-03-10T08:00", false)), "2026-03-10T00:00:00.000Z");
  EXPECT_EQ(formatIsoUtc(*parseWindowTime("2026-03-10T08:00", true)), "2026-03-10T08:00:00.000Z");
  EXPECT_EQ(formatIsoUtc(*parseWindowTime("2026-03-10T08:00+01:00", true)), "2026-03-10T07:00:00.000Z");
  EXPECT_EQ(formatIsoUtc(*parseWindowTime("2026-03-10", true)), "2026-03-10T00:00:00.000Z");
  EXPECT_FALSE(parseWindowTime("10 March", false));
}

TEST(TimeZoneName, IsUtcWhenAskedAndOneZoneWithoutAChange) {
  ScopedTimeZone tz("Asia/Shanghai");
  const Window w = *dayWindow("2026-03-10", false);
  EXPECT_EQ(describeTimeZone(w, true), "UTC");
  EXPECT_EQ(describeTimeZone(w, false), "Asia/Shanghai, CST +08:00");
}

}  // namespace
}  // namespace taskledger::report
