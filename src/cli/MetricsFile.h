#pragma once
// The run's metrics in Prometheus text format, for node_exporter's textfile collector. Written with
// report::writeFileAtomically, so the collector never reads half a file.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "taskledger/domain/TaskState.h"
#include "taskledger/scheduler/Scheduler.h"

namespace taskledger::cli {

struct RunMetrics {
  std::map<TaskState, std::int64_t> tasks_by_state;
  scheduler::RunOutcome outcome;
  double duration_seconds = 0;
  std::optional<TimePoint> last_success;
  std::string profile;
};

// One sample per profile of the run under each metric's HELP and TYPE (which the format allows
// once per name).
std::string renderMetrics(const std::vector<RunMetrics>& profiles);

// A label value as Prometheus' text format writes it: \\, \" and \n escaped.
std::string escapeLabelValue(const std::string& value);

}  // namespace taskledger::cli
