#pragma once
// SIGINT and SIGTERM taken by a dedicated thread (sigwait), so that a stop is ordinary code
// rather than an async signal handler. Used by `run` (stops the scheduler) and `wait`.
//
// Watchers may nest (`wait` watches while it sleeps, and the run it starts under the lock
// watches its scheduler): the kernel hands a signal to one sigwait thread, so whichever thread
// takes it tells every watcher alive.
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

  // Calls `on_signal(SIGINT or SIGTERM)` for each one that arrives while it lives, from one of
  // the watchers' threads.
  explicit SignalWatcher(std::function<void(int)> on_signal);
  // Ends the thread (with a SIGTERM directed at it alone).
  ~SignalWatcher();
  SignalWatcher(const SignalWatcher&) = delete;
  SignalWatcher& operator=(const SignalWatcher&) = delete;

 private:
  sigset_t set_;
  std::function<void(int)> on_signal_;
  std::atomic<bool> done_{false};
  std::thread thread_;
};

}  // namespace taskledger::scheduler
