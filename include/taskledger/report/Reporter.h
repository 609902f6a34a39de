#pragma once
// The reporter core: reads the tasks of a window from the ledger once and turns them into a
// Summary. Classes, counts and percentiles are decided here, from the raw rows, so that every
// format says the same thing.
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "taskledger/report/Summary.h"
#include "taskledger/store/Database.h"
#include "taskledger/store/ReportQueries.h"

namespace taskledger::report {

struct ReportRequest {
  Window window;
  Filters filters;
  Millis stuck_after = kDefaultStuckAfter;
  bool utc = false;  // show times in UTC
  std::optional<Window> previous;  // also count this window's totals (--compare-previous)
};

// Builds a Summary from tasks fed one at a time (in submission order), as of `now`. Keeps the
// counts, the listed tasks and one number per resolved task (for exact percentiles); nothing else.
class SummaryBuilder {
 public:
  // `bucket` overrides the slice length (a previous window is sliced like the current one).
  SummaryBuilder(const ReportRequest& request, TimePoint now, std::optional<Millis> bucket = std::nullopt);
  void add(const store::WindowTask& task);
  // The parked_regions rows of the window, in parked_at order; grouped per profile, region
  // and code by finish().
  void addParked(const std::vector<store::ParkedRow>& rows);
  // Completes the percentiles and the groups; the header fields (ledger, time zone, last run)
  // and `previous` are the caller's.
  Summary finish();

 private:
  struct ReasonAcc {
    ReasonGroup group;
    std::set<std::string, std::less<>> regions, operations, actors;
  };
  // Unresolved tasks of one (profile, region).
  struct Unresolved {
    std::int64_t count = 0;
    std::int64_t never_checked = 0;
    TimePoint oldest_never_checked{};
  };
  void addReason(std::map<std::string, ReasonAcc, std::less<>>& groups, std::string_view key, TaskClass c,
                 const store::WindowTask& t);
  void addStuck(const store::WindowTask& t);
  void finishPercentiles();
  void finishStuckGroups();
  std::optional<ParkingReason> parkingReason(const std::string& profile, const std::string& region) const;
  void finishReasons();
  void finishNotChecked();  // never checked, and parked regions with their unresolved tasks

  Summary summary_;
  std::vector<std::int64_t> resolution_ms_;
  std::map<std::string, ReasonAcc, std::less<>> failed_by_message_, rejected_by_code_;
  std::map<std::pair<std::string, std::string>, Unresolved> unresolved_;
  std::vector<store::ParkedRow> parked_;
  std::map<std::tuple<std::string, std::string, std::string>, StuckGroup> stuck_;  // profile, region, band
};


// Reads the ledger: the window's tasks, the last run, the time zone of the window. `now` is the
// report's generation time (injected so that tests are exact).
Summary summarize(store::Database& db, const ReportRequest& request, TimePoint now);

}  // namespace taskledger::report
