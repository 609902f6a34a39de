#include "support/SimulatedExecutor.h"

#include <algorithm>
#include <deque>

namespace taskledger::testing {
namespace {
int counter = 0;
std::string fakeRequestId() { return "fake-" + std::to_string(++counter); }
}  // namespace

void SimulatedExecutor::submit(scheduler::Job job) {
  TimePoint written = clock_.now() + (write_delay_ ? write_delay_(sends_.size()) : Millis(0));
  sends_.emplace_back(job.host, written);
  CheckResult r = answer_(job);
  r.latency_ms = latency_.count();
  r.written_at = written;
  if (r.endpoint_host.empty()) r.endpoint_host = job.host;
  running_.emplace(written + latency_, scheduler::JobResult{std::move(job), std::move(r)});
}

std::vector<scheduler::JobResult> SimulatedExecutor::takeResults(TimePoint deadline, Wake wake) {
  std::vector<scheduler::JobResult> out;
  if (running_.empty() || running_.begin()->first > deadline) {
    clock_.advanceTo(deadline);
    return out;
  }
  TimePoint done_at = wake == Wake::OnResult ? running_.begin()->first : deadline;
  clock_.advanceTo(done_at);
  while (!running_.empty() && running_.begin()->first <= done_at) {
    out.push_back(std::move(running_.begin()->second));
    running_.erase(running_.begin());
  }
  return out;
}

std::size_t SimulatedExecutor::maxInWindow(const std::string& host, Millis window) const {
  std::vector<TimePoint> times;
  for (const auto& [h, t] : sends_) {
    if (host.empty() || h == host) times.push_back(t);
  }
  std::sort(times.begin(), times.end());
  std::deque<TimePoint> in_window;
  std::size_t best = 0;
  for (TimePoint t : times) {
    in_window.push_back(t);
    while (t - in_window.front() >= window) in_window.pop_front();
    best = std::max(best, in_window.size());
  }
  return best;
}

CheckResult statusResult(int status, const std::string& message) {
  CheckResult r;
  r.value = StatusAnswer{status, message, {"lb-test"}, fakeRequestId()};
  return r;
}

CheckResult errorResult(const std::string& code, ErrorConsequence consequence, bool rate_limited, bool unknown_code) {
  ApiError e;
  e.code = code;
  e.message = code + " (fake)";
  e.api_request_id = fakeRequestId();
  e.consequence = consequence;
  e.rate_limited = rate_limited;
  e.unknown_code = unknown_code;
  CheckResult r;
  r.value = e;
  return r;
}

}  // namespace taskledger::testing
