// Inputs the duration fuzzer (tests/fuzz/Duration_fuzz.cpp) found, kept as plain tests.
#include <gtest/gtest.h>

#include <string>

#include "taskledger/domain/Duration.h"

namespace taskledger {
namespace {

// Each number was within its 10^9 cap, but their sum was not: the value was accepted and its
// shortest form ("1000000424d") was then refused.
TEST(DurationRegression, SumBeyondTheCapIsRefusedNotAcceptedUnwritable) {
  EXPECT_EQ(parseDuration("1000000000d424d"), std::nullopt);
  EXPECT_EQ(parseDuration("1000000000d1ms"), std::nullopt);
  const auto largest = parseDuration("1000000000d");
  ASSERT_TRUE(largest.has_value());
  EXPECT_EQ(parseDuration(formatDuration(*largest)), largest);
}

// Many capped numbers in a row used to overflow the signed sum (undefined behaviour).
TEST(DurationRegression, LongCompoundCannotOverflow) {
  std::string text;
  for (int i = 0; i < 120; ++i) text += "1000000000d";
  EXPECT_EQ(parseDuration(text), std::nullopt);
}

}  // namespace
}  // namespace taskledger
