#include "taskledger/scheduler/Scheduler.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <map>

#include <SQLiteCpp/Database.h>

#include "support/FakeClock.h"
#include "support/SimulatedApi.h"
#include "support/TempDir.h"
#include "taskledger/store/Database.h"
#include "taskledger/store/TaskRepository.h"

namespace taskledger::scheduler {
namespace {

using taskledger::testing::errorResult;
using taskledger::testing::FakeClock;
using taskledger::testing::SimulatedApi;
using taskledger::testing::statusResult;
using taskledger::testing::TempDir;

std::string uuid(int n) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08x-0000-4000-8000-%012x", n, n);
  return buf;
}

std::string hostFor(const std::string& region) { return taskledger::testing::simulatedHostFor(region); }

class SchedulerTest : public ::testing::Test {
 protected:
  // Adds n tasks in `region`, submitted `age` ago, numbered from `first`.
  void addTasks(int n, const std::string& region, int first = 0, Millis age = Millis(60'000)) {
    auto w = repo_.beginImport(clock_.now());
    for (int i = 0; i < n; ++i) {
      NewTask t;
      t.region = region;
      t.request_id = uuid(first + i);
      t.submitted_at = clock_.now() - age;
      ASSERT_TRUE(w->insert(t));
    }
    w->commit();
  }

  RunOutcome run(SimulatedApi& ex, SchedulerOptions opt = {}) {
    opt.seed = 42;
    if (opt.concurrency == 0) opt.concurrency = ex.concurrency();
    Scheduler s(repo_, ex, clock_, hostFor, opt, progress_);
    scheduler_ = &s;
    auto outcome = s.run(repo_.beginRun({0, clock_.now(), {}, "test", 1, "default", {}, ""}));
    scheduler_ = nullptr;
    return outcome;
  }

  Task task(int n) { return repo_.findByRequestId(uuid(n)).at(0); }

  TempDir dir_;
  store::Database db_{dir_.file("ledger.db")};
  store::TaskRepository repo_{db_};
  FakeClock clock_;
  SilentProgress progress_;
  Scheduler* scheduler_ = nullptr;
};

TEST_F(SchedulerTest, NoOneSecondWindowEverExceedsTheRate) {
  addTasks(3000, "ap-guangzhou");
  SimulatedApi ex(clock_, 8, Millis(0), [](const TaskQuery&) { return statusResult(0); });
  TimePoint start = clock_.now();
  auto outcome = run(ex);

  EXPECT_EQ(outcome.exit, ExitCode::Ok);
  EXPECT_EQ(outcome.stats.checked, 3000);
  EXPECT_EQ(outcome.stats.resolved, 3000);
  EXPECT_EQ(outcome.unresolved_left, 0);
  EXPECT_EQ(ex.maxInWindow(""), 20u);
  // With the jitter margin the sustained rate stays within 5% of the limit.
  double seconds = static_cast<double>((clock_.now() - start).count()) / 1000.0;
  EXPECT_GE(3000 / seconds, 19.0) << seconds;
  EXPECT_EQ(repo_.countsByState()[TaskState::Succeeded], 3000);
}

// Item 5 of issue 12: requests written long after the scheduler released them (a descheduled
// thread, a handshake) must not bunch with those released after them.
TEST_F(SchedulerTest, LateWritesNeverPutMoreThanTheRateInAnyWindow) {
  addTasks(600, "ap-guangzhou");
  SimulatedApi ex(clock_, 16, Millis(150), [](const TaskQuery&) { return statusResult(0); });
  ex.setWriteDelay([](std::size_t i) { return i % 7 == 3 ? Millis(40 + static_cast<long long>(i % 5) * 90) : Millis(0); });
  auto outcome = run(ex);
  EXPECT_EQ(outcome.stats.resolved, 600);
  EXPECT_LE(ex.maxInWindow(""), 20u);
}

TEST_F(SchedulerTest, SlowHandshakesDoNotBunchArrivalsIntoOneWindow) {
  addTasks(400, "ap-guangzhou");
  // The first eight requests open connections and go out 300 ms after release, so they land in
  // the same server second as the requests released 1 s after the first ones.
  SimulatedApi ex(clock_, 8, Millis(150), [](const TaskQuery&) { return statusResult(0); });
  ex.setWriteDelay([](std::size_t i) { return i < 8 ? Millis(300) : Millis(0); });
  run(ex);
  EXPECT_LE(ex.maxInWindow(""), 20u);
}

TEST_F(SchedulerTest, EachHostHasItsOwnBudgetAndNoneStarves) {
  addTasks(400, "ap-guangzhou", 0);
  addTasks(400, "ap-shanghai", 1000);
  addTasks(400, "ap-beijing", 2000);
  SimulatedApi ex(clock_, 30, Millis(150), [](const TaskQuery&) { return statusResult(0); });
  TimePoint start = clock_.now();
  auto outcome = run(ex);

  EXPECT_EQ(outcome.stats.resolved, 1200);
  for (const char* region : {"ap-guangzhou", "ap-shanghai", "ap-beijing"}) {
    EXPECT_LE(ex.maxInWindow(hostFor(region)), 20u) << region;
  }
  double seconds = static_cast<double>((clock_.now() - start).count()) / 1000.0;
  EXPECT_GE(1200 / seconds, 57.0) << seconds;
  // Interleaved: among the first 60 sends every host has its share.
  std::map<std::string, int> first60;
  for (std::size_t i = 0; i < 60; ++i) ++first60[ex.sends()[i].first];
  for (const auto& [host, n] : first60) EXPECT_EQ(n, 20) << host;
}

TEST_F(SchedulerTest, PriorSendsInTheLedgerCountAgainstTheWindow) {
  addTasks(40, "ap-guangzhou");
  SimulatedApi first(clock_, 4, Millis(0), [](const TaskQuery&) { return statusResult(2); });
  SchedulerOptions opt;
  opt.max_duration = Millis(500);  // a run cut short by its budget, just after sending
  run(first, opt);
  std::size_t sent_first = first.sends().size();
  ASSERT_EQ(sent_first, 20u);

  // A run started at once must not send 20 more within the same second.
  clock_.advance(Millis(10'000));  // make every task due again ...
  SimulatedApi second(clock_, 4, Millis(0), [](const TaskQuery&) { return statusResult(0); });
  auto back = clock_.now();
  clock_.advanceTo(back);
  // ... but pretend the first run's sends were just now, by re-recording them at this time.
  std::vector<store::AnswerRecord> fresh;
  for (int i = 0; i < 20; ++i) {
    store::AnswerRecord r;
    r.check.task_id = task(i).id;
    r.check.checked_at = back - Millis(100);
    r.check.outcome = "status:2";
    r.check.endpoint_host = hostFor("ap-guangzhou");
    fresh.push_back(r);
  }
  repo_.recordAnswers(fresh);
  run(second);
  ASSERT_FALSE(second.sends().empty());
  EXPECT_GE(second.sends().front().second, back - Millis(100) + Millis(1000));
}

TEST_F(SchedulerTest, InProgressTasksAreAskedAgainAtGrowingIntervals) {
  addTasks(1, "ap-guangzhou");
  int calls = 0;
  SimulatedApi ex(clock_, 2, Millis(100), [&](const TaskQuery&) { return statusResult(++calls < 6 ? 2 : 0); });
  SchedulerOptions opt;
  opt.until_done = true;
  auto outcome = run(ex, opt);

  EXPECT_EQ(outcome.exit, ExitCode::Ok);
  EXPECT_EQ(outcome.reason, "done");
  ASSERT_EQ(ex.sends().size(), 6u);
  std::vector<double> gaps;
  for (std::size_t i = 1; i < ex.sends().size(); ++i) {
    gaps.push_back(static_cast<double>((ex.sends()[i].second - ex.sends()[i - 1].second).count()) / 1000.0);
  }
  // 5 s, 10 s, 20 s, 40 s, 80 s, each ±20% (plus the 100 ms answer latency).
  double expected = 5;
  for (double g : gaps) {
    EXPECT_GE(g, expected * 0.8) << g;
    EXPECT_LE(g, expected * 1.2 + 0.2) << g;
    expected *= 2;
  }
  EXPECT_EQ(task(0).state, TaskState::Succeeded);
  EXPECT_EQ(task(0).attempts, 6);
}

// Issue 20: one stored submitted_at of year 58902 made `run` exit 1 without checking any task. Now
// the task is named once, with its request id, and every task is checked, that one included.
TEST_F(SchedulerTest, ATaskWithAGarbledStoredTimeIsNamedOnceAndEveryTaskIsChecked) {
  addTasks(3, "ap-guangzhou");
  db_.sql().exec("UPDATE tasks SET submitted_at = '58902-01-01T00:00:00.000Z' WHERE request_id = '" + uuid(0) + "'");
  struct Recorder final : RunProgress {
    void started(std::int64_t, std::int64_t, std::size_t, std::size_t) override {}
    void progress(const ProgressSnapshot&) override {}
    void problem(const std::string& line) override { lines.push_back(line); }
    std::vector<std::string> lines;
  } recorder;
  std::map<std::string, int> calls;
  SimulatedApi ex(clock_, 2, Millis(100), [&](const TaskQuery& q) { return statusResult(++calls[q.request_id] < 3 ? 2 : 0); });
  SchedulerOptions opt;
  opt.until_done = true;
  opt.seed = 42;
  opt.concurrency = ex.concurrency();
  Scheduler s(repo_, ex, clock_, hostFor, opt, recorder);
  const auto outcome = s.run(repo_.beginRun({0, clock_.now(), {}, "test", 1, "default", {}, ""}));

  EXPECT_EQ(outcome.exit, ExitCode::Ok);
  for (int n = 0; n < 3; ++n) EXPECT_EQ(task(n).state, TaskState::Succeeded) << n;
  ASSERT_EQ(recorder.lines.size(), 1u);
  EXPECT_EQ(recorder.lines[0], "task " + uuid(0) +
                                   " (ap-guangzhou): submitted_at '58902-01-01T00:00:00.000Z' is not a time (taken as "
                                   "imported_at)");
}

TEST_F(SchedulerTest, PollIntervalIsCappedAtFiveMinutes) {
  BackoffPolicy p;
  std::mt19937_64 rng(1);
  for (int n = 7; n < 40; ++n) EXPECT_LE(p.pollDelay(n, rng), Millis(360'000));
  EXPECT_GE(p.pollDelay(30, rng), Millis(240'000));
}

TEST_F(SchedulerTest, TasksPastTheGiveUpAgeAreAskedOnceThenExpireAndAreNotPolled) {
  addTasks(3, "ap-guangzhou", 0, Millis(8LL * 86'400'000));
  addTasks(2, "ap-guangzhou", 10);
  // Never asked: an old submission time alone does not expire a task (issue 14).
  SimulatedApi first(clock_, 2, Millis(0), [](const TaskQuery&) { return statusResult(2); });
  EXPECT_EQ(run(first).expired, 0);
  EXPECT_EQ(first.sends().size(), 5u);
  clock_.advance(Millis(600'000));
  SimulatedApi ex(clock_, 2, Millis(0), [](const TaskQuery&) { return statusResult(0); });
  auto outcome = run(ex);
  EXPECT_EQ(outcome.expired, 3);
  EXPECT_EQ(ex.sends().size(), 2u);
  EXPECT_EQ(task(0).state, TaskState::Expired);
  EXPECT_TRUE(task(0).resolved_at.has_value());
  EXPECT_EQ(task(10).state, TaskState::Succeeded);
}

TEST_F(SchedulerTest, RetryableErrorsAreBoundedAndLeaveTheTaskDueForTheNextRun) {
  addTasks(1, "ap-guangzhou");
  SimulatedApi ex(clock_, 2, Millis(0),
                       [](const TaskQuery&) { return errorResult("InternalError", ErrorConsequence::RetryLater); });
  SchedulerOptions opt;
  opt.max_retries = 3;
  auto outcome = run(ex, opt);
  EXPECT_EQ(outcome.exit, ExitCode::Ok);
  EXPECT_EQ(ex.sends().size(), 4u);  // the first ask and three retries
  // Exponential backoff between them: 0.5 s, 1 s, 2 s (±20%).
  EXPECT_GE(ex.sends()[3].second - ex.sends()[2].second, Millis(1600));
  Task t = task(0);
  EXPECT_EQ(t.state, TaskState::Pending);
  EXPECT_EQ(t.last_error_code, "InternalError");
  EXPECT_EQ(t.attempts, 4);
  EXPECT_EQ(repo_.checksOf(t.id).size(), 4u);
  EXPECT_GT(t.next_check_at, clock_.now());
}

TEST_F(SchedulerTest, TaskLevelRefusalRejectsTheTask) {
  addTasks(2, "ap-guangzhou");
  SimulatedApi ex(clock_, 2, Millis(0), [](const TaskQuery& q) {
    return q.request_id == uuid(0) ? errorResult("InvalidParameter", ErrorConsequence::RejectTask)
                                         : statusResult(1, "listener conflict");
  });
  auto outcome = run(ex);
  EXPECT_EQ(task(0).state, TaskState::Rejected);
  EXPECT_EQ(task(0).last_error_code, "InvalidParameter");
  EXPECT_EQ(task(1).state, TaskState::Failed);
  EXPECT_EQ(task(1).message, "listener conflict");
  EXPECT_EQ(outcome.stats.resolved, 2);
}

TEST_F(SchedulerTest, UnknownCodesAreRetriedThenRefuse) {
  addTasks(1, "ap-guangzhou");
  SimulatedApi ex(clock_, 1, Millis(0), [](const TaskQuery&) {
    return errorResult("Brand.NewCode", ErrorConsequence::RetryLater, false, true);
  });
  run(ex);
  EXPECT_EQ(ex.sends().size(), 3u);
  EXPECT_EQ(task(0).state, TaskState::Rejected);
  EXPECT_EQ(task(0).last_error_code, "Brand.NewCode");
}

TEST_F(SchedulerTest, AuthFailureStopsTheRunAndLeavesTasksAsTheyWere) {
  addTasks(50, "ap-guangzhou");
  SimulatedApi ex(clock_, 4, Millis(50), [](const TaskQuery&) {
    return errorResult("AuthFailure.SignatureFailure", ErrorConsequence::RefuseCredentials);
  });
  auto outcome = run(ex);
  EXPECT_EQ(outcome.exit, ExitCode::AuthRefused);
  EXPECT_NE(outcome.reason.find("AuthFailure.SignatureFailure"), std::string::npos);
  EXPECT_LE(ex.sends().size(), 4u);  // only what was already in flight
  auto counts = repo_.countsByState();
  EXPECT_EQ(counts[TaskState::Pending], 50);
  // Only its checks (the calls in flight, audited) are counted; nothing else changed.
  EXPECT_EQ(task(0).attempts, static_cast<int>(repo_.checksOf(task(0).id).size()));
  EXPECT_EQ(task(0).last_error_code, "");
}

TEST_F(SchedulerTest, RateLimitedAnswersSlowTheHostAndAreNotChecks) {
  addTasks(30, "ap-guangzhou");
  int calls = 0;
  SimulatedApi ex(clock_, 4, Millis(0), [&](const TaskQuery&) {
    return ++calls == 5 ? errorResult("RequestLimitExceeded", ErrorConsequence::RetryLater, true) : statusResult(0);
  });
  auto outcome = run(ex);
  EXPECT_EQ(outcome.stats.rate_limited, 1);
  EXPECT_EQ(outcome.stats.checked, 30);
  EXPECT_EQ(outcome.stats.errors, 0);
  EXPECT_EQ(outcome.rate_limited_by_host.at(hostFor("ap-guangzhou")), 1u);
  EXPECT_EQ(repo_.countsByState()[TaskState::Succeeded], 30);
  // After the refusal (the fifth send) the host paused for a full server window.
  TimePoint refused_at = ex.sends()[4].second;
  auto later = std::find_if(ex.sends().begin(), ex.sends().end(), [&](const auto& s) { return s.second > refused_at; });
  ASSERT_NE(later, ex.sends().end());
  EXPECT_GE(later->second - refused_at, Millis(1000));
}

TEST_F(SchedulerTest, SignalStopsNewRequestsAndRecordsThoseInFlight) {
  addTasks(100, "ap-guangzhou");
  int calls = 0;
  SimulatedApi ex(clock_, 4, Millis(200), [&](const TaskQuery&) {
    if (++calls == 10) scheduler_->stop(SIGTERM);
    return statusResult(0);
  });
  auto outcome = run(ex);
  EXPECT_EQ(outcome.exit, ExitCode::Terminated);
  EXPECT_EQ(static_cast<int>(ex.sends().size()), calls);
  EXPECT_EQ(outcome.stats.checked, calls);
  EXPECT_EQ(repo_.countsByState()[TaskState::Succeeded], calls);
}

TEST_F(SchedulerTest, AStaleConnectionIsResentOnceThroughTheLimiterWithoutCountingAsAnError) {
  addTasks(1, "ap-guangzhou");
  int calls = 0;
  SimulatedApi ex(clock_, 1, Millis(0), [&](const TaskQuery&) {
    if (++calls > 1) return statusResult(0);
    auto r = errorResult("Network", ErrorConsequence::RetryLater);
    std::get<ApiError>(r.value).stale_connection = true;
    return r;
  });
  auto outcome = run(ex);
  EXPECT_EQ(ex.sends().size(), 2u);
  EXPECT_EQ(outcome.stats.errors, 0);
  EXPECT_EQ(outcome.stats.checked, 1);
  EXPECT_EQ(task(0).state, TaskState::Succeeded);
  EXPECT_EQ(repo_.checksOf(task(0).id).size(), 2u);  // both attempts are in the audit trail
}

TEST_F(SchedulerTest, AnEndpointThatKeepsFailingEndsTheRunWithTryLater) {
  addTasks(200, "ap-guangzhou");
  SimulatedApi ex(clock_, 4, Millis(10),
                       [](const TaskQuery&) { return errorResult("Network", ErrorConsequence::RetryLater); });
  auto outcome = run(ex);
  EXPECT_EQ(outcome.exit, ExitCode::TryLater);
  EXPECT_LT(ex.sends().size(), 60u);
}

TEST_F(SchedulerTest, NothingDueSaysSo) {
  SimulatedApi ex(clock_, 4, Millis(0), [](const TaskQuery&) { return statusResult(0); });
  auto outcome = run(ex);
  EXPECT_EQ(outcome.exit, ExitCode::Ok);
  EXPECT_EQ(outcome.reason, "nothing due");
  EXPECT_TRUE(ex.sends().empty());
}

TEST_F(SchedulerTest, BudgetEndsTheRunWithWorkLeftAndExitZero) {
  addTasks(100, "ap-guangzhou");
  SimulatedApi ex(clock_, 4, Millis(0), [](const TaskQuery&) { return statusResult(0); });
  SchedulerOptions opt;
  opt.max_duration = Millis(2000);
  auto outcome = run(ex, opt);
  EXPECT_EQ(outcome.exit, ExitCode::Ok);
  EXPECT_EQ(outcome.reason, "budget");
  EXPECT_GT(outcome.unresolved_left, 0);
  EXPECT_LE(outcome.stats.checked, 60);
}

// Issue 12 item 2: the budget ends while answers that take 6 s are in flight. The run waits for
// them asleep (SimulatedApi throws if the scheduler keeps waiting until "now").
TEST_F(SchedulerTest, BudgetEndingWithAnswersInFlightWaitsForThemAsleep) {
  addTasks(100, "ap-guangzhou");
  SimulatedApi ex(clock_, 64, Millis(6000), [](const TaskQuery&) { return statusResult(0); });
  SchedulerOptions opt;
  opt.max_duration = Millis(2000);
  const TimePoint start = clock_.now();
  auto outcome = run(ex, opt);
  EXPECT_EQ(outcome.reason, "budget");
  EXPECT_EQ(outcome.stats.checked, static_cast<std::int64_t>(ex.sends().size()));
  EXPECT_GE(clock_.now() - start, Millis(6000));
  EXPECT_LT(clock_.now() - start, Millis(8100));
  // A wake-up per send, per answer, per commit and per progress line; nothing like a spin.
  EXPECT_LT(ex.waits(), 3 * ex.sends().size() + 40);
}

// --timeout is the whole request's deadline: a server that never finishes its answer cannot keep
// a run alive past it.
TEST_F(SchedulerTest, ARequestPastItsTotalDeadlineIsAbortedAndRetried) {
  addTasks(1, "ap-guangzhou");
  SimulatedApi ex(clock_, 4, Millis(100), [](const TaskQuery&) { return statusResult(0); });
  ex.setLatency([](std::size_t i) { return i == 0 ? Millis(24LL * 3600'000) : Millis(100); });
  SchedulerOptions opt;
  opt.timeout = Millis(10'000);
  const TimePoint start = clock_.now();
  auto outcome = run(ex, opt);
  EXPECT_EQ(outcome.exit, ExitCode::Ok);
  ASSERT_EQ(ex.sends().size(), 2u);
  EXPECT_GE(ex.sends()[1].second - start, Millis(10'000));
  EXPECT_LT(clock_.now() - start, Millis(15'000));
  auto checks = repo_.checksOf(task(0).id);
  ASSERT_EQ(checks.size(), 2u);
  EXPECT_EQ(task(0).state, TaskState::Succeeded);
  bool timed_out = std::any_of(checks.begin(), checks.end(), [](const Check& c) {
    return c.outcome == "Timeout" && c.message.find("no answer within 10000 ms") != std::string::npos;
  });
  EXPECT_TRUE(timed_out);
}

TEST_F(SchedulerTest, ASignalEndsTheRunWithinTheGraceWhateverTheServerDoes) {
  addTasks(50, "ap-guangzhou");
  int calls = 0;
  SimulatedApi ex(clock_, 8, Millis(24LL * 3600'000), [&](const TaskQuery&) {
    if (++calls == 2) scheduler_->stop(SIGTERM);  // two: a host's slow start, never answered
    return statusResult(0);
  });
  SchedulerOptions opt;
  opt.timeout = Millis(600'000);
  const TimePoint start = clock_.now();
  auto outcome = run(ex, opt);
  EXPECT_EQ(outcome.exit, ExitCode::Terminated);
  EXPECT_LE(clock_.now() - start, Millis(2000));
  EXPECT_EQ(repo_.countsByState()[TaskState::Pending], 50);
}

// Issue 12 item 3: at 2 s latency the full rate needs about 40 requests in flight.
TEST_F(SchedulerTest, InFlightFollowsLatencySoASlowApiStillGetsTheFullRate) {
  addTasks(1000, "ap-guangzhou");
  SimulatedApi ex(clock_, 256, Millis(2000), [](const TaskQuery&) { return statusResult(0); });
  auto outcome = run(ex);
  EXPECT_EQ(outcome.stats.resolved, 1000);
  // Sends per second after the host's slow start (its first round trip, two requests) to the last.
  const double seconds = static_cast<double>((ex.sends().back().second - ex.sends()[2].second).count()) / 1000.0;
  EXPECT_GE(997 / seconds, 19.0) << seconds;
  EXPECT_LE(ex.maxInWindow(""), 20u);
  EXPECT_LE(ex.maxInFlight(), kMaxInFlightPerHost);
  EXPECT_GE(ex.maxInFlight(), 40u);
}

TEST_F(SchedulerTest, AFastApiKeepsNoMoreThanOneSecondsSendsInFlight) {
  addTasks(300, "ap-guangzhou");
  SimulatedApi ex(clock_, 256, Millis(50), [](const TaskQuery&) { return statusResult(0); });
  run(ex);
  // The rate: the limiter lets a second's sends go together (less the two of the slow start,
  // which keep their own moment in the window).
  EXPECT_LE(ex.maxInFlight(), 20u);
  EXPECT_GE(ex.maxInFlight(), 18u);
  EXPECT_LE(ex.maxInWindow(""), 20u);
}

// Issue 23 item 2: slow start. Until a host's first answer comes back, it has two requests in
// flight at most; then it opens to its full room, so the run still goes at the full rate.
TEST_F(SchedulerTest, AHostGetsTwoRequestsUntilItsFirstAnswerThenItsFullRate) {
  addTasks(400, "ap-guangzhou");
  addTasks(400, "ap-shanghai", 1000);
  const Millis latency(300);
  SimulatedApi ex(clock_, 256, latency, [](const TaskQuery&) { return statusResult(0); });
  const TimePoint start = clock_.now();
  auto outcome = run(ex);
  EXPECT_EQ(outcome.stats.resolved, 800);
  for (const std::string region : {"ap-guangzhou", "ap-shanghai"}) {
    const std::string host = hostFor(region);
    std::vector<TimePoint> sends;
    for (const auto& [h, t] : ex.sends()) {
      if (h == host) sends.push_back(t);
    }
    ASSERT_EQ(sends.size(), 400u);
    const TimePoint first_answer = sends.front() + latency;
    EXPECT_EQ(std::count_if(sends.begin(), sends.end(), [&](TimePoint t) { return t < first_answer; }), 2) << host;
    EXPECT_LE(ex.maxInWindow(host), 20u);
  }
  // 400 per host at 20/s: 20 s, plus one round trip of slow start and the last answer.
  const double seconds = static_cast<double>((clock_.now() - start).count()) / 1000.0;
  EXPECT_LE(seconds, 400 / 20.0 + 2 * 0.3 + 0.5) << seconds;
}

// Keeps every progress snapshot with the (virtual) time it was taken.
class SnapshotProgress final : public RunProgress {
 public:
  explicit SnapshotProgress(const Clock& clock) : clock_(clock) {}
  void started(std::int64_t d, std::int64_t, std::size_t, std::size_t) override { due = d; }
  void progress(const ProgressSnapshot& s) override { snapshots.emplace_back(clock_.now(), s); }
  void problem(const std::string&) override {}
  std::int64_t due = -1;
  std::vector<std::pair<TimePoint, ProgressSnapshot>> snapshots;

 private:
  const Clock& clock_;
};

// Issue 23 item 4: the ETA counts the tasks waiting on a backoff or on their next check, so it
// never says 0m00s while work remains, and never promises an end far earlier than the real one.
TEST_F(SchedulerTest, TheEtaCountsTasksWaitingOnBackoffOrTheirNextCheck) {
  addTasks(40, "ap-guangzhou");
  std::map<std::string, int> asked;
  SimulatedApi ex(clock_, 64, Millis(100), [&](const TaskQuery& q) {
    const int n = ++asked[q.request_id];
    const bool slow_one = q.request_id < uuid(17);  // 17 tasks: an error, then in progress, then done
    if (!slow_one) return statusResult(0);
    if (n <= 2) return errorResult("InternalError", ErrorConsequence::RetryLater);
    return n == 3 ? statusResult(2) : statusResult(0);
  });
  SnapshotProgress progress(clock_);
  SchedulerOptions opt;
  opt.seed = 42;
  opt.concurrency = ex.concurrency();
  opt.until_done = true;
  Scheduler s(repo_, ex, clock_, hostFor, opt, progress);
  auto outcome = s.run(repo_.beginRun({0, clock_.now(), {}, "test", 1, "default", {}, ""}));
  const TimePoint end = clock_.now();
  EXPECT_EQ(outcome.stats.resolved, 40);
  EXPECT_EQ(progress.due, 40);
  ASSERT_GT(progress.snapshots.size(), 10u);
  std::size_t waiting_seen = 0;
  for (const auto& [at, snap] : progress.snapshots) {
    if (snap.remaining == 0) continue;
    EXPECT_GE(snap.eta, Millis(1000)) << "remaining " << snap.remaining;
    if (snap.waiting < snap.remaining) continue;
    // Every task left waits on a backoff or its next check (where a rate-based ETA said
    // 0m00s): the run ends when they are due and answered, no later than the ETA said.
    ++waiting_seen;
    EXPECT_LE(end - at, snap.eta + Millis(500)) << "remaining " << snap.remaining << ", waiting " << snap.waiting;
    EXPECT_GE(end - at, snap.eta - Millis(1500)) << "remaining " << snap.remaining;
  }
  EXPECT_GT(waiting_seen, 0u);
}

TEST_F(SchedulerTest, ConcurrencyIsAnUpperBound) {
  addTasks(200, "ap-guangzhou");
  SimulatedApi ex(clock_, 5, Millis(2000), [](const TaskQuery&) { return statusResult(0); });
  run(ex);
  EXPECT_EQ(ex.maxInFlight(), 5u);
}

}  // namespace
}  // namespace taskledger::scheduler

namespace taskledger::scheduler {
namespace {

// Ends another connection's write transaction when the run reports the ledger busy: an import
// that finishes while the run holds its answers.
class ReleaseOnBusy final : public RunProgress {
 public:
  explicit ReleaseOnBusy(SQLite::Database& blocker) : blocker_(blocker) {}
  void started(std::int64_t, std::int64_t, std::size_t, std::size_t) override {}
  void progress(const ProgressSnapshot&) override {}
  void problem(const std::string& line) override {
    lines.push_back(line);
    if (line.find("busy") != std::string::npos && !released_) {
      blocker_.exec("COMMIT");
      released_ = true;
    }
  }
  std::vector<std::string> lines;

 private:
  SQLite::Database& blocker_;
  bool released_ = false;
};

TEST_F(SchedulerTest, AnswersAreKeptAndCommittedWhenAnotherWriterHeldTheLedger) {
  addTasks(30, "ap-guangzhou");
  db_.sql().setBusyTimeout(10);  // the real wait is a minute; here the blocker lets go at once
  SQLite::Database blocker(dir_.file("ledger.db"), SQLite::OPEN_READWRITE);
  bool blocked = false;
  SimulatedApi ex(clock_, 4, Millis(0), [&](const TaskQuery&) {
    if (!blocked) {
      blocked = true;
      blocker.exec("BEGIN IMMEDIATE");
      blocker.exec("INSERT INTO runs(started_at, host, pid) VALUES ('x', 'import', 2)");
    }
    return statusResult(0);
  });
  ReleaseOnBusy progress(blocker);
  SchedulerOptions opt;
  opt.seed = 42;
  Scheduler s(repo_, ex, clock_, hostFor, opt, progress);
  auto outcome = s.run(repo_.beginRun({0, clock_.now(), {}, "test", 1, "default", {}, ""}));
  EXPECT_EQ(outcome.exit, ExitCode::Ok);
  ASSERT_FALSE(progress.lines.empty());
  EXPECT_NE(progress.lines.front().find("answers kept"), std::string::npos) << progress.lines.front();
  // Every answer the endpoint gave is in the ledger, once.
  EXPECT_EQ(ex.sends().size(), 30u);
  EXPECT_EQ(db_.sql().execAndGet("SELECT count(*) FROM checks").getInt(), 30);
  EXPECT_EQ(db_.sql().execAndGet("SELECT count(*) FROM tasks WHERE state = 'succeeded'").getInt(), 30);
}

}  // namespace
}  // namespace taskledger::scheduler
