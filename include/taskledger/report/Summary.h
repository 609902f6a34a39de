#pragma once
// What an end-of-day report says, as a plain value: read from the ledger once (Reporter.h), then
// written in any format (Format.h). Holds no formatting decisions.
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "taskledger/domain/TaskState.h"
#include "taskledger/domain/Time.h"
#include "taskledger/report/TaskClass.h"
#include "taskledger/report/Window.h"

namespace taskledger::report {

// How many tasks are in each class; `total` is their sum.
struct ClassCounts {
  std::int64_t total = 0;
  std::array<std::int64_t, kClassCount> by_class{};

  std::int64_t of(TaskClass c) const { return by_class[static_cast<std::size_t>(c)]; }
  void add(TaskClass c, std::int64_t n = 1) {
    by_class[static_cast<std::size_t>(c)] += n;
    total += n;
  }
};

// A failed, stuck or rejected task, as the lists show it.
struct ListedTask {
  TaskClass task_class = TaskClass::Failed;
  TaskState state = TaskState::Failed;
  std::string request_id;
  std::string region;
  std::string profile;
  std::string operation;
  std::string resource;
  TimePoint submitted_at{};
  std::optional<TimePoint> resolved_at;
  Millis age{};  // generated_at - submitted_at
  int attempts = 0;
  std::string message;  // the API's Message, or when it gave none the last error's message
  std::string last_error_code;
  std::string actor;      // who made the call (tasks found by discover), else ""
  std::string source_ip;  // from where, else ""
};

// Failed tasks that share a message, or rejected tasks that share an error code: one problem,
// however many tasks it hit.
struct ReasonGroup {
  TaskClass task_class = TaskClass::Failed;  // Failed or Rejected
  std::string message;     // failed: the shared message; rejected: the example task's message
  std::string error_code;  // rejected: the shared error code; failed: ""
  std::int64_t count = 0;
  std::vector<std::string> regions;     // distinct, in byte order
  std::vector<std::string> operations;  // distinct, in byte order ("" when a task had none)
  std::string example_request_id;       // the group's first task in submission order
};

// One slice of the window: [from, from + Summary::bucket).
struct TimeBucket {
  TimePoint from{};
  std::int64_t submitted = 0;  // tasks of the window submitted in the slice
  std::int64_t resolved = 0;   // tasks of the window that succeeded or failed in the slice
  std::int64_t failed = 0;     // of those, the failed ones
};

// A region that runs parked (DESIGN.md, run, Errors) during the window, per profile and code.
struct ParkedRegion {
  std::string profile, region, code, message;  // message: of the latest parking
  TimePoint since{}, last{};                   // first and latest parking in the window
  std::int64_t runs = 0;                       // how many runs parked it
  std::int64_t unresolved = 0;  // tasks of the window in that profile and region still unresolved
};

// Unresolved tasks of the window that no run has ever asked about (attempts = 0), per region.
struct NeverChecked {
  std::string profile, region;
  std::int64_t count = 0;
  TimePoint oldest{};  // the earliest submission among them
};

// The totals of the window before (report --compare-previous).
struct Previous {
  Window window;
  ClassCounts totals;
};

// Submitted-to-resolved times of the succeeded and failed tasks (nearest-rank percentiles).
struct Resolution {
  std::int64_t count = 0;
  Millis p50{}, p90{}, p99{}, max{};
};

// The newest row of `runs`, for the header.
struct LastRun {
  TimePoint started_at{};
  std::optional<TimePoint> finished_at;  // nullopt: still running, or killed
  std::string exit_reason;
};

struct Filters {
  std::string region, profile, operation;  // "" = all
};

struct Summary {
  std::string ledger;       // the database file, absolute
  Window window;
  TimePoint generated_at{};  // "now": stuck and ages are measured from it
  bool utc = false;          // times are shown in UTC (JSON always is)
  std::string time_zone;     // describeTimeZone() of the window
  Filters filters;
  Millis stuck_after{};
  std::optional<LastRun> last_run;

  ClassCounts totals;
  // Keyed by region and by operation ("" when none was given), in byte order.
  std::map<std::string, ClassCounts, std::less<>> by_region;
  std::map<std::string, ClassCounts, std::less<>> by_operation;
  std::optional<Resolution> resolution;  // nullopt when no task in the window is resolved

  // In submission order.
  std::vector<ListedTask> failed;
  std::vector<ListedTask> stuck;
  std::vector<ListedTask> rejected;

  // Largest group first (ties: failed before rejected, then by message or code).
  std::vector<ReasonGroup> failure_reasons;
  // The window in consecutive slices of `bucket` (one hour, or longer so that a long window has
  // at most kMaxBuckets); the last slice may end after the window.
  Millis bucket{};
  std::vector<TimeBucket> over_time;
  // Keyed by actor. Tasks without one (imported, added by hand) are left out and counted in
  // `without_actor`: an empty name would read as a person.
  std::map<std::string, ClassCounts, std::less<>> by_actor;
  std::int64_t without_actor = 0;
  // By profile then region.
  std::vector<ParkedRegion> parked_regions;
  std::vector<NeverChecked> never_checked;
  std::int64_t never_checked_total = 0;
  std::optional<Previous> previous;  // only when asked for
  // Tasks of the window the ledger holds unreadable times for (store::ReportQueries::unreadable()).
  std::vector<std::string> unreadable;
};

// The most slices the window is cut into (a day is 24 of one hour; a week 42 of four hours).
inline constexpr std::int64_t kMaxBuckets = 48;

// Sentences that must catch the reader's eye above everything else: no run ever, no run since
// the window began (nobody polled: the states are stale), a last run that never finished.
std::vector<std::string> warnings(const Summary& s);

// True when some task is in one of `classes` (report --fail-on).
bool anyIn(const Summary& s, const std::vector<TaskClass>& classes);

}  // namespace taskledger::report
