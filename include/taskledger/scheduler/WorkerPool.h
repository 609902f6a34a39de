#pragma once
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "taskledger/scheduler/Executor.h"

namespace taskledger::scheduler {

// `workers` threads, each owning one TaskStatusApi made by `make_api` on that thread. A job goes
// to an idle worker that has served its host before when there is one, so each worker keeps
// few kept-alive connections.
class WorkerPool final : public Executor {
 public:
  using ApiFactory = std::function<std::unique_ptr<TaskStatusApi>()>;
  WorkerPool(std::size_t workers, ApiFactory make_api);
  ~WorkerPool() override;  // finishes the calls in flight, then joins
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  std::size_t idle() const override;
  bool warmFor(const std::string& host) const override;
  void submit(Job job) override;
  std::vector<JobResult> takeResults(TimePoint deadline, Wake wake = Wake::OnResult) override;
  void interrupt() override;

 private:
  struct Slot {
    std::deque<Job> jobs;            // at most one in practice
    bool busy = false;               // has a job queued or running
    std::vector<std::string> hosts;  // hosts this worker has connections to
    std::condition_variable cv;      // wakes only this worker
    bool knows(const std::string& host) const;
  };
  void work(std::size_t index, ApiFactory make_api);

  mutable std::mutex mutex_;
  std::condition_variable results_cv_;
  // protected by mutex_:
  std::vector<std::unique_ptr<Slot>> slots_;
  std::vector<JobResult> results_;
  bool stopping_ = false;
  bool interrupted_ = false;
  bool wake_on_result_ = false;  // a takeResults() wait wants to hear of each result

  std::vector<std::thread> threads_;
};

}  // namespace taskledger::scheduler
