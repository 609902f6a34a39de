#pragma once
// SIGINT and SIGTERM taken by a dedicated thread (sigwait), so that a stop is ordinary code
// rather than an async signal handler. Used by `run` (stops the scheduler) and `wait`.
#include <signal.h>

#include <atomic>
#include <functional>
#include <thread>

namespace taskledger::scheduler {

class SignalWatcher {
 public:
  // Blocks SIGINT and SIGTERM in the calling thread, and so in every thread it starts afterwards:
  // call it before any thread starts, so that only a watcher receives them.
  static void blockStopSignals();

  // Calls `on_signal(SIGINT or SIGTERM)` from its own thread for each one that arrives.
  explicit SignalWatcher(std::function<void(int)> on_signal);
  // Ends the thread (with a SIGTERM directed at it alone).
  ~SignalWatcher();
  SignalWatcher(const SignalWatcher&) = delete;
  SignalWatcher& operator=(const SignalWatcher&) = delete;

 private:
  sigset_t set_;
  std::atomic<bool> done_{false};
  std::thread thread_;
};

}  // namespace taskledger::scheduler
