#include "taskledger/report/Summary.h"

#include <algorithm>
#include <set>

namespace taskledger::report {
namespace {

// Said whether or not a run ever polled: these tasks are unanswered, not fine.
void notCheckedWarnings(const Summary& s, std::vector<std::string>& out) {
  if (!s.parked_regions.empty()) {
    std::set<std::string> regions;
    for (const ParkedRegion& p : s.parked_regions) regions.insert(p.region);
    std::string names;
    for (const auto& r : regions) names += (names.empty() ? "" : ", ") + r;
    out.push_back("runs could not check " + names + " (parked): tasks there were not asked about");
  }
  // A task submitted a minute ago is not asked yet as a matter of course; one older than the
  // stuck rule is a gap.
  const bool any_old = std::any_of(s.never_checked.begin(), s.never_checked.end(), [&](const NeverChecked& n) {
    return s.generated_at - n.oldest > s.stuck_after;
  });
  if (any_old) {
    out.push_back(std::to_string(s.never_checked_total) + " task" + (s.never_checked_total == 1 ? " was" : "s were") +
                  " never checked (no answer at all): \"0 failed\" says nothing about them");
  }
}

}  // namespace

std::vector<std::string> warnings(const Summary& s) {
  std::vector<std::string> out;
  for (const auto& u : s.unreadable) out.push_back("the ledger holds an unreadable time: " + u);
  if (!s.last_run) {
    out.push_back("no run has ever polled this ledger: every state is as imported");
    return out;
  }
  notCheckedWarnings(s, out);
  const LastRun& run = *s.last_run;
  if (run.started_at < s.window.since) {
    out.push_back("no run since " + formatHuman(s.window.since, s.utc) + " (the last started " +
                  formatHuman(run.started_at, s.utc) + "): nobody polled this window, its states are stale");
  }
  if (!run.finished_at) {
    out.push_back("the last run (started " + formatHuman(run.started_at, s.utc) +
                  ") has not finished: it is still running or was killed");
  }
  return out;
}

bool anyIn(const Summary& s, const std::vector<TaskClass>& classes) {
  for (TaskClass c : classes) {
    if (s.totals.of(c) > 0) return true;
  }
  return false;
}

}  // namespace taskledger::report
