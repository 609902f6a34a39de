#pragma once
// Plays a Scenario: remembers, per TaskId, how many answers consumed its history, when it was
// first asked about, and how many requests about it reached the fault stage. Thread-safe.
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

#include "taskledger/mock/Scenario.h"

namespace taskledger::mock {

struct Play {
  enum class Kind { Status, Error };
  Kind kind = Kind::Error;
  int status = 0;
  const TaskScript* script = nullptr;  // Status: for Message and LoadBalancerIds
  std::string error_code, error_message;
};

class ScenarioPlayer {
 public:
  explicit ScenarioPlayer(Scenario scenario) : scenario_(std::move(scenario)) {}

  // The 0-based index of this request among the requests about `task_id` that reached the fault
  // stage; the fault plan draws from it.
  std::uint64_t nextRequestIndex(const std::string& task_id);

  // What this check answers. `region` is X-TC-Region ("" when not sent). When `consume` and the
  // answer is a status, the task's history advances one step.
  Play play(const std::string& task_id, const std::string& region, bool consume,
            std::chrono::steady_clock::time_point now);

 private:
  struct Progress {
    std::uint64_t requests = 0;
    std::uint64_t consumed = 0;
    std::chrono::steady_clock::time_point first_seen{};
    bool seen = false;
  };

  const TaskScript* scriptFor(const std::string& task_id) const;

  const Scenario scenario_;
  std::mutex mutex_;
  std::unordered_map<std::string, Progress> progress_;  // protected by mutex_
};

}  // namespace taskledger::mock
