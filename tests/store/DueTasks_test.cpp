// TaskStore::dueTasks, what a run reads its work from: oldest due first, `limit` tasks at most,
// and the tasks the run already holds passed over without using up the limit. The SQLite
// repository and the in-memory fake the scheduler tests use must agree.
#include <gtest/gtest.h>

#include <cstdio>
#include <set>

#include "support/EitherStore.h"

namespace taskledger {
namespace {

const TimePoint kT0 = *parseIsoTimestamp("2026-11-27T12:00:00Z");

class DueTasks : public ::testing::TestWithParam<bool> {
 protected:
  // The SQLite repository (true) or the in-memory fake.
  store::TaskStore& store() { return stores_.get(GetParam()); }

  // Imports `count` tasks of `region` at `when` (due from then on); their request ids are
  // numbered from `first`.
  void importAt(TimePoint when, const std::string& region, unsigned first, unsigned count) {
    auto w = store().beginImport(when);
    for (unsigned k = first; k < first + count; ++k) {
      NewTask t;
      t.region = region;
      char id[40];
      std::snprintf(id, sizeof id, "00000000-0000-4000-8000-%012u", k);
      t.request_id = id;
      ASSERT_TRUE(w->insert(t));
    }
    w->commit();
  }

  static std::vector<unsigned> numbers(const std::vector<Task>& tasks) {
    std::vector<unsigned> out;
    for (const auto& t : tasks) out.push_back(static_cast<unsigned>(std::stoul(t.request_id.substr(24))));
    return out;
  }

 private:
  testing::EitherStore stores_;
};

TEST_P(DueTasks, OldestDueFirstWithinTheLimitAndTheRegion) {
  importAt(kT0 + Millis(1000), "ap-guangzhou", 10, 3);
  importAt(kT0, "ap-guangzhou", 1, 3);
  importAt(kT0, "ap-shanghai", 100, 2);
  importAt(kT0 + std::chrono::hours(2), "ap-guangzhou", 20, 2);  // not due yet
  const TimePoint now = kT0 + std::chrono::hours(1);

  EXPECT_EQ(numbers(store().dueTasks("default", "ap-guangzhou", now, 4)), (std::vector<unsigned>{1, 2, 3, 10}));
  EXPECT_EQ(numbers(store().dueTasks("default", "ap-guangzhou", now, 100)),
            (std::vector<unsigned>{1, 2, 3, 10, 11, 12}));
  EXPECT_EQ(numbers(store().dueTasks("default", "ap-shanghai", now, 100)), (std::vector<unsigned>{100, 101}));
  EXPECT_EQ(store().dueTasks("default", "", now, 100).size(), 8u);
  EXPECT_TRUE(store().dueTasks("other-profile", "", now, 100).empty());
}

TEST_P(DueTasks, TasksTheRunHoldsArePassedOverWithoutUsingUpTheLimit) {
  importAt(kT0, "ap-guangzhou", 1, 6);
  const TimePoint now = kT0 + std::chrono::hours(1);
  std::set<std::int64_t> held;
  for (const auto& t : store().dueTasks("default", "ap-guangzhou", now, 2)) held.insert(t.id);
  ASSERT_EQ(held.size(), 2u);
  const store::TaskStore::SkipTask skip = [&](std::int64_t id) { return held.count(id) > 0; };

  // Still due in the ledger, but the next fetch brings the next tasks, a full limit of them.
  EXPECT_EQ(numbers(store().dueTasks("default", "ap-guangzhou", now, 3, skip)), (std::vector<unsigned>{3, 4, 5}));
  // Fewer than asked for: the caller learns that the region is drained.
  EXPECT_EQ(numbers(store().dueTasks("default", "ap-guangzhou", now, 10, skip)), (std::vector<unsigned>{3, 4, 5, 6}));
}

TEST_P(DueTasks, ProfilesToRunAreThoseWithDueTasksOrWithUntilDoneAnyUnresolved) {
  const TimePoint now = fromUnixSeconds(1'800'000'000);
  for (const auto& [profile, when] : {std::pair{"beta", now}, std::pair{"alpha", now}, std::pair{"later", now + Millis(60'000)}}) {
    auto w = store().beginImport(when);
    NewTask t;
    t.profile = profile;
    t.region = "ap-guangzhou";
    t.request_id = "00000000-0000-4000-8000-000000000001";
    ASSERT_TRUE(w->insert(t));
    w->commit();
  }
  EXPECT_EQ(store().profilesToRun(now, false), (std::vector<std::string>{"alpha", "beta"}));
  EXPECT_EQ(store().profilesToRun(now, true), (std::vector<std::string>{"alpha", "beta", "later"}));
  EXPECT_TRUE(store().profilesToRun(now - Millis(1000), false).empty());
}

INSTANTIATE_TEST_SUITE_P(SqliteAndFake, DueTasks, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "Sqlite" : "Fake"; });

}  // namespace
}  // namespace taskledger
