#include "taskledger/scheduler/AsyncExecutor.h"

#include <algorithm>

namespace taskledger::scheduler {

AsyncExecutor::AsyncExecutor(std::size_t capacity, std::unique_ptr<AsyncTaskStatusApi> api)
    : capacity_(std::max<std::size_t>(capacity, 1)), api_(std::move(api)) {}

std::size_t AsyncExecutor::idle() const { return capacity_ - std::min(capacity_, in_flight_.size()); }

bool AsyncExecutor::warmFor(const std::string& host) const { return idle() > 0 && api_->connectedTo(host); }

void AsyncExecutor::submit(Job job) {
  const auto id = next_id_++;
  const TaskQuery query = job.query;
  const auto it = in_flight_.emplace(id, std::move(job)).first;
  try {
    api_->start(id, query);
  } catch (...) {
    in_flight_.erase(it);  // never started: it must not hold room for ever
    throw;
  }
}

std::vector<JobResult> AsyncExecutor::takeResults(TimePoint deadline, Wake wake) {
  std::vector<JobResult> out;
  for (auto& done : api_->wait(deadline, wake == Wake::OnResult)) {
    auto it = in_flight_.find(done.id);
    if (it == in_flight_.end()) continue;  // not ours: cannot happen, but never index past it
    out.push_back({std::move(it->second), std::move(done.result)});
    in_flight_.erase(it);
  }
  return out;
}

void AsyncExecutor::interrupt() { api_->wake(); }

}  // namespace taskledger::scheduler
