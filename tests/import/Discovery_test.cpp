// The discovery service against a fake CloudAudit that keeps the service's rules (30-day spans,
// 90-day floor, paging), on virtual time: windows, paging, idempotence, the cursor, the pace of
// calls and what each error ends in.
#include "taskledger/import/Discovery.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <map>

#include "support/FakeClock.h"
#include "support/FakeTaskStore.h"
#include "taskledger/domain/Error.h"

namespace taskledger::import {
namespace {

// An error as the CloudAudit client classifies it (tencent/ErrorClassifier; the import part's
// tests link no adapter): rate limiting and server trouble are retried, anything else is not.
ApiError apiError(const std::string& code, const std::string& message) {
  ApiError e;
  e.code = code;
  e.message = message;
  const bool transient = code.rfind("RequestLimitExceeded", 0) == 0 || code == "InternalError";
  e.rate_limited = code.rfind("RequestLimitExceeded", 0) == 0;
  e.consequence = transient                             ? ErrorConsequence::RetryLater
                  : code.rfind("AuthFailure", 0) == 0 ? ErrorConsequence::RefuseCredentials
                                                        : ErrorConsequence::RejectTask;
  return e;
}

using testing::FakeClock;
using testing::FakeTaskStore;

constexpr std::int64_t kDay = 86400;

std::string uuid(int n) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "00000000-0000-4000-8000-%012d", n);
  return buf;
}

AuditEvent write(int n, std::int64_t time) {
  AuditEvent e;
  e.event_name = "RegisterTargets";
  e.event_time = time;
  e.event_region = n % 2 ? "ap-guangzhou" : "ap-beijing";
  e.request_id = uuid(n);
  e.resource_type = "clb";
  e.resource_name = "lb-" + std::to_string(n);
  e.api_version = "3.0";
  e.action_type = "Write";
  e.user_name = "alice";
  e.source_ip = "10.0.0.1";
  return e;
}

// CloudAudit as the service answers: ResourceType/ActionType filters, newest first, integer
// NextToken offsets, and its span and lookback rules checked on every query.
class FakeCloudAudit final : public AuditEventSource {
 public:
  explicit FakeCloudAudit(FakeClock& clock) : clock_(clock) {}

  AuditAnswer describeEvents(const AuditQuery& q) override {
    queries.push_back(q);
    // A request arrives after a delay (long when a handshake comes first) and its answer takes as
    // long again; the service counts arrivals.
    const Millis delay(queries.size() % 7 == 1 ? 60 : 5);
    call_times.push_back(clock_.now() + delay);
    clock_.advance(2 * delay);
    if (!errors.empty()) {
      AuditAnswer a{errors.front()};
      a.credentials_refused = errors.front().code.rfind("AuthFailure", 0) == 0;
      errors.pop_front();
      return a;
    }
    if (q.end_time - q.start_time >= 30 * kDay || q.start_time < toUnixSeconds(clock_.now()) - 90 * kDay ||
        q.max_results > 50) {
      ++rule_violations;
      return AuditAnswer{apiError("InvalidParameterValue.Time", "out of range")};
    }
    std::vector<AuditEvent> match;
    for (const auto& e : log) {
      bool ok = e.event_time >= q.start_time && e.event_time <= q.end_time;
      for (const auto& l : q.lookups) {
        if (l.key == "ResourceType") ok = ok && e.resource_type == l.value;
        if (l.key == "ActionType") ok = ok && e.action_type == l.value;
      }
      if (ok) match.push_back(e);
    }
    if (over_amount_above && match.size() > over_amount_above) {
      ++over_amount_answers;
      return AuditAnswer{apiError("LimitExceeded.OverAmount", "too many events in the time range")};
    }
    std::stable_sort(match.begin(), match.end(), [](auto& a, auto& b) { return a.event_time > b.event_time; });
    match.insert(match.begin(), stray.begin(), stray.end());
    const std::size_t from = q.next_token ? offsets.at(q.next_token->text) : 0;
    AuditPage page;
    for (std::size_t i = from; i < match.size() && page.events.size() < static_cast<std::size_t>(q.max_results); ++i) {
      page.events.push_back(match[i]);
    }
    page.list_over = from + page.events.size() >= match.size();
    if (!page.list_over) {
      // Time-like and falling from page to page, as the service's (API.md): no order to rely on.
      const std::size_t next = from + page.events.size();
      page.next_token = AuditToken{std::to_string(16805138109322956LL - static_cast<long long>(next)), true};
      if (repeat_first_token && q.next_token) page.next_token = q.next_token;  // a service going round in circles
      offsets.emplace(page.next_token->text, next);
    }
    page.api_request_id = uuid(9999);
    return AuditAnswer{page};
  }
  std::string host() const override { return "cloudaudit.tencentcloudapi.com"; }

