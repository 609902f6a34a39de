#pragma once
// SIGINT and SIGTERM taken by a dedicated thread, so that a stop is ordinary code rather than an
// async signal handler. Used by every command that talks to a server (a process-wide watcher that
// aborts the calls in flight), by `run` (stops the scheduler) and `wait`.
//
// Watchers may nest (`wait` watches while it sleeps, and the run it starts under the lock
// watches its scheduler): the kernel hands a signal to one watcher's thread, so whichever thread
// takes it tells every watcher alive.
//
// A signal is never lost: a watcher's thread takes signals only from a signalfd, and is ended by
// an eventfd rather than by a signal of its own, so a dying watcher never swallows a real
// SIGTERM that arrived as it ended (one it has taken is always told).
#include <signal.h>

#include <functional>
#include <thread>

namespace taskledger::scheduler {

class SignalWatcher {
 public:
  // Blocks SIGINT and SIGTERM in the calling thread, and so in every thread it starts afterwards:
  // call it before any thread starts, so that only a watcher receives them.
  static void blockStopSignals();

  // Calls `on_signal(SIGINT or SIGTERM)` for each one that arrives while it lives, from one of
  // the watchers' threads. Throws std::system_error when the kernel refuses the descriptors.
  explicit SignalWatcher(std::function<void(int)> on_signal);
  // Ends the thread (wakes it through its eventfd; a signal it took meanwhile is still told).
  ~SignalWatcher();
  SignalWatcher(const SignalWatcher&) = delete;
  SignalWatcher& operator=(const SignalWatcher&) = delete;

 private:
  void watch();

  std::function<void(int)> on_signal_;
  int signal_fd_ = -1;
  int wake_fd_ = -1;
  std::thread thread_;
};

}  // namespace taskledger::scheduler
