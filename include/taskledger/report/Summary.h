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
};

// Sentences that must catch the reader's eye above everything else: no run ever, no run since
// the window began (nobody polled: the states are stale), a last run that never finished.
std::vector<std::string> warnings(const Summary& s);

// True when some task is in one of `classes` (report --fail-on).
bool anyIn(const Summary& s, const std::vector<TaskClass>& classes);

}  // namespace taskledger::report