  std::vector<AuditEvent> log;
  std::deque<ApiError> errors;  // answered first, one per call
  std::vector<AuditEvent> stray;  // on the first page of every query, whatever its window (a broken service)
  std::map<std::string, std::size_t> offsets;  // the tokens handed out, and the page each stands for
  std::size_t over_amount_above = 0;  // LimitExceeded.OverAmount for a query matching more (0: never)
  int over_amount_answers = 0;
  bool repeat_first_token = false;  // from the second page on, hand back the token it was asked with
  std::vector<AuditQuery> queries;
  std::vector<TimePoint> call_times;  // arrivals
  int rule_violations = 0;

 private:
  FakeClock& clock_;
};

class MemoryCursor final : public store::DiscoveryCursor {
 public:
  std::optional<TimePoint> lastEventAt(const std::string& profile) override {
    auto it = at.find(profile);
    return it == at.end() ? std::nullopt : std::optional<TimePoint>(it->second);
  }
  void advance(const std::string& profile, TimePoint t, TimePoint) override {
    auto [it, inserted] = at.emplace(profile, t);
    if (!inserted) it->second = std::max(it->second, t);
  }
  std::vector<TimePoint> recentCalls(const std::string& host) override { return calls[host]; }
  void saveCalls(const std::string& host, const std::vector<TimePoint>& sent) override { calls[host] = sent; }
  std::map<std::string, TimePoint> at;
  std::map<std::string, std::vector<TimePoint>> calls;
};

class DiscoveryTest : public ::testing::Test {
 protected:
  std::int64_t now() const { return toUnixSeconds(clock.now()); }
  DiscoveryResult discover(DiscoveryOptions o = {}) { return Discovery(audit, store, cursor, clock).discover(o); }
  DiscoveryOptions since(std::int64_t seconds_ago) {
    DiscoveryOptions o;
    o.since = fromUnixSeconds(now() - seconds_ago);
    return o;
  }

  FakeClock clock;
  FakeCloudAudit audit{clock};
  FakeTaskStore store;
  MemoryCursor cursor;
};

TEST(SplitWindow, SpansOfAtMostTheLimitCoverTheWindowAndShareTheirBoundaries) {
  auto spans = splitWindow(1000, 1000 + 75 * kDay, 30 * kDay);
  ASSERT_EQ(spans.size(), 3u);
  EXPECT_EQ(spans.front().start, 1000);
  EXPECT_EQ(spans.back().end, 1000 + 75 * kDay);
  for (std::size_t i = 0; i < spans.size(); ++i) {
    EXPECT_LE(spans[i].end - spans[i].start, 30 * kDay);
    if (i) {
      EXPECT_EQ(spans[i].start, spans[i - 1].end);
    }
  }
  EXPECT_EQ(splitWindow(5, 5 + 30 * kDay, 30 * kDay).size(), 1u);
  EXPECT_TRUE(splitWindow(10, 10, 30 * kDay).empty());
  EXPECT_TRUE(splitWindow(10, 5, 30 * kDay).empty());
}

