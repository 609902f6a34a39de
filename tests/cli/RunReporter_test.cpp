// Issue 23 item 4: the progress line an operator reads. Its ETA is the scheduler's estimate of
// what is really left, never 0m00s while a task remains; the start line counts what is due.
#include "../../src/cli/RunReporter.h"

#include <gtest/gtest.h>

#include <sstream>

namespace taskledger::cli {
namespace {

scheduler::ProgressSnapshot snapshot(std::int64_t remaining, std::int64_t waiting, Millis eta, Millis budget_left) {
  scheduler::ProgressSnapshot s;
  s.stats.checked = 369;
  s.remaining = remaining;
  s.waiting = waiting;
  s.rate = 20;
  s.eta = eta;
  s.budget_left = budget_left;
  return s;
}

TEST(RunReporter, TheEtaNeverShowsZeroWhileTasksWaitOnBackoff) {
  std::ostringstream out;
  RunReporter reporter(out, RunReporter::Style::Live);
  // 17 tasks left, all waiting on a backoff: at 20/s they would take under a second to ask.
  reporter.progress(snapshot(17, 17, Millis(35'000), Millis(300'000)));
  EXPECT_EQ(out.str().find("0m00s"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("ETA 0m35s"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("(17 waiting on a backoff or their next check)"), std::string::npos) << out.str();
}

TEST(RunReporter, AnEtaPastTheBudgetSaysTheNextRunGoesOn) {
  std::ostringstream out;
  RunReporter reporter(out, RunReporter::Style::Live);
  reporter.progress(snapshot(500, 0, Millis(120'000), Millis(30'000)));
  EXPECT_NE(out.str().find("ETA 2m00s (past the budget: the next run goes on)"), std::string::npos) << out.str();
}

TEST(RunReporter, TheStartLineCountsWhatIsDueWithoutAPlus) {
  std::ostringstream out;
  RunReporter reporter(out, RunReporter::Style::Plain);
  reporter.started(369, 400, 2, 128);
  EXPECT_EQ(out.str(), "run: 369 due of 400 unresolved, 2 hosts, up to 128 requests in flight\n");
}

TEST(RunReporter, EveryLineOfARunOverSeveralProfilesNamesItsProfile) {
  std::ostringstream out;
  RunReporter reporter(out, RunReporter::Style::Live);
  reporter.profileStarting("beta", 2);
  reporter.progress(snapshot(10, 0, Millis(1000), Millis(60'000)));
  reporter.problem("parked ap-x (UnsupportedRegion): tasks stay due");
  EXPECT_NE(out.str().find("\033[Krun [beta]: checked 369"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("run [beta]: parked ap-x (UnsupportedRegion): tasks stay due\n"), std::string::npos)
      << out.str();
}

}  // namespace
}  // namespace taskledger::cli
