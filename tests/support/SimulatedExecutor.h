#pragma once
// A discrete-event stand-in for the real executor: `workers` calls at once at most, each answered by
// a function after a fixed latency of virtual time. No threads, no sleeps: takeResults() moves the
// fake clock to the next completion.
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "support/FakeClock.h"
#include "taskledger/scheduler/Executor.h"

namespace taskledger::testing {

class SimulatedExecutor final : public scheduler::Executor {
 public:
  using Answer = std::function<CheckResult(const scheduler::Job&)>;
  SimulatedExecutor(FakeClock& clock, std::size_t workers, Millis latency, Answer answer)
      : clock_(clock), workers_(workers), latency_(latency), answer_(std::move(answer)) {}

  // Delays between release and the request's write (e.g. a handshake on a new connection); the
  // sends() log and written_at use the write time.
  void setWriteDelay(std::function<Millis(std::size_t send_index)> delay) { write_delay_ = std::move(delay); }

  std::size_t idle() const override { return workers_ - running_.size(); }
  bool warmFor(const std::string&) const override { return idle() > 0; }
  void submit(scheduler::Job job) override;
  std::vector<scheduler::JobResult> takeResults(TimePoint deadline, Wake wake = Wake::OnResult) override;
  void interrupt() override {}

  // Every send, in order of release: (host, time written).
  const std::vector<std::pair<std::string, TimePoint>>& sends() const { return sends_; }
  // The largest number of sends to `host` (empty: any) within any sliding window of `window`.
  std::size_t maxInWindow(const std::string& host, Millis window = Millis(1000)) const;

 private:
  FakeClock& clock_;
  std::size_t workers_;
  Millis latency_;
  Answer answer_;
  std::function<Millis(std::size_t)> write_delay_;
  std::multimap<TimePoint, scheduler::JobResult> running_;
  std::vector<std::pair<std::string, TimePoint>> sends_;
};

// Builders for the answers a fake API gives.
CheckResult statusResult(int status, const std::string& message = "");
CheckResult errorResult(const std::string& code, ErrorConsequence consequence, bool rate_limited = false,
                        bool unknown_code = false);

}  // namespace taskledger::testing
