#pragma once
// The ledger as the scheduler and importer see it. SQLite implements it (TaskRepository); tests
// use an in-memory fake. Methods are called from one thread at a time.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "taskledger/domain/Task.h"

namespace taskledger::store {

// Adds tasks inside one transaction: nothing is visible until commit(); destroying it without
// commit() rolls everything back (an interrupted import leaves no trace).
class TaskWriter {
 public:
  virtual ~TaskWriter() = default;
  // True when inserted, false when (profile, region, request_id) is already in the ledger.
  virtual bool insert(const NewTask& task) = 0;
  // Inserts `tasks` in order, as insert() would one by one (the first of two equal keys wins);
  // returns how many were new. The rest are duplicates, of the ledger or of earlier tasks.
  // Writers that can insert several rows per statement override it.
  virtual std::int64_t insertMany(const std::vector<NewTask>& tasks) {
    std::int64_t added = 0;
    for (const auto& t : tasks) added += insert(t) ? 1 : 0;
    return added;
  }
  virtual void commit() = 0;
};

// What one check does to its task. Fields left empty keep the stored value.
struct TaskUpdate {
  TaskState state = TaskState::Pending;
  std::optional<int> last_status;
  TimePoint next_check_at{};
  std::optional<TimePoint> resolved_at;
  std::optional<std::string> message;
  std::optional<std::vector<std::string>> load_balancer_ids;
  std::optional<std::string> last_error_code;     // "" clears
  std::optional<std::string> last_error_message;  // "" clears
};

// One answered API call: a `checks` row, and what it does to the task.
struct AnswerRecord {
  Check check;                       // task_id, run_id, checked_at (send time), outcome, ...
  std::optional<TaskUpdate> update;  // empty: the task is left as it was, but for attempts
};

struct RunStats {
  std::int64_t checked = 0, resolved = 0, errors = 0, rate_limited = 0;
};

struct RunRecord {
  std::int64_t id = 0;
  TimePoint started_at{};
  std::optional<TimePoint> finished_at;
  std::string host;
  std::int64_t pid = 0;
  std::string profile;
  RunStats stats;
  std::string exit_reason;
};

// A row of `parked_regions`.
struct ParkedRegionRecord {
  std::string profile;
  std::string region;
  std::string code;  // the error code that parked it
  std::string message;
  TimePoint parked_at{};
};

class TaskStore {
 public:
  virtual ~TaskStore() = default;

  // Import.
  virtual std::unique_ptr<TaskWriter> beginImport(TimePoint now) = 0;

  // Scheduling. Due: pending or in_progress, next_check_at <= now, of `profile`; oldest due first.
  // `region` empty: any region. Up to `limit` tasks, passing over those `skip` names (a run's
  // tasks still in hand are due in the ledger until their answers are committed).
  using SkipTask = std::function<bool(std::int64_t task_id)>;
  virtual std::vector<Task> dueTasks(const std::string& profile, const std::string& region, TimePoint now,
                                     std::size_t limit, const SkipTask& skip = {}) = 0;
  // The regions that have unresolved tasks of `profile`.
  virtual std::vector<std::string> unresolvedRegions(const std::string& profile) = 0;
  // The earliest next_check_at of an unresolved task of `profile`, if any.
  virtual std::optional<TimePoint> nextDueAt(const std::string& profile) = 0;
  virtual std::int64_t countUnresolved(const std::string& profile) = 0;
  // The profiles a run has work in, in name order: those with a task due at `now`, or, with
  // `any_unresolved`, with any unresolved task.
  virtual std::vector<std::string> profilesToRun(TimePoint now, bool any_unresolved) = 0;
  // Unresolved tasks submitted before `cutoff` become expired; returns how many.
  virtual std::int64_t expireUnresolved(const std::string& profile, TimePoint cutoff, TimePoint now) = 0;
  // Writes every record in one IMMEDIATE transaction.
  virtual void recordAnswers(const std::vector<AnswerRecord>& records) = 0;
  // Send times recorded at `host` since `since`, oldest first: seeds a run's rate limiter.
  virtual std::vector<TimePoint> sendsSince(const std::string& host, TimePoint since) = 0;
  // How many committed checks of `task_id` came to `outcome` (an error code, "status:2"): counts
  // answers across runs (FailedOperation is rejected only after several).
  virtual std::int64_t countChecks(std::int64_t task_id, const std::string& outcome) = 0;

  // Runs.
  virtual std::int64_t beginRun(const RunRecord& run) = 0;
  virtual void finishRun(std::int64_t run_id, TimePoint finished_at, const RunStats& stats,
                         const std::string& exit_reason) = 0;
  // A region the run could not check at all (refused, or its host unreachable); the report lists
  // it. Written at once, in its own transaction.
  virtual void recordParkedRegion(std::int64_t run_id, const ParkedRegionRecord& parked) = 0;
};

}  // namespace taskledger::store
