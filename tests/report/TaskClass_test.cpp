#include "taskledger/report/TaskClass.h"

#include <gtest/gtest.h>

#include "taskledger/domain/Error.h"

namespace taskledger::report {
namespace {

using std::chrono::minutes;
const TimePoint kNow = fromUnixSeconds(1'773'000'000);
const Millis kStuckAfter = minutes(30);

TEST(Classify, UnresolvedExactlyAtTheThresholdIsNotStuckYet) {
  EXPECT_EQ(classify(TaskState::Pending, kNow - kStuckAfter, kNow, kStuckAfter), TaskClass::Pending);
  EXPECT_EQ(classify(TaskState::InProgress, kNow - kStuckAfter, kNow, kStuckAfter), TaskClass::InProgress);
}

TEST(Classify, UnresolvedOneMillisecondPastTheThresholdIsStuck) {
  const TimePoint submitted = kNow - kStuckAfter - Millis(1);
  EXPECT_EQ(classify(TaskState::Pending, submitted, kNow, kStuckAfter), TaskClass::Stuck);
  EXPECT_EQ(classify(TaskState::InProgress, submitted, kNow, kStuckAfter), TaskClass::Stuck);
}

TEST(Classify, ResolvedTasksKeepTheirStateHoweverOld) {
  const TimePoint old = kNow - std::chrono::hours(24 * 30);
  EXPECT_EQ(classify(TaskState::Succeeded, old, kNow, kStuckAfter), TaskClass::Succeeded);
  EXPECT_EQ(classify(TaskState::Failed, old, kNow, kStuckAfter), TaskClass::Failed);
  EXPECT_EQ(classify(TaskState::Rejected, old, kNow, kStuckAfter), TaskClass::Rejected);
  EXPECT_EQ(classify(TaskState::Expired, old, kNow, kStuckAfter), TaskClass::Expired);
}

TEST(ClassList, ReadsCommaSeparatedNamesWithSpaces) {
  EXPECT_EQ(parseClassList("failed, stuck,rejected"),
            (std::vector<TaskClass>{TaskClass::Failed, TaskClass::Stuck, TaskClass::Rejected}));
  EXPECT_EQ(parseClassList("in_progress"), (std::vector<TaskClass>{TaskClass::InProgress}));
  EXPECT_TRUE(parseClassList("").empty());
}

TEST(ClassList, AnUnknownNameIsAUsageErrorNamingIt) {
  try {
    parseClassList("failed,broken");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::Usage);
    EXPECT_NE(std::string(e.what()).find("'broken'"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace taskledger::report
