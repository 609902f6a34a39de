#pragma once
// What one profile of a run over several says, from its own thread: each line goes to the
// run's one RunProgress under the shared mutex, told first which profile it is about, so that
// every line carries its profile and no two lines interleave.
#include <mutex>
#include <string>

#include "taskledger/scheduler/RunProgress.h"

namespace taskledger::scheduler {

class ProfileProgress final : public RunProgress {
 public:
  // `inner` and `mutex` must outlive it; `count`: the profiles of the run.
  ProfileProgress(RunProgress& inner, std::mutex& mutex, std::string profile, std::size_t count)
      : inner_(inner), mutex_(mutex), profile_(std::move(profile)), count_(count) {}

  void started(std::int64_t due, std::int64_t unresolved, std::size_t hosts, std::size_t concurrency) override;
  void progress(const ProgressSnapshot& snapshot) override;
  void problem(const std::string& line) override;
  void answered(const std::string& host, const std::string& request_id, const std::string& outcome,
                long long latency_ms) override;
  void profileStarting(const std::string& profile, std::size_t count) override;

 private:
  // Holds the mutex and points `inner_` at this profile for the line to come.
  std::unique_lock<std::mutex> speak();
  RunProgress& inner_;
  std::mutex& mutex_;
  const std::string profile_;
  const std::size_t count_;
};

}  // namespace taskledger::scheduler
