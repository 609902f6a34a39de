#include "taskledger/scheduler/RateLimiter.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

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

TEST(RateLimiter, AWriteLaterThanItsDecisionMovesTheSlot) {
  RateLimiter l(1, Millis(0));
  l.reserve(t0);
  EXPECT_EQ(l.admit(t0, t0 + Millis(250)), t0 + Millis(250));
  EXPECT_EQ(l.nextSlot(t0), t0 + Millis(1250));
}

// What put 21 arrivals in one second at one host under the sanitizers: a send decided on time but
// written late (its thread descheduled, or a handshake first) while the sends decided after it
// went out on time. Admitted at the moment of writing, the late one takes the later slot, and
// the one that would have made 21 waits for it.
TEST(RateLimiter, ALateWriteNeverPutsMoreThanRateInAWindow) {
  const int rate = 20;
  RateLimiter l(rate, Millis(30));
  std::vector<TimePoint> written;
  TimePoint now = t0;
  TimePoint late_reservation{};
  for (int i = 0; i < 60; ++i) {
    now = l.nextSlot(now);
    l.reserve(now);
    if (i == 5) {
      late_reservation = now;  // written 400 ms later, after three more decisions
      continue;
    }
    if (i == 8) written.push_back(l.admit(late_reservation, late_reservation + Millis(400)));
    written.push_back(l.admit(now, std::max(now, written.empty() ? now : written.back())));
  }
  std::sort(written.begin(), written.end());
  for (std::size_t i = 0; i + rate < written.size(); ++i) {
    EXPECT_GE(written[i + rate] - written[i], Millis(1000)) << "window starting at send " << i;
  }
}

TEST(RateLimiter, AdmitHoldsAWriteThatWouldCrowdTheWindow) {
  RateLimiter l(2, Millis(0));
  l.reserve(t0);
  l.reserve(t0 + Millis(10));
  EXPECT_EQ(l.admit(t0 + Millis(10), t0 + Millis(10)), t0 + Millis(10));
  // Decided at t0, written after its successor: no window may hold more than two.
  l.reserve(t0 + Millis(1000));
  l.admit(t0, t0 + Millis(600));
  EXPECT_EQ(l.admit(t0 + Millis(1000), t0 + Millis(1000)), t0 + Millis(1010));
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
