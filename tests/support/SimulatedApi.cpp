#include "support/SimulatedApi.h"

#include <algorithm>
#include <deque>
#include <stdexcept>

namespace taskledger::testing {
namespace {
int counter = 0;
std::string fakeRequestId() { return "fake-" + std::to_string(++counter); }
// Waits in a row that return nothing without time moving: a scheduler that spins.
constexpr std::size_t kSpinLimit = 1000;
}  // namespace

std::string simulatedHostFor(const std::string& region) { return "clb." + region + ".tencentcloudapi.com"; }

void SimulatedApi::start(Call call) {
  const std::size_t index = sends_.size();
  TimePoint written = clock_.now() + (write_delay_ ? write_delay_(index) : Millis(0));
  if (call.gate) {
    // The write is instantaneous on virtual time: admitted, it is done at once.
    for (TimePoint at = call.gate->admit(written); at > written; at = call.gate->admit(written)) written = at;
    call.gate->written(written);
  }
  const std::string host = simulatedHostFor(call.query.region);
  sends_.emplace_back(host, written);
  CheckResult r = answer_(call.query);
  const Millis latency = latency_of_ ? latency_of_(index) : latency_;
  r.latency_ms = latency.count();
  r.written_at = written;
  if (r.endpoint_host.empty()) r.endpoint_host = host;
  running_.emplace(written + latency, Running{call.id, std::move(r)});
  max_in_flight_ = std::max(max_in_flight_, running_.size());
}

std::vector<TaskStatusApi::Done> SimulatedApi::wait(TimePoint deadline) {
  ++waits_;
  std::vector<Done> out;
  const TimePoint before = clock_.now();
  if (running_.empty() || running_.begin()->first > deadline) {
    if (deadline == TimePoint::max()) throw std::logic_error("wait for ever with nothing in flight");
    clock_.advanceTo(deadline);
  } else {
    const TimePoint done_at = std::max(before, running_.begin()->first);
    clock_.advanceTo(done_at);
    while (!running_.empty() && running_.begin()->first <= done_at) {
      out.push_back({running_.begin()->second.id, std::move(running_.begin()->second.result)});
      running_.erase(running_.begin());
    }
  }
  empty_waits_in_a_row_ = out.empty() && clock_.now() == before ? empty_waits_in_a_row_ + 1 : 0;
  if (empty_waits_in_a_row_ >= kSpinLimit) throw std::logic_error("busy wait: the scheduler keeps waiting until now");
  return out;
}

void SimulatedApi::abort(CallId id, const std::string& why) {
  for (auto it = running_.begin(); it != running_.end(); ++it) {
    if (it->second.id != id) continue;
    Running r = std::move(it->second);
    running_.erase(it);
    const std::optional<TimePoint> written = r.result.written_at;
    r.result = errorResult("Timeout", ErrorConsequence::RetryLater);
    std::get<ApiError>(r.result.value).message = why;
    std::get<ApiError>(r.result.value).api_request_id.clear();
    r.result.written_at = written;
    r.result.latency_ms = written ? (clock_.now() - *written).count() : 0;
    running_.emplace(clock_.now(), std::move(r));
    return;
  }
}

std::size_t SimulatedApi::maxInWindow(const std::string& host, Millis window) const {
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
