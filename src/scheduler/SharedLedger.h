#pragma once
// One ledger shared by the profiles of a run reconciled at the same time (runProfiles): each
// profile's scheduler calls it from its own thread, and every call goes through one mutex, so
// the store underneath is still used by one thread at a time (TaskStore's contract; a SQLite
// connection is not to be used by two threads at once). The same mutex also serialises what
// the profiles say (ProfileProgress), so lines never interleave.
#include <mutex>

#include "taskledger/store/TaskStore.h"

namespace taskledger::scheduler {

class SharedLedger final : public store::TaskStore {
 public:
  // `store` and `mutex` must outlive it.
  SharedLedger(store::TaskStore& store, std::mutex& mutex) : store_(store), mutex_(mutex) {}

  std::unique_ptr<store::TaskWriter> beginImport(TimePoint now) override;
  std::vector<Task> dueTasks(const std::string& profile, const std::string& region, TimePoint now,
                             std::size_t limit, const SkipTask& skip = {}) override;
  std::vector<std::string> unresolvedRegions(const std::string& profile) override;
  std::optional<TimePoint> nextDueAt(const std::string& profile) override;
  std::int64_t countUnresolved(const std::string& profile) override;
  std::vector<std::string> profilesToRun(TimePoint now, bool any_unresolved) override;
  std::int64_t expireUnresolved(const std::string& profile, TimePoint cutoff, TimePoint now) override;
  void recordAnswers(const std::vector<store::AnswerRecord>& records) override;
  std::vector<TimePoint> sendsSince(const std::string& host, TimePoint since) override;
  std::int64_t countChecks(std::int64_t task_id, const std::string& outcome) override;
  std::int64_t beginRun(const store::RunRecord& run) override;
  void finishRun(std::int64_t run_id, TimePoint finished_at, const store::RunStats& stats,
                 const std::string& exit_reason) override;
  void recordParkedRegion(std::int64_t run_id, const store::ParkedRegionRecord& parked) override;

 private:
  store::TaskStore& store_;
  std::mutex& mutex_;
};

}  // namespace taskledger::scheduler
