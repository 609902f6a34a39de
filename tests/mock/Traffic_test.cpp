// The sliding 1-second window at its edges, with synthetic times: no sleeping.
#include "../../src/mock/Traffic.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace taskledger::mock {
namespace {

using std::chrono::milliseconds;

const SteadyTime t0{std::chrono::hours(1)};
constexpr auto kAccepted = Traffic::Admission::Accepted;
constexpr auto kOverHost = Traffic::Admission::OverHostRate;

TEST(Traffic, AdmitsRatePerSlidingSecondAndRefusalsDoNotCount) {
  Traffic t(3);
  EXPECT_EQ(t.admit("id", "h", t0), kAccepted);
  EXPECT_EQ(t.admit("id", "h", t0 + milliseconds(10)), kAccepted);
  EXPECT_EQ(t.admit("id", "h", t0 + milliseconds(500)), kAccepted);
  EXPECT_EQ(t.admit("id", "h", t0 + milliseconds(999)), kOverHost);
  EXPECT_EQ(t.admit("id", "other-host", t0 + milliseconds(999)), kAccepted);
  EXPECT_EQ(t.admit("other-id", "h", t0 + milliseconds(999)), kAccepted);
  // The first admission leaves the window exactly 1 s later: (t - 1 s, t].
  EXPECT_EQ(t.admit("id", "h", t0 + milliseconds(1000)), kAccepted);
  EXPECT_EQ(t.admit("id", "h", t0 + milliseconds(1009)), kOverHost);
  EXPECT_EQ(t.admit("id", "h", t0 + milliseconds(1010)), kAccepted);
  MockStats s = t.snapshot();
  ASSERT_EQ(s.by_key.size(), 3u);
  EXPECT_EQ(s.by_key[0].host, "h");
  EXPECT_EQ(s.by_key[0].secret_id, "id");
  EXPECT_EQ(s.by_key[0].rate_limited, 2u);
  EXPECT_EQ(s.by_key[0].max_accepted_1s, 3);
}

TEST(Traffic, CountsTheLargestNumberOfArrivalsInAnyWindow) {
  Traffic t(0);
  // Arrivals 50 ms apart: a window (t - 1 s, t] holds 20 of them, never more.
  for (int i = 0; i < 40; ++i) t.arrive("id", "h", t0 + milliseconds(50 * i));
  EXPECT_EQ(t.snapshot().max_arrivals_1s, 20);
  // A burst of 21 within a second elsewhere raises it, per key and overall.
  for (int i = 0; i < 21; ++i) t.arrive("id", "h2", t0 + milliseconds(47 * i));
  MockStats s = t.snapshot();
  EXPECT_EQ(s.maxArrivalsPerKey(), 21);
  EXPECT_EQ(s.by_key[0].max_arrivals_1s, 20);
  EXPECT_EQ(s.requests, 61u);
  EXPECT_GE(s.max_arrivals_1s, 21);
}

TEST(Traffic, ArrivalsBookedOutOfOrderAreCountedInTheirWindowsOnly) {
  // Handlers stamp an arrival before they take the lock, so the books can get a later stamp
  // first. 40 arrivals 52 ms apart, every tenth booked after the ten that follow it: no window of
  // 1 s holds more than 20 of them, and the limit refuses none.
  Traffic t(20);
  std::vector<SteadyTime> stamps;
  for (int i = 0; i < 40; ++i) stamps.push_back(t0 + milliseconds(52 * i));
  for (std::size_t i = 0; i + 10 < stamps.size(); i += 10) std::rotate(stamps.begin() + i, stamps.begin() + i + 1, stamps.begin() + i + 11);
  for (SteadyTime s : stamps) {
    t.arrive("id", "h", s);
    EXPECT_EQ(t.admit("id", "h", s), kAccepted);
  }
  EXPECT_EQ(t.snapshot().maxArrivalsPerKey(), 20);
  EXPECT_EQ(t.snapshot().by_key[0].max_accepted_1s, 20);
  // A stamp booked late that does crowd a window is seen and refused: the last 20 arrivals span
  // 988 ms, and this one falls among them.
  const SteadyTime inside = t0 + milliseconds(52 * 39 - 500);
  EXPECT_EQ(t.admit("id", "h", inside), kOverHost);
  t.arrive("id", "h", inside);
  EXPECT_EQ(t.snapshot().maxArrivalsPerKey(), 21);
}

TEST(Traffic, AnAccountLimitCountsEveryHostOfTheAccount) {
  Traffic t(20, 3);
  EXPECT_EQ(t.admit("id", "h1", t0), kAccepted);
  EXPECT_EQ(t.admit("id", "h2", t0 + milliseconds(100)), kAccepted);
  EXPECT_EQ(t.admit("id", "h3", t0 + milliseconds(200)), kAccepted);
  EXPECT_EQ(t.admit("id", "h4", t0 + milliseconds(300)), Traffic::Admission::OverAccountRate);
  EXPECT_EQ(t.admit("other-id", "h4", t0 + milliseconds(300)), kAccepted);
  // The refusal did not count: one more fits once the first leaves the window.
  EXPECT_EQ(t.admit("id", "h4", t0 + milliseconds(1000)), kAccepted);
  EXPECT_EQ(t.snapshot().by_key[3].rate_limited, 1u);
}

TEST(Traffic, ABurstRefusesItsKeyUntilItEnds) {
  Traffic t(0);
  t.startBurst("id", "h", t0 + milliseconds(1000));
  EXPECT_EQ(t.admit("id", "h", t0), kOverHost);
  EXPECT_EQ(t.admit("id", "h2", t0), kAccepted);
  EXPECT_EQ(t.admit("id", "h", t0 + milliseconds(1000)), kAccepted);
}

TEST(Traffic, CountsOutcomesAndTheirClasses) {
  Traffic t(0);
  t.answered("status:0");
  t.answered("AuthFailure.SignatureFailure");
  t.answered("AuthFailure.SignatureExpire");
  t.answered("RequestLimitExceeded");
  MockStats s = t.snapshot();
  EXPECT_EQ(s.outcomes["status:0"], 1u);
  EXPECT_EQ(s.signature_failures, 2u);
  EXPECT_EQ(s.rate_limited, 1u);
}

}  // namespace
}  // namespace taskledger::mock
