// Inputs the timestamp fuzzer (tests/fuzz/Timestamp_fuzz.cpp) found, kept as plain tests.
#include <gtest/gtest.h>

#include "taskledger/domain/Time.h"

namespace taskledger {
namespace {

// A leap second or a zone offset at the ends of the four-digit years named an instant in year
// 10000 or year -1: accepted, then stored as "10000-01-01T..." that no longer parsed back (and
// sorted before "2026-..." as text).
TEST(TimeRegression, InstantsPastTheFourDigitYearsAreRefused) {
  EXPECT_EQ(parseIsoTimestamp("9999-12-31T23:59:60.999Z"), std::nullopt);
  EXPECT_EQ(parseIsoTimestamp("9999-12-31T23:59-01"), std::nullopt);
  EXPECT_EQ(parseIsoTimestamp("0000-01-01T00:30+01:00"), std::nullopt);
}

TEST(TimeRegression, TheFirstAndLastStorableInstantsRoundTrip) {
  for (const char* text : {"0000-01-01T00:00:00.000Z", "9999-12-31T23:59:59.999Z"}) {
    const auto t = parseIsoTimestamp(text);
    ASSERT_TRUE(t.has_value()) << text;
    EXPECT_EQ(formatIsoUtc(*t), text);
  }
}

}  // namespace
}  // namespace taskledger