TEST_F(DiscoveryTest, FindsExactlyTheTasksAcrossPagesAndSpansAndAsksTheServiceToFilter) {
  std::set<std::string> expected;
  for (int i = 0; i < 130; ++i) {  // over 60 days: three spans, several pages each
    audit.log.push_back(write(i, now() - 60 * kDay + i * 40'000));
    expected.insert(uuid(i));
  }
  auto read = write(500, now() - 100);
  read.action_type = "Read";
  auto failed = write(501, now() - 100);
  failed.api_error_code = "FailedOperation";
  auto v2 = write(502, now() - 100);
  v2.request_id = "15936031437374_1553056587.6815_v2";
  auto cvm = write(503, now() - 100);
  cvm.resource_type = "cvm";
  auto sync = write(504, now() - 100);
  sync.event_name = "CreateClsLogSet";  // answers at once: not a task
  audit.log.insert(audit.log.end(), {read, failed, v2, cvm, sync});

  auto r = discover(since(61 * kDay));
  std::set<std::string> found;
  for (const auto& t : store.tasks()) {
    found.insert(t.request_id);
    EXPECT_EQ(t.source, "cloudaudit");
    EXPECT_EQ(t.actor, "alice");
  }
  EXPECT_EQ(found, expected);
  EXPECT_EQ(r.added, 130);
  EXPECT_EQ(r.known, 0);
  EXPECT_EQ(r.events, 133);  // the service filters out the read event and the CVM one
  EXPECT_EQ(audit.rule_violations, 0);
  EXPECT_GT(std::count_if(audit.queries.begin(), audit.queries.end(), [](auto& q) { return q.next_token.has_value(); }), 0);
  for (const auto& q : audit.queries) {
    EXPECT_EQ(q.max_results, 50);
    ASSERT_EQ(q.lookups.size(), 2u);
    EXPECT_EQ(q.lookups[0].key, "ResourceType");
    EXPECT_EQ(q.lookups[0].value, "clb");
    EXPECT_EQ(q.lookups[1].key, "ActionType");
    EXPECT_EQ(q.lookups[1].value, "Write");
  }
  EXPECT_EQ(r.calls, static_cast<std::int64_t>(audit.queries.size()));
}

// Issue 21: one query spans *less* than 30 days; a 40-day window was asked as a 30-day span the
// service refuses.
TEST_F(DiscoveryTest, AFortyDayWindowIsAskedInSpansShorterThanThirtyDays) {
  for (int i = 0; i < 40; ++i) audit.log.push_back(write(i, now() - 40 * kDay + i * kDay + 60));
  auto r = discover(since(40 * kDay));
  EXPECT_EQ(audit.rule_violations, 0);
  EXPECT_EQ(r.added, 40);
  for (const auto& q : audit.queries) EXPECT_LT(q.end_time - q.start_time, 30 * kDay);
}

// NextToken is opaque: the fake's tokens fall from page to page (as the service's time-like ones
// do), and a token handed back twice ends the span's paging instead of looping or failing.
TEST_F(DiscoveryTest, PagingEndsOnListOverOrATokenSeenBeforeNeverOnAnAssumedOrder) {
  for (int i = 0; i < 120; ++i) audit.log.push_back(write(i, now() - 3600 + i));
  auto r = discover(since(2 * 3600));
  EXPECT_EQ(r.added, 120);  // three pages, tokens falling
  EXPECT_EQ(r.pages, 3);

  FakeTaskStore fresh;
  FakeCloudAudit circling{clock};
  circling.log = audit.log;
  circling.repeat_first_token = true;
  MemoryCursor other;
  auto again = Discovery(circling, fresh, other, clock).discover(since(2 * 3600));
  EXPECT_EQ(again.pages, 2) << "the second page hands back the first's token: paging ends there";
  EXPECT_EQ(again.added, 100);
}

// LimitExceeded.OverAmount (too much asked at once) halves the span and goes on, until every event
// of the window is read.
TEST_F(DiscoveryTest, OverAmountNarrowsTheWindowAndGoesOn) {
  for (int i = 0; i < 300; ++i) audit.log.push_back(write(i, now() - 6 * 3600 + i * 60));
  audit.over_amount_above = 100;
  auto r = discover(since(7 * 3600));
  EXPECT_EQ(r.added, 300);
  EXPECT_GT(audit.over_amount_answers, 0);
  EXPECT_EQ(r.narrowed, audit.over_amount_answers);
  EXPECT_EQ(audit.rule_violations, 0);
}

TEST_F(DiscoveryTest, TwiceOverTheSameWindowAddsNothing) {
  for (int i = 0; i < 70; ++i) audit.log.push_back(write(i, now() - 3600 + i));
  EXPECT_EQ(discover(since(7200)).added, 70);
  auto again = discover(since(7200));
  EXPECT_EQ(again.added, 0);
  EXPECT_EQ(again.known, 70);
  EXPECT_EQ(store.tasks().size(), 70u);
}

TEST_F(DiscoveryTest, TellsItsCountsAfterEveryPageForAProgressLine) {
  for (int i = 0; i < 120; ++i) audit.log.push_back(write(i, now() - 3600 + i));
  std::vector<DiscoveryResult> told;
  DiscoveryOptions o = since(7200);
  o.on_page = [&](const DiscoveryResult& so_far) { told.push_back(so_far); };
  const auto r = discover(o);
  ASSERT_EQ(told.size(), 3u);  // pages of 50, 50 and 20 events
  EXPECT_EQ(r.pages, 3);
  for (std::size_t i = 0; i < told.size(); ++i) EXPECT_EQ(told[i].pages, static_cast<std::int64_t>(i + 1));
  EXPECT_EQ(told[0].events, 50);
  EXPECT_EQ(told[0].added, 50);
  EXPECT_EQ(told.back().events, 120);
  EXPECT_EQ(told.back().added, r.added);
}

TEST_F(DiscoveryTest, AnEventOnASpanBoundaryIsOneTask) {
  const std::int64_t since_s = now() - 40 * kDay;
  audit.log.push_back(write(1, since_s + 30 * kDay));  // read by both spans
  auto r = discover(since(40 * kDay));
  EXPECT_EQ(r.added, 1);
  EXPECT_EQ(r.known, 0);
  EXPECT_EQ(store.tasks().size(), 1u);
}

TEST_F(DiscoveryTest, NeverAsksFurtherBackThanNinetyDays) {
  audit.log.push_back(write(1, now() - 89 * kDay));
  auto r = discover(since(200 * kDay));
  EXPECT_TRUE(r.since_clamped);
  EXPECT_EQ(r.added, 1);
  EXPECT_EQ(audit.rule_violations, 0);
  for (const auto& q : audit.queries) EXPECT_GE(q.start_time, now() - 90 * kDay);
}

TEST_F(DiscoveryTest, WithoutSinceItContinuesFromTheLastEventSeenLessTheMarginForLateEvents) {
  audit.log.push_back(write(1, now() - 30 * 3600));  // older than the first run's 24 hours
  audit.log.push_back(write(2, now() - 3600));
  auto first = discover();
  EXPECT_EQ(first.added, 1);
  EXPECT_EQ(audit.queries.front().start_time, now() - 24 * 3600);
  const std::int64_t last_seen = now() - 3600;

  clock.advance(std::chrono::hours(2));
  audit.log.push_back(write(3, last_seen - 60));  // arrived late, with a time before the last seen
  audit.queries.clear();
  auto second = discover();
  EXPECT_EQ(audit.queries.front().start_time, last_seen - 15 * 60);
  EXPECT_EQ(second.added, 1);
  EXPECT_EQ(second.known, 1);
}

// Issue 20: an EventTime in milliseconds was stored as is (and broke every later command), one ten
// years ahead moved the cursor there (every later window began in 2036), and "abc" or "-1" became
// 1970. Each such event is now skipped with one warning naming it; the rest is recorded.
TEST_F(DiscoveryTest, AnEventWithAnInsaneTimeIsSkippedWithOneWarningAndTheCursorStaysBeforeNow) {
  audit.log.push_back(write(1, now() - 3600));
  audit.log.push_back(write(2, now() - 1800));
  audit.stray = {write(3, now() * 1000), write(4, now() + 10 * 365 * kDay), write(5, 0), write(6, -1)};
  std::vector<std::string> warnings;
  DiscoveryOptions o;
  o.warn = [&](const std::string& w) { warnings.push_back(w); };
  auto r = discover(o);
  EXPECT_EQ(r.added, 2);
  EXPECT_EQ(r.skipped, 4);
  ASSERT_EQ(warnings.size(), 4u);
  for (int n : {3, 4, 5, 6}) {
    EXPECT_EQ(std::count_if(warnings.begin(), warnings.end(),
                            [&](const std::string& w) { return w.find(uuid(n)) != std::string::npos; }),
              1)
        << n;
  }
  for (const Task& t : store.tasks()) EXPECT_LE(t.submitted_at, clock.now());
  ASSERT_TRUE(cursor.lastEventAt("default"));
  EXPECT_EQ(*cursor.lastEventAt("default"), fromUnixSeconds(now() - 1800));
}

TEST_F(DiscoveryTest, ACursorAlreadyPastNowReadsFromNowLessTheMargin) {
  cursor.at["default"] = fromUnixSeconds(now() + 10 * 365 * kDay);  // left by an older version
  audit.log.push_back(write(1, now() - 60));
  auto r = discover();
  ASSERT_FALSE(audit.queries.empty()) << "a window beginning in ten years asks nothing";
  EXPECT_EQ(audit.queries.front().start_time, now() - 15 * 60);
  EXPECT_EQ(r.added, 1);
}

TEST_F(DiscoveryTest, NoMoreThanTwentyCallsInAnySecondEvenBackToBack) {
  for (int i = 0; i < 30 * 50; ++i) audit.log.push_back(write(i, now() - 3600 + i % 3600));
  auto r = discover(since(7200));
  ASSERT_GT(r.calls, 25);
  discover(since(7200));  // at once, as a second discover process would start
  const auto& t = audit.call_times;
  ASSERT_GT(t.size(), 50u);
  for (std::size_t i = 20; i < t.size(); ++i) EXPECT_GE(t[i] - t[i - 20], Millis(1000)) << "call " << i;
}

TEST_F(DiscoveryTest, RateLimitingAndServerTroubleAreRetriedAndCounted) {
  audit.log.push_back(write(1, now() - 60));
  audit.errors.push_back(apiError("RequestLimitExceeded", "slow down"));
  audit.errors.push_back(apiError("InternalError", "oops"));
  auto r = discover(since(3600));
  EXPECT_EQ(r.added, 1);
  EXPECT_EQ(r.calls, 3);
}

TEST_F(DiscoveryTest, EachRefusalEndsWithItsExitCodeAndLeavesTheCursor) {
  const std::vector<std::pair<std::vector<std::string>, ExitCode>> cases = {
      {{"AuthFailure.SecretIdNotFound"}, ExitCode::AuthRefused},
      {{"InvalidParameterValue.Time"}, ExitCode::Failure},
      {{"InternalError", "InternalError", "InternalError", "InternalError", "InternalError"}, ExitCode::TryLater},
  };
  audit.log.push_back(write(1, now() - 60));
  for (const auto& [codes, exit] : cases) {
    audit.errors.clear();
    for (const auto& c : codes) audit.errors.push_back(apiError(c, "refused"));
    try {
      discover(since(3600));
      ADD_FAILURE() << codes.front() << " did not stop discover";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), exit) << codes.front();
      EXPECT_NE(std::string(e.what()).find(codes.front()), std::string::npos) << e.what();
    }
  }
  EXPECT_TRUE(cursor.at.empty());
  EXPECT_TRUE(store.tasks().empty());
}

