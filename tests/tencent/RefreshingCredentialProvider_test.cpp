// Temporary keys renew themselves before they expire, on a fake clock: no test waits.
#include "taskledger/tencent/RefreshingCredentialProvider.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <thread>
#include <vector>

#include "support/FakeClock.h"
#include "taskledger/domain/Error.h"

namespace taskledger::tencent {
namespace {

using taskledger::testing::FakeClock;
using std::chrono::minutes;
using std::chrono::seconds;

// Hands out key N on the N-th fetch, each valid for `life` from the clock's now; can be told to fail.
struct FakeIssuer {
  FakeClock& clock;
  Millis life;
  int fetches = 0;
  bool failing = false;
  bool garbled = false;  // fails the way a library would, not with a taskledger::Error

  RefreshingCredentialProvider::Fetch fetch() {
    return [this] {
      if (failing) throw Error(ExitCode::AuthRefused, "issuer refuses");
      if (garbled) throw std::runtime_error("bad cast");
      ++fetches;
      return TemporaryCredentials{{"AKIDtmp" + std::to_string(fetches), "key" + std::to_string(fetches),
                                   "token" + std::to_string(fetches)},
                                  clock.now() + life};
    };
  }
};

TEST(RefreshingCredentialProvider, TenSecondKeysAreRenewedAtHalfTheirLife) {
  FakeClock clock;
  FakeIssuer issuer{clock, seconds(10)};
  RefreshingCredentialProvider p("role:r", issuer.fetch(), clock);
  EXPECT_EQ(p.current().secret_id, "AKIDtmp1");
  clock.advance(Millis(4999));
  EXPECT_EQ(p.current().secret_id, "AKIDtmp1");
  clock.advance(Millis(1));
  EXPECT_EQ(p.current().secret_id, "AKIDtmp2");
  EXPECT_EQ(p.current().token, "token2");
  EXPECT_EQ(issuer.fetches, 2);
}

// Issue 20: an ExpiredTime in milliseconds (year 58902) was kept as is: never renewed, and shown
// by `credentials` as a five-digit year.
TEST(RefreshingCredentialProvider, AnExpiryYearsAheadIsTakenAsADay) {
  FakeClock clock;
  FakeIssuer issuer{clock, std::chrono::hours(24LL * 365 * 57'000)};
  RefreshingCredentialProvider p("role:r", issuer.fetch(), clock);
  const TimePoint start = clock.now();
  EXPECT_EQ(p.current().secret_id, "AKIDtmp1");
  EXPECT_EQ(p.expiresAt(), start + std::chrono::hours(24));
  clock.advanceTo(start + std::chrono::hours(24) - minutes(5));
  EXPECT_EQ(p.current().secret_id, "AKIDtmp2");
}

TEST(RefreshingCredentialProvider, LongKeysAreRenewedFiveMinutesAhead) {
  FakeClock clock;
  FakeIssuer issuer{clock, std::chrono::hours(2)};
  RefreshingCredentialProvider p("cvm-role:r", issuer.fetch(), clock);
  const TimePoint start = clock.now();
  p.current();
  EXPECT_EQ(p.expiresAt(), start + std::chrono::hours(2));
  clock.advanceTo(start + std::chrono::hours(2) - minutes(5) - Millis(1));
  EXPECT_EQ(p.current().secret_id, "AKIDtmp1");
  clock.advance(Millis(1));
  EXPECT_EQ(p.current().secret_id, "AKIDtmp2");
  EXPECT_EQ(RefreshingCredentialProvider::refreshTime(start, start + seconds(10)), start + seconds(5));
}

// A minute of 10-second keys, asked every 100 ms: never an expired key, the identity unchanged.
TEST(RefreshingCredentialProvider, AMinuteOfShortKeysNeverHandsOutAnExpiredOne) {
  FakeClock clock;
  FakeIssuer issuer{clock, seconds(10)};
  RefreshingCredentialProvider p("role:qcs::cam::uin/1:roleName/r", issuer.fetch(), clock);
  const TimePoint end = clock.now() + minutes(1);
  while (clock.now() < end) {
    p.current();
    ASSERT_GT(*p.expiresAt(), clock.now());
    EXPECT_EQ(p.identity(), "role:qcs::cam::uin/1:roleName/r");
    clock.advance(Millis(100));
  }
  EXPECT_EQ(issuer.fetches, 12);  // at 0, 5, 10, ... 55 s
}

TEST(RefreshingCredentialProvider, AFailedRenewalKeepsTheValidKeysAndTriesAgainSoon) {
  FakeClock clock;
  FakeIssuer issuer{clock, seconds(10)};
  RefreshingCredentialProvider p("role:r", issuer.fetch(), clock);
  p.current();
  issuer.failing = true;
  clock.advance(seconds(6));
  EXPECT_EQ(p.current().secret_id, "AKIDtmp1");
  issuer.failing = false;
  clock.advance(Millis(500));
  EXPECT_EQ(p.current().secret_id, "AKIDtmp1");  // not before the retry time
  clock.advance(Millis(500));
  EXPECT_EQ(p.current().secret_id, "AKIDtmp2");
}

TEST(RefreshingCredentialProvider, AnyKindOfRenewalFailureKeepsTheValidKeys) {
  FakeClock clock;
  FakeIssuer issuer{clock, seconds(10)};
  RefreshingCredentialProvider p("role:r", issuer.fetch(), clock);
  p.current();
  issuer.garbled = true;
  clock.advance(seconds(5));
  EXPECT_EQ(p.current().secret_id, "AKIDtmp1");
  clock.advance(seconds(5));
  EXPECT_THROW(p.current(), std::runtime_error);
}

TEST(RefreshingCredentialProvider, ExpiredKeysAndAFailingIssuerThrowTheIssuersError) {
  FakeClock clock;
  FakeIssuer issuer{clock, seconds(10)};
  RefreshingCredentialProvider p("role:r", issuer.fetch(), clock);
  p.current();
  issuer.failing = true;
  clock.advance(seconds(10));
  try {
    p.current();
    FAIL() << "expired keys were handed out";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::AuthRefused);
    EXPECT_STREQ(e.what(), "issuer refuses");
  }
}

TEST(RefreshingCredentialProvider, KeysAlreadyExpiredWhenFetchedAreRefused) {
  FakeClock clock;
  FakeIssuer issuer{clock, seconds(0)};
  RefreshingCredentialProvider p("cvm-role:r", issuer.fetch(), clock);
  EXPECT_THROW(p.current(), Error);
  EXPECT_FALSE(p.expiresAt().has_value());
}

TEST(RefreshingCredentialProvider, ManyThreadsAtTheRefreshTimeFetchOnce) {
  FakeClock clock;
  FakeIssuer issuer{clock, seconds(10)};
  RefreshingCredentialProvider p("role:r", issuer.fetch(), clock);
  p.current();
  clock.advance(seconds(5));
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) threads.emplace_back([&p] { EXPECT_EQ(p.current().secret_id, "AKIDtmp2"); });
  for (auto& t : threads) t.join();
  EXPECT_EQ(issuer.fetches, 2);
}

}  // namespace
}  // namespace taskledger::tencent
