// A ledger that runs out of room in the middle of a run (issue 20): the run fails naming the
// ledger's folder and the space to free, not SQLite's "database or disk is full", and its run row
// is still closed with finished_at and the reason. SQLite's max_page_count makes the full disk
// deterministic: the ledger may not grow past the pages it has when the run starts.
#include <gtest/gtest.h>

#include <cstdio>

#include "support/FakeClock.h"
#include "support/SimulatedApi.h"
#include "support/TempDir.h"
#include "taskledger/domain/Error.h"
#include "taskledger/scheduler/RunJob.h"
#include "taskledger/store/Database.h"
#include "taskledger/store/LedgerFull.h"
#include "taskledger/store/TaskRepository.h"

namespace taskledger::scheduler {
namespace {

using testing::FakeClock;
using testing::SimulatedApi;
using testing::statusResult;

TEST(FullDisk, ARunThatFillsTheLedgerNamesTheFolderAndStillClosesItsRunRow) {
  testing::TempDir dir;
  FakeClock clock;
  store::Database db(dir.file("ledger.db"), store::OpenMode::Create);
  store::TaskRepository repo(db);
  auto writer = repo.beginImport(clock.now());
  for (int i = 0; i < 300; ++i) {
    NewTask t;
    t.region = "ap-guangzhou";
    char id[40];
    std::snprintf(id, sizeof id, "00000000-0000-4000-8000-%012d", i);
    t.request_id = id;
    t.submitted_at = clock.now() - Millis(60'000);
    writer->insert(t);
  }
  writer->commit();
  // Room for the run's row and updates in place, not for 300 checks with their messages.
  const int pages = db.sql().execAndGet("PRAGMA page_count").getInt();
  db.sql().exec("PRAGMA max_page_count = " + std::to_string(pages + 1));

  ProfilesOptions options;
  options.job.scheduler.concurrency = 8;
  options.job.scheduler.until_done = true;
  options.job.scheduler.max_duration = Millis(60'000);
  SilentProgress progress;
  const ProfileApiMaker make_api = [&](const std::string&, std::size_t) -> std::shared_ptr<TaskStatusApi> {
    return std::make_shared<SimulatedApi>(clock, 8, Millis(100), [](const TaskQuery&) {
      return statusResult(0, std::string(400, 'm'));
    });
  };
  try {
    runProfiles(repo, clock, testing::simulatedHostFor, make_api, options, progress);
    ADD_FAILURE() << "the run did not notice the full ledger";
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_EQ(e.code(), ExitCode::Failure);
    EXPECT_NE(what.find("no space left in " + dir.path().string() + " for recording answers"), std::string::npos) << what;
    EXPECT_NE(what.find("free at least"), std::string::npos) << what;
    EXPECT_EQ(what.find("database or disk is full"), std::string::npos) << what;
  }
  const auto run = repo.lastRun();
  ASSERT_TRUE(run.has_value());
  EXPECT_TRUE(run->finished_at.has_value());
  EXPECT_NE(run->exit_reason.find("no space left in"), std::string::npos) << run->exit_reason;
}

}  // namespace
}  // namespace taskledger::scheduler
