#include "taskledger/scheduler/WorkerPool.h"

#include <algorithm>
#include <chrono>

namespace taskledger::scheduler {

bool WorkerPool::Slot::knows(const std::string& host) const {
  return std::find(hosts.begin(), hosts.end(), host) != hosts.end();
}

WorkerPool::WorkerPool(std::size_t workers, ApiFactory make_api) {
  for (std::size_t i = 0; i < std::max<std::size_t>(workers, 1); ++i) slots_.push_back(std::make_unique<Slot>());
  threads_.reserve(slots_.size());
  for (std::size_t i = 0; i < slots_.size(); ++i) threads_.emplace_back([this, i, make_api] { work(i, make_api); });
}

WorkerPool::~WorkerPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  for (auto& s : slots_) s->cv.notify_all();
  for (auto& t : threads_) t.join();
}

std::size_t WorkerPool::idle() const {
  std::lock_guard lock(mutex_);
  return static_cast<std::size_t>(
      std::count_if(slots_.begin(), slots_.end(), [](const auto& s) { return !s->busy; }));
}

bool WorkerPool::warmFor(const std::string& host) const {
  std::lock_guard lock(mutex_);
  return std::any_of(slots_.begin(), slots_.end(), [&](const auto& s) { return !s->busy && s->knows(host); });
}

void WorkerPool::submit(Job job) {
  Slot* chosen = nullptr;
  {
    std::lock_guard lock(mutex_);
    // Prefer an idle worker that already holds a connection to this host: every other choice
    // costs a TCP and TLS handshake (connections would grow to workers x hosts).
    for (auto& s : slots_) {
      if (s->busy) continue;
      if (s->knows(job.host)) {
        chosen = s.get();
        break;
      }
      if (!chosen || s->hosts.size() < chosen->hosts.size()) chosen = s.get();
    }
    if (!chosen) chosen = slots_.front().get();  // callers check idle() first; never reached in practice
    if (!chosen->knows(job.host)) chosen->hosts.push_back(job.host);
    chosen->busy = true;
    chosen->jobs.push_back(std::move(job));
  }
  chosen->cv.notify_one();
}

std::vector<JobResult> WorkerPool::takeResults(TimePoint deadline, Wake wake) {
  std::unique_lock lock(mutex_);
  wake_on_result_ = wake == Wake::OnResult;
  results_cv_.wait_until(lock, deadline, [&] { return (wake_on_result_ && !results_.empty()) || interrupted_; });
  wake_on_result_ = false;
  interrupted_ = false;
  std::vector<JobResult> out;
  out.swap(results_);
  return out;
}

void WorkerPool::interrupt() {
  {
    std::lock_guard lock(mutex_);
    interrupted_ = true;
  }
  results_cv_.notify_all();
}

void WorkerPool::work(std::size_t index, ApiFactory make_api) {
  std::unique_ptr<TaskStatusApi> api = make_api();
  while (true) {
    Job job;
    {
      std::unique_lock lock(mutex_);
      Slot& slot = *slots_[index];
      slot.cv.wait(lock, [&] { return stopping_ || !slot.jobs.empty(); });
      if (slot.jobs.empty()) return;  // stopping, and nothing left to do
      job = std::move(slot.jobs.front());
      slot.jobs.pop_front();
    }
    CheckResult result = api->describeTaskStatus(job.query);
    bool wake = false;
    {
      std::lock_guard lock(mutex_);
      slots_[index]->busy = !slots_[index]->jobs.empty();
      results_.push_back({std::move(job), std::move(result)});
      wake = wake_on_result_;
    }
    if (wake) results_cv_.notify_one();
  }
}

}  // namespace taskledger::scheduler
