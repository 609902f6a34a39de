#include "taskledger/report/Summary.h"

namespace taskledger::report {

std::vector<std::string> warnings(const Summary& s) {
  std::vector<std::string> out;
  if (!s.last_run) {
    out.push_back("no run has ever polled this ledger: every state is as imported");
    return out;
  }
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
