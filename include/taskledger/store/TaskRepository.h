#pragma once
// The SQLite ledger: TaskStore plus the named look-ups the commands need. All SQL about tasks,
// checks and runs lives in src/store/, never in the services or the CLI.
#include <map>
#include <memory>

#include "taskledger/store/Database.h"
#include "taskledger/store/TaskStore.h"

namespace SQLite {
class Statement;
}

namespace taskledger::store {

class TaskRepository final : public TaskStore {
 public:
  explicit TaskRepository(Database& db);
  ~TaskRepository() override;
  TaskRepository(const TaskRepository&) = delete;
  TaskRepository& operator=(const TaskRepository&) = delete;

  std::unique_ptr<TaskWriter> beginImport(TimePoint now) override;
  std::vector<Task> dueTasks(const std::string& profile, const std::string& region, TimePoint now,
                             std::size_t limit, const SkipTask& skip = {}) override;
  std::vector<std::string> unresolvedRegions(const std::string& profile) override;
  std::optional<TimePoint> nextDueAt(const std::string& profile) override;
  std::int64_t countUnresolved(const std::string& profile) override;
  std::vector<std::string> profilesToRun(TimePoint now, bool any_unresolved) override;
  std::int64_t expireUnresolved(const std::string& profile, TimePoint cutoff, TimePoint now) override;
  void recordAnswers(const std::vector<AnswerRecord>& records) override;
  std::vector<TimePoint> sendsSince(const std::string& host, TimePoint since) override;
  std::int64_t countChecks(std::int64_t task_id, const std::string& outcome) override;
  std::int64_t beginRun(const RunRecord& run) override;
  void finishRun(std::int64_t run_id, TimePoint finished_at, const RunStats& stats,
                 const std::string& exit_reason) override;
  void recordParkedRegion(std::int64_t run_id, const ParkedRegionRecord& parked) override;

  // Every task with this request id (one per profile and region it was submitted under).
  std::vector<Task> findByRequestId(const std::string& request_id);
  std::vector<Check> checksOf(std::int64_t task_id);
  std::map<TaskState, std::int64_t> countsByState(const std::string& profile = "");
  std::optional<RunRecord> lastRun();
  // When the last run that ended without error finished (for monitoring).
  std::optional<TimePoint> lastCleanRunFinishedAt();
  // Unresolved tasks of `profile` submitted before `cutoff`: the stuck ones.
  std::int64_t countUnresolvedSubmittedBefore(const std::string& profile, TimePoint cutoff);
  // requeue: matching tasks become due now (state pending/in_progress as before). Returns count.
  std::int64_t requeue(std::optional<TaskState> state, const std::string& request_id, TimePoint now);
  // prune: deletes resolved tasks (and their checks) resolved before `cutoff`. Returns count.
  std::int64_t pruneResolvedBefore(TimePoint cutoff);

 private:
  Database& db_;
  // recordAnswers() runs a few times a second for a whole run: prepared once, not per commit.
  std::unique_ptr<SQLite::Statement> insert_check_, update_task_, count_check_;
};

}  // namespace taskledger::store
