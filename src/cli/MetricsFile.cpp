#include "MetricsFile.h"

#include <sstream>

namespace taskledger::cli {

// The exposition format's label value escapes: backslash, double quote and line feed. Anything
// else is literal, so a profile name can never end the label or add a line (a metric of its own).
std::string escapeLabelValue(const std::string& value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string renderMetrics(const std::vector<RunMetrics>& profiles) {
  std::ostringstream out;
  const auto label = [](const RunMetrics& m) { return "{profile=\"" + escapeLabelValue(m.profile) + "\""; };
  out << "# HELP taskledger_tasks Tasks in the ledger by state.\n# TYPE taskledger_tasks gauge\n";
  for (const auto& m : profiles) {
    for (const auto& [state, n] : m.tasks_by_state) {
      out << "taskledger_tasks" << label(m) << ",state=\"" << toString(state) << "\"} " << n << "\n";
    }
  }
  auto gauge = [&](const char* name, const char* help, auto value_of) {
    out << "# HELP " << name << " " << help << "\n# TYPE " << name << " gauge\n";
    for (const auto& m : profiles) out << name << label(m) << "} " << value_of(m) << "\n";
  };
  gauge("taskledger_last_run_checks", "Status checks answered in the last run.", [](const RunMetrics& m) { return m.outcome.stats.checked; });
  gauge("taskledger_last_run_resolved", "Tasks resolved in the last run.", [](const RunMetrics& m) { return m.outcome.stats.resolved; });
  gauge("taskledger_last_run_errors", "Error answers in the last run.", [](const RunMetrics& m) { return m.outcome.stats.errors; });
  gauge("taskledger_last_run_rate_limited", "RequestLimitExceeded answers in the last run.", [](const RunMetrics& m) { return m.outcome.stats.rate_limited; });
  gauge("taskledger_last_run_expired", "Tasks expired by the last run.", [](const RunMetrics& m) { return m.outcome.expired; });
  gauge("taskledger_last_run_duration_seconds", "Wall time of the last run.", [](const RunMetrics& m) { return m.duration_seconds; });
  gauge("taskledger_last_run_exit_code", "Exit code of the last run.", [](const RunMetrics& m) { return static_cast<int>(m.outcome.exit); });
  // The ledger's (the last clean run of any profile), so every profile has it or none does.
  if (!profiles.empty() && profiles.front().last_success) {
    gauge("taskledger_last_success_timestamp_seconds", "When a run last ended without error.",
          [](const RunMetrics& m) { return toUnixSeconds(m.last_success.value_or(TimePoint{})); });
  }
  return out.str();
}

}  // namespace taskledger::cli
