#pragma once
// A view of the ledger that schedules only a fixed set of tasks. `wait` runs the scheduler over
// it, so that it asks for its own ids and no others; answers, send times and the run record still
// go to the ledger itself, so that whoever asks next (cron's run, another wait) sees them and
// seeds its limiters from them.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "taskledger/store/TaskStore.h"

namespace taskledger::store {

class TaskSubset final : public TaskStore {
 public:
  // `load` returns the subset's tasks as the ledger holds them now; it is called afresh for every
  // scheduling question, since the scheduler's own answers change them.
  using Load = std::function<std::vector<Task>()>;
  TaskSubset(TaskStore& ledger, Load load);

  // Of the subset.
  std::vector<Task> dueTasks(const std::string& profile, const std::string& region, TimePoint now,
                             std::size_t limit, const SkipTask& skip = {}) override;
  std::vector<std::string> unresolvedRegions(const std::string& profile) override;
  std::optional<TimePoint> nextDueAt(const std::string& profile) override;
  std::int64_t countUnresolved(const std::string& profile) override;
  std::vector<std::string> profilesToRun(TimePoint now, bool any_unresolved) override;
  // Never expires anything: giving up on a task is the run's decision over the whole ledger.
  std::int64_t expireUnresolved(const std::string& profile, TimePoint cutoff, TimePoint now) override;

  // The ledger's.
  std::unique_ptr<TaskWriter> beginImport(TimePoint now) override;
  void recordAnswers(const std::vector<AnswerRecord>& records) override;
  std::vector<TimePoint> sendsSince(const std::string& host, TimePoint since) override;
  std::int64_t countChecks(std::int64_t task_id, const std::string& outcome) override;
  std::int64_t beginRun(const RunRecord& run) override;
  void finishRun(std::int64_t run_id, TimePoint finished_at, const RunStats& stats,
                 const std::string& exit_reason) override;
  void recordParkedRegion(std::int64_t run_id, const ParkedRegionRecord& parked) override;

 private:
  // The unresolved tasks of the subset that belong to `profile`.
  std::vector<Task> unresolved(const std::string& profile) const;

  TaskStore& ledger_;
  Load load_;
};

}  // namespace taskledger::store
