#pragma once
// The reporter core: reads the tasks of a window from the ledger once and turns them into a
// Summary. Classes, counts and percentiles are decided here, from the raw rows, so that every
// format says the same thing.
#include <string>
#include <vector>

#include "taskledger/report/Summary.h"
#include "taskledger/store/Database.h"
#include "taskledger/store/ReportQueries.h"

namespace taskledger::report {

struct ReportRequest {
  Window window;
  Filters filters;
  Millis stuck_after = std::chrono::minutes(30);
  bool utc = false;  // show times in UTC
};

// Builds a Summary from tasks fed one at a time (in submission order), as of `now`. Keeps the
// counts, the listed tasks and one number per resolved task (for exact percentiles); nothing else.
class SummaryBuilder {
 public:
  SummaryBuilder(const ReportRequest& request, TimePoint now);
  void add(const store::WindowTask& task);
  // Completes the percentiles; the header fields (ledger, time zone, last run) are the caller's.
  Summary finish();

 private:
  Summary summary_;
  std::vector<std::int64_t> resolution_ms_;
};

// Reads the ledger: the window's tasks, the last run, the time zone of the window. `now` is the
// report's generation time (injected so that tests are exact).
Summary summarize(store::Database& db, const ReportRequest& request, TimePoint now);

}  // namespace taskledger::report