// Issue 20: a CloudAudit that answers ListOver false with a new NextToken forever, one new task
// per page, for every span that starts at or after `endless_from`; earlier spans hold `older`.
class EndlessCloudAudit final : public AuditEventSource {
 public:
  EndlessCloudAudit(FakeClock& clock, std::int64_t endless_from) : clock_(clock), endless_from_(endless_from) {}
  AuditAnswer describeEvents(const AuditQuery& q) override {
    clock_.advance(Millis(5));
    // Far past any bound: the old discover would otherwise page here forever.
    if (++calls > 10'000) return AuditAnswer{apiError("InvalidParameter", "the test's endless server gave up")};
    AuditPage page;
    page.api_request_id = uuid(9999);
    if (q.start_time < endless_from_) {
      for (const auto& e : older) {
        if (e.event_time >= q.start_time && e.event_time <= q.end_time) page.events.push_back(e);
      }
      page.list_over = true;
      return AuditAnswer{page};
    }
    page.events.push_back(write(calls, q.end_time - 1));
    page.list_over = false;
    page.next_token = AuditToken{std::to_string((q.next_token ? std::stoll(q.next_token->text) : 0) + 50), true};
    return AuditAnswer{page};
  }
  std::string host() const override { return "cloudaudit.tencentcloudapi.com"; }

  int calls = 0;
  std::vector<AuditEvent> older;

 private:
  FakeClock& clock_;
  std::int64_t endless_from_;
};

TEST_F(DiscoveryTest, AnEndlessListEndsWith75AtThePageBoundKeepingWhatItRead) {
  EndlessCloudAudit endless(clock, 0);
  DiscoveryOptions o = since(3600);
  try {
    Discovery(endless, store, cursor, clock).discover(o);
    ADD_FAILURE() << "an endless list did not stop discover";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::TryLater) << e.what();
    EXPECT_NE(std::string(e.what()).find("still not ListOver after 2000 pages"), std::string::npos) << e.what();
  }
  EXPECT_EQ(endless.calls, 2000);
  EXPECT_EQ(store.tasks().size(), 2000u);  // every page read is recorded
  EXPECT_TRUE(cursor.at.empty());          // the span was not read whole: the next one reads it again
}

