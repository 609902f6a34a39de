// One `run` over every profile with work (DESIGN.md, run, Profiles), on virtual time: each
// profile asks with its own port, one whose credentials are missing or refused is named and
// skipped while the others finish, and the exit code is the worst.
#include <gtest/gtest.h>

#include <algorithm>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <memory>
#include <set>

#include "support/FakeClock.h"
#include "support/FakeTaskStore.h"
#include "support/SimulatedApi.h"
#include "taskledger/domain/Error.h"
#include "taskledger/scheduler/RunJob.h"

namespace taskledger::scheduler {
namespace {

using testing::errorResult;
using testing::FakeClock;
using testing::FakeTaskStore;
using testing::SimulatedApi;
using testing::statusResult;

constexpr std::size_t kConcurrency = 8;

class RunProfilesTest : public ::testing::Test {
 protected:
  void addTasks(const std::string& profile, int n) {
    for (int i = 0; i < n; ++i) {
      Task t;
      t.profile = profile;
      t.region = "ap-guangzhou";
      t.request_id = profile + "-" + std::to_string(i);
      t.submitted_at = clock_.now() - Millis(60'000);
      t.next_check_at = clock_.now();
      store_.addTask(t);
    }
  }

  // A port per profile that answers "succeeded", except where `refuse` says otherwise.
  ProfilesResult run(std::optional<std::string> only = {}) {
    ProfilesOptions options;
    options.job.scheduler.seed = 42;
    options.job.scheduler.concurrency = kConcurrency;
    options.job.scheduler.until_done = true;
    options.job.scheduler.max_duration = budget_;
    options.only = std::move(only);
    const ProfileApiMaker make_api = [&](const std::string& profile, std::size_t) -> std::shared_ptr<TaskStatusApi> {
      asked_.push_back(profile);
      if (refuse_before_.count(profile)) throw Error(ExitCode::AuthRefused, refuse_before_.at(profile));
      auto api = std::make_shared<SimulatedApi>(clock_, kConcurrency, Millis(100), [this, profile](const TaskQuery&) {
        if (on_ask_) on_ask_(profile);
        if (in_progress_for_ever_) return statusResult(2);
        if (refuse_during_.count(profile)) {
          return errorResult("AuthFailure.SecretIdNotFound", ErrorConsequence::RefuseCredentials);
        }
        return statusResult(0);
      });
      apis_[profile] = api;
      return api;
    };
    return runProfiles(store_, clock_, testing::simulatedHostFor, make_api, options, progress_,
                       [this](const ProfileRun& p) { done_.push_back(p.profile); });
  }

  static std::vector<std::string> sorted(std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
  }

  // The run records in profile order (profiles run side by side: their records interleave).
  std::vector<store::RunRecord> runsByProfile() const {
    auto runs = store_.runs();
    std::stable_sort(runs.begin(), runs.end(), [](const auto& a, const auto& b) { return a.profile < b.profile; });
    return runs;
  }

  std::size_t inState(const std::string& profile, TaskState state) const {
    std::size_t n = 0;
    for (const auto& t : store_.tasks()) n += t.profile == profile && t.state == state;
    return n;
  }

  FakeClock clock_;
  FakeTaskStore store_;
  SilentProgress progress_;
  std::map<std::string, std::string> refuse_before_;  // profile -> the chain's error
  std::set<std::string> refuse_during_;               // profiles the API answers AuthFailure
  std::map<std::string, std::shared_ptr<SimulatedApi>> apis_;
  std::vector<std::string> asked_, done_;
  Millis budget_{60'000};
  bool in_progress_for_ever_ = false;
  std::function<void(const std::string& profile)> on_ask_;  // called on the profile's thread
};

// Issue 23 item 1: the profiles are reconciled at the same time. Each profile's first question
// waits until every profile has asked one: one after the other, the first would wait in vain.
TEST_F(RunProfilesTest, ProfilesAreReconciledAtTheSameTime) {
  addTasks("alpha", 10);
  addTasks("beta", 10);
  addTasks("gamma", 10);
  std::mutex mutex;
  std::condition_variable all_asked;
  std::set<std::string> asking;
  bool met = true;
  on_ask_ = [&](const std::string& profile) {
    std::unique_lock<std::mutex> lock(mutex);
    if (!asking.insert(profile).second) return;
    all_asked.notify_all();
    // A generous bound on the event itself, not a measure of time.
    if (!all_asked.wait_for(lock, std::chrono::seconds(10), [&] { return asking.size() == 3; })) met = false;
  };
  const auto result = run();
  EXPECT_TRUE(met) << "a profile asked while the others had not started";
  EXPECT_EQ(result.exit, ExitCode::Ok);
  EXPECT_EQ(inState("alpha", TaskState::Succeeded), 10u);
  EXPECT_EQ(inState("beta", TaskState::Succeeded), 10u);
  EXPECT_EQ(inState("gamma", TaskState::Succeeded), 10u);
}

// --max-duration is the whole run's, and every profile has all of it (not a share).
TEST_F(RunProfilesTest, EveryProfileHasTheWholeBudget) {
  addTasks("alpha", 5);
  addTasks("beta", 5);
  in_progress_for_ever_ = true;
  const TimePoint start = clock_.now();
  const auto result = run();
  ASSERT_EQ(result.profiles.size(), 2u);
  for (const auto& p : result.profiles) {
    EXPECT_EQ(p.result.outcome.reason, "budget") << p.profile;
    EXPECT_GE(p.result.finished - start, budget_ - Millis(1000)) << p.profile;
    EXPECT_LE(p.result.finished - start, budget_ + Millis(5000)) << p.profile;  // the whole run's: not one each after the other
  }
}

TEST_F(RunProfilesTest, EveryProfileWithWorkIsRunWithItsOwnPortAndRecordedUnderItsName) {
  addTasks("alpha", 30);
  addTasks("beta", 20);
  const auto result = run();

  EXPECT_EQ(result.exit, ExitCode::Ok);
  EXPECT_EQ(sorted(asked_), (std::vector<std::string>{"alpha", "beta"}));
  EXPECT_EQ(sorted(done_), (std::vector<std::string>{"alpha", "beta"}));
  EXPECT_EQ(result.profiles.at(0).profile, "alpha");
  EXPECT_EQ(result.profiles.at(1).profile, "beta");
  EXPECT_EQ(inState("alpha", TaskState::Succeeded), 30u);
  EXPECT_EQ(inState("beta", TaskState::Succeeded), 20u);
  // Each asked about its own tasks only, through its own port.
  EXPECT_EQ(apis_.at("alpha")->sends().size(), 30u);
  EXPECT_EQ(apis_.at("beta")->sends().size(), 20u);
  const auto runs = runsByProfile();
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].profile, "alpha");
  EXPECT_EQ(runs[0].stats.checked, 30);
  EXPECT_EQ(runs[1].profile, "beta");
  EXPECT_EQ(runs[1].stats.checked, 20);
}

TEST_F(RunProfilesTest, AProfileWhoseCredentialsAreRefusedIsSkippedTheOtherFinishesAndTheExitIs77) {
  addTasks("alpha", 30);
  addTasks("beta", 20);
  addTasks("gamma", 10);
  refuse_before_["alpha"] = "credentials of profile 'alpha': AuthFailure.SecretIdNotFound";
  refuse_during_.insert("beta");
  const auto result = run();

  EXPECT_EQ(result.exit, ExitCode::AuthRefused);
  ASSERT_EQ(result.profiles.size(), 3u);
  // alpha: no port, nothing asked, named with the chain's reason, tasks untouched and still due.
  EXPECT_TRUE(result.profiles[0].skipped);
  EXPECT_EQ(result.profiles[0].result.outcome.exit, ExitCode::AuthRefused);
  EXPECT_NE(result.profiles[0].result.outcome.reason.find("credentials of profile 'alpha'"), std::string::npos);
  EXPECT_EQ(apis_.count("alpha"), 0u);
  EXPECT_EQ(inState("alpha", TaskState::Pending), 30u);
  // beta: refused by the API mid-run, its run ends with 77 and its tasks stay as they were.
  EXPECT_FALSE(result.profiles[1].skipped);
  EXPECT_EQ(result.profiles[1].result.outcome.exit, ExitCode::AuthRefused);
  EXPECT_EQ(inState("beta", TaskState::Pending), 20u);
  // gamma, after both: finished.
  EXPECT_EQ(result.profiles[2].result.outcome.exit, ExitCode::Ok);
  EXPECT_EQ(inState("gamma", TaskState::Succeeded), 10u);
  // Every profile's run record names it and its outcome.
  const auto runs = runsByProfile();
  ASSERT_EQ(runs.size(), 3u);
  EXPECT_EQ(runs[0].profile, "alpha");
  EXPECT_NE(runs[0].exit_reason.find("skipped"), std::string::npos) << runs[0].exit_reason;
  EXPECT_EQ(runs[1].profile, "beta");
  EXPECT_NE(runs[1].exit_reason.find("AuthFailure"), std::string::npos) << runs[1].exit_reason;
  EXPECT_EQ(runs[2].profile, "gamma");
  EXPECT_EQ(runs[2].exit_reason, "done");
}

// A ledger written before profile names were checked may hold one that names no file we may
// open: it is skipped by name, never asked for credentials, and does not make every run fail.
TEST_F(RunProfilesTest, AProfileNameTheLedgerShouldNeverHaveHeldIsSkippedByNameAndTheExitStaysZero) {
  addTasks("../../etc/evil", 5);
  addTasks("good", 10);
  const auto result = run();

  EXPECT_EQ(result.exit, ExitCode::Ok);
  ASSERT_EQ(result.profiles.size(), 2u);
  const ProfileRun& evil = result.profiles[0].profile == "good" ? result.profiles[1] : result.profiles[0];
  EXPECT_TRUE(evil.skipped);
  EXPECT_NE(evil.result.outcome.reason.find("'../../etc/evil' is not a profile name"), std::string::npos)
      << evil.result.outcome.reason;
  EXPECT_EQ(std::count(asked_.begin(), asked_.end(), "../../etc/evil"), 0);
  EXPECT_EQ(inState("../../etc/evil", TaskState::Pending), 5u);
  EXPECT_EQ(inState("good", TaskState::Succeeded), 10u);
}

TEST_F(RunProfilesTest, NamingAProfileRunsOnlyThatOne) {
  addTasks("alpha", 5);
  addTasks("beta", 5);
  const auto result = run("beta");

  EXPECT_EQ(result.exit, ExitCode::Ok);
  EXPECT_EQ(asked_, (std::vector<std::string>{"beta"}));
  EXPECT_EQ(inState("alpha", TaskState::Pending), 5u);
  EXPECT_EQ(inState("beta", TaskState::Succeeded), 5u);
}

TEST_F(RunProfilesTest, NothingDueAnywhereRecordsOneCheapRunLoadingNoCredentials) {
  const auto result = run();
  EXPECT_EQ(result.exit, ExitCode::Ok);
  EXPECT_TRUE(asked_.empty());
  ASSERT_EQ(store_.runs().size(), 1u);
  EXPECT_EQ(store_.runs()[0].profile, "default");
  EXPECT_EQ(store_.runs()[0].exit_reason, "nothing due");
}

TEST(WorseExit, SignalsThenFailuresThenRefusedCredentialsThenTryLater) {
  EXPECT_EQ(worseExit(ExitCode::Ok, ExitCode::AuthRefused), ExitCode::AuthRefused);
  EXPECT_EQ(worseExit(ExitCode::AuthRefused, ExitCode::TryLater), ExitCode::AuthRefused);
  EXPECT_EQ(worseExit(ExitCode::AuthRefused, ExitCode::Failure), ExitCode::Failure);
  EXPECT_EQ(worseExit(ExitCode::Failure, ExitCode::Terminated), ExitCode::Terminated);
  EXPECT_EQ(worseExit(ExitCode::TryLater, ExitCode::Ok), ExitCode::TryLater);
}

}  // namespace
}  // namespace taskledger::scheduler
