#pragma once
// A discrete-event stand-in for the real API client: each call answered by a function after a
// latency of virtual time. No threads, no sleeps: wait() moves the fake clock to the next
// completion or to its deadline, whichever comes first, as a real wait would sleep until then.
//
// It also catches a scheduler that spins: a caller that keeps waiting until "now" with nothing
// to collect would never let virtual time move, so after many such waits in a row wait() throws.
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "support/FakeClock.h"
#include "taskledger/domain/TaskStatusApi.h"

namespace taskledger::testing {

class SimulatedApi final : public TaskStatusApi {
 public:
  using Answer = std::function<CheckResult(const TaskQuery&)>;
  // `concurrency`: the upper bound the test runs the scheduler with (concurrency()).
  SimulatedApi(FakeClock& clock, std::size_t concurrency, Millis latency, Answer answer)
      : clock_(clock), concurrency_(concurrency), latency_(latency), answer_(std::move(answer)) {}

  // Delays between start and the request's write (e.g. a handshake on a new connection, a
  // descheduled thread); the sends() log and written_at use the time the limiter admits it.
  void setWriteDelay(std::function<Millis(std::size_t send_index)> delay) { write_delay_ = std::move(delay); }
  // Latency by send index, instead of the fixed one (e.g. a server that never answers).
  void setLatency(std::function<Millis(std::size_t send_index)> latency) { latency_of_ = std::move(latency); }

  void start(Call call) override;
  std::vector<Done> wait(TimePoint deadline) override;
  void abort(CallId id, const std::string& why) override;
  void wake() override {}

  std::size_t concurrency() const { return concurrency_; }
  // Every send, in order of start: (host, time written).
  const std::vector<std::pair<std::string, TimePoint>>& sends() const { return sends_; }
  // The largest number of sends to `host` (empty: any) within any sliding window of `window`.
  std::size_t maxInWindow(const std::string& host, Millis window = Millis(1000)) const;
  // The most calls that were in flight at once.
  std::size_t maxInFlight() const { return max_in_flight_; }
  // How many wait() calls the scheduler made (each a wake-up of the real thread).
  std::size_t waits() const { return waits_; }

 private:
  struct Running {
    CallId id;
    CheckResult result;
  };
  FakeClock& clock_;
  std::size_t concurrency_;
  Millis latency_;
  Answer answer_;
  std::function<Millis(std::size_t)> write_delay_;
  std::function<Millis(std::size_t)> latency_of_;
  std::multimap<TimePoint, Running> running_;
  std::vector<std::pair<std::string, TimePoint>> sends_;
  std::size_t max_in_flight_ = 0;
  std::size_t waits_ = 0;
  std::size_t empty_waits_in_a_row_ = 0;
};

// The host a region's calls go to in these tests.
std::string simulatedHostFor(const std::string& region);

// Builders for the answers a fake API gives.
CheckResult statusResult(int status, const std::string& message = "");
CheckResult errorResult(const std::string& code, ErrorConsequence consequence, bool rate_limited = false,
                        bool unknown_code = false);

}  // namespace taskledger::testing