TEST_F(DiscoveryTest, AnEndlessListEndsWith75AtMaxDurationAndTheCursorKeepsTheSpansReadWhole) {
  // Two spans: the older one (35 to 5 days ago) is read whole, the newer one never ends.
  EndlessCloudAudit endless(clock, now() - 6 * kDay);
  const std::int64_t older_event = now() - 20 * kDay;
  endless.older.push_back(write(1, older_event));
  DiscoveryOptions o = since(35 * kDay);
  o.max_duration = Millis(30'000);
  const TimePoint started = clock.now();
  try {
    Discovery(endless, store, cursor, clock).discover(o);
    ADD_FAILURE() << "an endless list did not stop discover";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::TryLater) << e.what();
    EXPECT_NE(std::string(e.what()).find("--max-duration 30s reached"), std::string::npos) << e.what();
  }
  EXPECT_LE(clock.now() - started, Millis(31'000));
  EXPECT_LT(endless.calls, 2000);
  EXPECT_EQ(store.tasks().size(), static_cast<std::size_t>(endless.calls));  // one per page of either span
  // The next discover goes on from the older span's event, not from 35 days ago.
  ASSERT_EQ(cursor.at.count("default"), 1u);
  EXPECT_EQ(toUnixSeconds(cursor.at["default"]), older_event);
}

}  // namespace
}  // namespace taskledger::import
