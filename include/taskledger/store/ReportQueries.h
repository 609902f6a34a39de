#pragma once
// The report's reads: every task submitted in a window, streamed in one pass over the
// tasks_submitted index. The report core (src/report/) classifies and counts; no class logic or
// aggregation lives here, so there is one definition of "stuck".
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "taskledger/domain/TaskState.h"
#include "taskledger/domain/Time.h"
#include "taskledger/store/Database.h"

namespace taskledger::store {

// Tasks with since <= submitted_at < until; empty filter strings match everything.
struct WindowFilter {
  TimePoint since{};
  TimePoint until{};
  std::string region;
  std::string profile;
  std::string operation;
  // The states whose tasks need their details (request id, resource, messages, error code,
  // source IP); empty: every task. The others are visited with those fields "", which spares
  // reading five text columns of the 95% that only get counted.
  std::vector<TaskState> details_of;
};

// One task of the window. The string_views point into SQLite's row buffer: valid only during
// the visit call, so copy what must outlive it.
struct WindowTask {
  TaskState state = TaskState::Pending;
  TimePoint submitted_at{};
  std::optional<TimePoint> resolved_at;
  std::string_view region;
  std::string_view operation;
  std::string_view profile;
  std::string_view request_id;
  std::string_view resource;
  std::string_view message;             // the API's Message ("" when none)
  std::string_view last_error_code;     // "" when none
  std::string_view last_error_message;  // "" when none
  std::string_view actor;               // who made the call (discover), "" when unknown
  std::string_view source_ip;           // "" when unknown
  int attempts = 0;
};

// What a headline needs of a task (Reporter: the window before): no text but its state.
struct TaskOutline {
  TaskState state = TaskState::Pending;
  TimePoint submitted_at{};
  int attempts = 0;
};

// One row of parked_regions (migrations/0004): a run could not check this region at all.
struct ParkedRow {
  std::int64_t run_id = 0;
  std::string profile, region, code, message;
  TimePoint parked_at{};
};

class ReportQueries {
 public:
  explicit ReportQueries(Database& db) : db_(db) {}

  // Calls `visit` once per task of the window, in submitted_at order (ties in insertion order).
  // One index range scan: its cost grows with the window, not with the ledger. A task whose
  // submitted_at is not a time (an older version's garbage) is left out, and one whose resolved_at
  // is not is taken as unresolved; either is noted in unreadable(), never fatal.
  void forEachTaskInWindow(const WindowFilter& filter, const std::function<void(const WindowTask&)>& visit);

  // Calls `visit` for each task of the window in one of `states`, from the tasks_submitted index
  // alone (it holds submitted_at, state and attempts) unless a filter names another column.
  // Tasks whose submitted_at is not a time are left out, as forEachTaskInWindow leaves them out.
  void forEachOutlineInWindow(const WindowFilter& filter, const std::vector<TaskState>& states,
                              const std::function<void(const TaskOutline&)>& visit);

  // The regions parked with since <= parked_at < until, in parked_at order; the region and
  // profile filters apply (operation does not: a region is parked for every operation).
  std::vector<ParkedRow> parkedRegions(const WindowFilter& filter);
  // Tasks of any window whose submitted_at is not between `earliest` and `latest` (text that is no
  // time included): an older version stored what a poisoned event said, and no day's window ever
  // holds them. How many, and the first few by submitted_at, one line each.
  struct OutOfRange {
    std::int64_t count = 0;
    std::vector<std::string> first;  // "<request id> (<region>) submitted_at <stored text>"
  };
  OutOfRange outOfRange(TimePoint earliest, TimePoint latest, std::size_t show);

  // The distinct values of the tasks' `column` (region, profile or operation), in order, up to
  // `limit`: lets the report tell a mistyped --region from a quiet day.
  std::vector<std::string> knownValues(const std::string& column, std::size_t limit);
  // Whether any task of the ledger, in any window, has `value` in `column`.
  bool anyTaskWith(const std::string& column, const std::string& value);

  // SQLite's EXPLAIN QUERY PLAN of that scan, one line per step: lets tests prove the index is used.
  std::string windowScanPlan(const WindowFilter& filter);
  // And of forEachOutlineInWindow's: proves that it reads the index alone.
  std::string outlineScanPlan(const WindowFilter& filter, const std::vector<TaskState>& states);

  // One line per task the scans so far could not read whole, naming it by request id and region,
  // up to kMaxUnreadableNoted.
  const std::vector<std::string>& unreadable() const { return unreadable_; }
  static constexpr std::size_t kMaxUnreadableNoted = 100;

 private:
  std::string planOf(const std::string& sql, const WindowFilter& filter);
  void noteUnreadable(const WindowTask& t, const std::string& why);

  Database& db_;
  std::vector<std::string> unreadable_;
};

}  // namespace taskledger::store
