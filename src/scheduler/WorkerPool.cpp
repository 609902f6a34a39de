#include "taskledger/scheduler/WorkerPool.h"

#include <chrono>

namespace taskledger::scheduler {

WorkerPool::WorkerPool(std::size_t workers, ApiFactory make_api) : workers_(workers == 0 ? 1 : workers) {
  threads_.reserve(workers_);
  for (std::size_t i = 0; i < workers_; ++i) threads_.emplace_back([this, make_api] { work(make_api); });
}

WorkerPool::~WorkerPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  jobs_cv_.notify_all();
  for (auto& t : threads_) t.join();
}

std::size_t WorkerPool::idle() const {
  std::lock_guard lock(mutex_);
  return workers_ - busy_ - jobs_.size();
}

void WorkerPool::submit(Job job) {
  {
    std::lock_guard lock(mutex_);
    jobs_.push_back(std::move(job));
  }
  jobs_cv_.notify_one();
}

std::vector<JobResult> WorkerPool::takeResults(TimePoint deadline) {
  std::unique_lock lock(mutex_);
  results_cv_.wait_until(lock, deadline, [&] { return !results_.empty() || interrupted_; });
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

void WorkerPool::work(ApiFactory make_api) {
  std::unique_ptr<TaskStatusApi> api = make_api();
  while (true) {
    Job job;
    {
      std::unique_lock lock(mutex_);
      jobs_cv_.wait(lock, [&] { return stopping_ || !jobs_.empty(); });
      if (jobs_.empty()) return;  // stopping, and nothing left to do
      job = std::move(jobs_.front());
      jobs_.pop_front();
      ++busy_;
    }
    CheckResult result = api->describeTaskStatus(job.query);
    {
      std::lock_guard lock(mutex_);
      --busy_;
      results_.push_back({std::move(job), std::move(result)});
    }
    results_cv_.notify_all();
  }
}

}  // namespace taskledger::scheduler
