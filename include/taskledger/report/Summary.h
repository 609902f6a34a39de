#pragma once
// What an end-of-day report says, as a plain value: read from the ledger once (Reporter.h), then
// written in any format (Format.h). Holds no formatting decisions.
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
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

// Failed or rejected tasks that share a reason: the error code and the message with its ids,
// numbers and the task's own region normalised (normalisedMessage), so that "TaskId 1f.. not
// found in ap-guangzhou" and "TaskId 9c.. not found in ap-beijing" are one problem.
struct ReasonGroup {
  TaskClass task_class = TaskClass::Failed;  // Failed or Rejected
  std::string message;     // the normalised message every task of the group has
  std::string error_code;  // the shared error code ("" when the API gave none)
  std::int64_t count = 0;
  std::vector<std::string> regions;     // distinct, in byte order
  std::vector<std::string> operations;  // distinct, in byte order ("" when a task had none)
  std::vector<std::string> actors;      // distinct, in byte order ("" for tasks without one)
  std::string example_request_id;       // the group's first task in submission order
  std::vector<std::string> example_request_ids;  // its first kReasonExamples tasks
};

// How many example ids a reason group keeps.
inline constexpr std::size_t kReasonExamples = 3;

// `message` with what differs between tasks of one problem replaced: the task's region by
// "<region>", tokens with digits by "<id>" (or "<n>" when only digits). Spaces collapse.
std::string normalisedMessage(std::string_view message, std::string_view region);

// Where a region was parked (ParkedRegion), told beside its tasks: "UnsupportedRegion: ...".
struct ParkingReason {
  std::string code, message;
};

// Stuck tasks of one profile, region and age band: where they wait, and for how long.
struct StuckGroup {
  std::string profile, region;
  std::string age_band;      // ageBand()
  std::int64_t count = 0;
  std::int64_t never_checked = 0;  // of those, never asked about
  Millis oldest{};                 // the largest age among them
  std::optional<ParkingReason> parked;  // the region was parked in the window
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
  std::optional<ParkingReason> parked;  // why: no run could check the region
};

// What needs a person in a window: the five counts of the report's headline.
struct HeadlineCounts {
  std::int64_t failed = 0;
  std::int64_t stuck = 0;
  std::int64_t rejected = 0;
  std::int64_t never_checked = 0;   // unresolved tasks no run ever asked about
  std::int64_t parked_regions = 0;  // distinct (profile, region) parked in the window
};

// The headline's counts over the window before, cut to the same span as the current one: every
// report shows each headline count's change against them, --compare-previous or not.
struct HeadlineBefore {
  Window window;
  HeadlineCounts counts;
};

// The window before (report --compare-previous), cut to the same span as the current one.
struct Previous {
  Window window;
  ClassCounts totals;
  HeadlineCounts headline;
  std::vector<TimeBucket> over_time;  // slices aligned with the current window's
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
  // Largest group first, then by profile, region and age band.
  std::vector<StuckGroup> stuck_groups;

  // Largest group first (ties: failed before rejected, then by message or code).
  std::vector<ReasonGroup> failure_reasons;
  // The window in consecutive slices of `bucket` (one hour, or longer so that a long window has
  // at most kMaxBuckets); the last slice may end after the window. No slice starts after
  // generated_at: an hour that has not happened is not a zero.
  Millis bucket{};
  std::vector<TimeBucket> over_time;
  // Keyed by actor. Tasks without one (imported, added by hand) are left out and counted in
  // `without_actor`: an empty name would read as a person.
  std::map<std::string, ClassCounts, std::less<>> by_actor;
  std::int64_t without_actor = 0;
  ClassCounts without_actor_counts;  // those tasks, by class
  // By profile then region.
  std::vector<ParkedRegion> parked_regions;
  std::vector<NeverChecked> never_checked;
  std::int64_t never_checked_total = 0;
  std::optional<Previous> previous;  // only when asked for
  std::optional<HeadlineBefore> before;  // always set by summarize()
  // Tasks of the window the ledger holds unreadable times for (store::ReportQueries::unreadable()).
  std::vector<std::string> unreadable;
  // Tasks of the whole ledger submitted outside every window a report can name (before 2000, after
  // a day from now, or no time at all): how many, and the first few (store::ReportQueries::outOfRange()).
  std::int64_t out_of_range = 0;
  std::vector<std::string> out_of_range_first;
  // The window reaches past generated_at (today): its counts are of a partial span, and a
  // previous window is cut to the same span.
  bool partial = false;
};

// One count of what needs a person (the report's headline), with the previous window's.
struct HeadlineItem {
  std::string key;      // "failed", "stuck", "rejected", "never_checked", "parked_regions"
  std::string label;    // "failed", "stuck", "rejected", "never checked", "parked region(s)"
  std::string section;  // the id of the section that details it
  std::int64_t count = 0;
  std::optional<std::int64_t> previous;  // the same span of the window before (Summary::before)
};

// The headline's counts of the summarised window.
HeadlineCounts headlineCounts(const Summary& s);
// Failed, stuck, rejected, never checked, parked regions: always all five, in that order.
std::vector<HeadlineItem> headline(const Summary& s);
// How many distinct (profile, region) pairs `rows` name: a region parked with several codes, or
// by several runs, is still one region to look at.
template <class Rows>
std::int64_t distinctRegions(const Rows& rows) {
  std::set<std::pair<std::string_view, std::string_view>> seen;
  for (const auto& r : rows) seen.emplace(r.profile, r.region);
  return static_cast<std::int64_t>(seen.size());
}
// True when nothing needs a person: every headline count is zero.
bool quiet(const Summary& s);
// "under 1h", "1h to 6h", "6h to 1d" or "over 1d": coarse enough that a group is one story.
std::string ageBand(Millis age);

// The most slices the window is cut into (a day is 24 of one hour; a week 42 of four hours).
inline constexpr std::int64_t kMaxBuckets = 48;

// Sentences that must catch the reader's eye above everything else: no run ever, no run since
// the window began (nobody polled: the states are stale), a last run that never finished.
std::vector<std::string> warnings(const Summary& s);

// True when some task is in one of `classes` (report --fail-on).
bool anyIn(const Summary& s, const std::vector<TaskClass>& classes);

}  // namespace taskledger::report
