#pragma once
// How a run speaks to the operator: a live progress line on a terminal; one line at the start and
// one summary line at the end for cron (plus a line per run-level problem); or the same as JSON
// lines with --log-format json.
#include <chrono>
#include <iosfwd>
#include <string>

#include "LiveLine.h"
#include "taskledger/scheduler/RunJob.h"
#include "taskledger/scheduler/RunProgress.h"
#include "taskledger/scheduler/Scheduler.h"

namespace taskledger::cli {

class RunReporter final : public scheduler::RunProgress {
 public:
  enum class Style { Live, Plain, Json, Quiet };
  // `verbose`: a line per answer (host, RequestId, outcome, latency); never in the Quiet style.
  RunReporter(std::ostream& out, Style style, bool verbose = false)
      : out_(out), style_(style), verbose_(verbose && style != Style::Quiet), live_(out, style == Style::Live) {}
  // Live on a terminal, Plain otherwise; Json when asked; Quiet for --quiet.
  static Style chooseStyle(const std::string& log_format, bool quiet, int fd);

  void started(std::int64_t due, std::int64_t unresolved, std::size_t hosts, std::size_t concurrency) override;
  void progress(const scheduler::ProgressSnapshot& snapshot) override;
  void problem(const std::string& line) override;
  void answered(const std::string& host, const std::string& request_id, const std::string& outcome,
                long long latency_ms) override;
  void profileStarting(const std::string& profile, std::size_t count) override;
  void finished(const scheduler::RunOutcome& outcome, Millis elapsed, std::int64_t stuck);
  // After a run over several profiles: one line naming each one's outcome, and the exit code.
  void finishedAll(const scheduler::ProfilesResult& result);

 private:
  void endLiveLine();
  std::string prefix() const;  // "run: ", or "run [P]: " in a run over several profiles
  std::ostream& out_;
  Style style_;
  bool verbose_;
  LiveLine live_;
  std::string profile_;
  std::size_t profiles_ = 1;
};

}  // namespace taskledger::cli
