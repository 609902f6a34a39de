#include "taskledger/scheduler/WorkerPool.h"

#include <algorithm>
#include <chrono>

namespace taskledger::scheduler {

WorkerPool::WorkerPool(std::size_t workers, ApiFactory make_api) : workers_(workers == 0 ? 1 : workers) {
  for (std::size_t i = 0; i < workers_; ++i) slots_.push_back(std::make_unique<Slot>());
  threads_.reserve(workers_);
  for (std::size_t i = 0; i < workers_; ++i) threads_.emplace_back([this, i, make_api] { work(i, make_api); });
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
  return std::any_of(slots_.begin(), slots_.end(), [&](const auto& s) {
    return !s->busy && std::find(s->hosts.begin(), s->hosts.end(), host) != s->hosts.end();
  });
}

void WorkerPool::submit(Job job) {
  Slot* chosen = nullptr;
  {
    std::lock_guard lock(mutex_);
    // Prefer an idle worker that already holds a connection to this host: every other choice
    // costs a TCP and TLS handshake (connections would grow to workers x hosts).
    for (auto& s : slots_) {
      if (s->busy) continue;
      bool knows = std::find(s->hosts.begin(), s->hosts.end(), job.host) != s->hosts.end();
      if (knows) {
        chosen = s.get();
        break;
      }
      if (!chosen || s->hosts.size() < chosen->hosts.size()) chosen = s.get();
    }
    if (!chosen) chosen = slots_.front().get();  // callers check idle() first; never reached in practice
    if (std::find(chosen->hosts.begin(), chosen->hosts.end(), job.host) == chosen->hosts.end()) {
      chosen->hosts.push_back(job.host);
    }
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
