#include "taskledger/scheduler/RateLimiter.h"

#include <gtest/gtest.h>

namespace taskledger::scheduler {
namespace {

const TimePoint t0 = fromUnixSeconds(1'800'000'000);

TEST(RateLimiter, AllowsRateSendsThenWaitsForTheOldestToLeaveTheWindow) {
  RateLimiter l(3, Millis(30));
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(l.nextSlot(t0 + Millis(i)), t0 + Millis(i));
    l.reserve(t0 + Millis(i));
  }
  EXPECT_EQ(l.nextSlot(t0 + Millis(3)), t0 + Millis(1030));
}

TEST(RateLimiter, SeededSendsCount) {
  RateLimiter l(2, Millis(0));
  l.seed({t0 - Millis(900), t0 - Millis(100)});
  EXPECT_EQ(l.nextSlot(t0), t0 + Millis(100));
}

TEST(RateLimiter, ConfirmedLateWriteMovesTheSlot) {
  RateLimiter l(1, Millis(0));
  l.reserve(t0);
  l.confirm(t0, t0 + Millis(250));
  EXPECT_EQ(l.nextSlot(t0), t0 + Millis(1250));
}

TEST(RateLimiter, OneRefusalEpisodePausesAWindowAndLowersTheRateOnce) {
  RateLimiter l(20, Millis(30));
  l.penalize(t0, t0 - Millis(10));
  EXPECT_EQ(l.nextSlot(t0), t0 + Millis(1030));
  EXPECT_EQ(l.effectiveRate(t0), 19);
  // More refusals of requests sent before that penalty are the same episode.
  l.penalize(t0 + Millis(50), t0 - Millis(5));
  EXPECT_EQ(l.effectiveRate(t0 + Millis(50)), 19);
  EXPECT_EQ(l.penalties(), 1u);
  // A refusal of a request sent after it is a new one.
  l.penalize(t0 + Millis(1500), t0 + Millis(1100));
  EXPECT_EQ(l.effectiveRate(t0 + Millis(1500)), 18);
  // Recovery: one unit per 5 s without refusals.
  EXPECT_EQ(l.effectiveRate(t0 + Millis(1500 + 5000)), 19);
  EXPECT_EQ(l.effectiveRate(t0 + Millis(1500 + 10000)), 20);
}

TEST(RateLimiter, NeverBelowOne) {
  RateLimiter l(2, Millis(0));
  for (int i = 0; i < 5; ++i) l.penalize(t0 + Millis(i * 2000), t0 + Millis(i * 2000));
  EXPECT_EQ(l.effectiveRate(t0 + Millis(8000)), 1);
}

}  // namespace
}  // namespace taskledger::scheduler
