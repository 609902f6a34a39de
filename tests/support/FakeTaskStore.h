#pragma once
// An in-memory TaskStore for unit tests of the importer and the scheduler: the same contract as
// the SQLite repository (unique (profile, region, request_id), writes visible only on commit,
// rollback when a writer is dropped), with no file and no SQL. Thread-safe.
#include <mutex>
#include <set>
#include <stdexcept>

#include "taskledger/store/TaskStore.h"

namespace taskledger::testing {

class FakeTaskStore final : public store::TaskStore {
 public:
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

  // What a test inspects or arranges. Copies, taken under the lock.
  std::vector<Task> tasks() const;
  std::optional<Task> task(std::int64_t id) const;
  std::vector<Check> checks() const;
  std::vector<store::RunRecord> runs() const;
  std::vector<std::pair<std::int64_t, store::ParkedRegionRecord>> parkedRegions() const;  // (run id, row)
  int commits() const;    // import transactions committed
  int rollbacks() const;  // import writers dropped without commit
  // Adds a task as if imported and committed; returns its id.
  std::int64_t addTask(Task task);
  // While set, every write throws std::runtime_error (a full disk, a lost lock, ...).
  void setFailWrites(bool fail);

 private:
  class Writer;
  static std::string keyOf(const std::string& profile, const std::string& region, const std::string& request_id);
  void throwIfFailing() const;

  mutable std::mutex mutex_;
  // Protected by mutex_.
  std::vector<Task> tasks_;
  std::set<std::string> keys_;  // profile \n region \n request_id of every task: the unique index
  std::vector<Check> checks_;
  std::vector<store::RunRecord> runs_;
  std::vector<std::pair<std::int64_t, store::ParkedRegionRecord>> parked_;
  std::int64_t next_task_id_ = 1, next_check_id_ = 1, next_run_id_ = 1;
  int commits_ = 0, rollbacks_ = 0;
  bool fail_writes_ = false;
};

}  // namespace taskledger::testing
