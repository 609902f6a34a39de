#pragma once
// What `wait` does for a deploy script: returns as soon as every one of a few tasks is resolved,
// or when its time is up.
//
// It never adds a request above the limits. It asks about its tasks itself only while it holds
// the ledger's run lock, through a run whose limiters are seeded from the sends the ledger
// records (as every run's are), and it lets the lock go as soon as none of its tasks is due. While
// another run or wait holds the lock, it only reads the ledger, every `poll`, and sees answers
// as soon as their holder commits them. So any number of waits and cron's run together stay
// within 20 requests a second per host, and each wait returns within `poll` of its last task
// resolving.
#include <atomic>
#include <functional>
#include <vector>

#include "taskledger/domain/Clock.h"
#include "taskledger/domain/ExitCode.h"
#include "taskledger/domain/Task.h"

namespace taskledger::scheduler {

struct WaitOptions {
  Millis timeout{10 * 60'000};  // return with TimedOut after this long
  Millis poll{500};             // how often the ledger is read while another holds the lock
};

// How the waiter reaches the ledger, its lock and the API; the command wires in the real ones.
struct WaitPorts {
  // The awaited tasks as the ledger holds them now.
  std::function<std::vector<Task>()> load;
  // Runs `ask` while holding the ledger's run lock and returns true; returns false at once,
  // without running it, when someone else holds the lock.
  std::function<bool(const std::function<void()>& ask)> with_lock;
  // Asks about the awaited tasks that are due (a run over just them), returning when none is
  // due any more or at `deadline`. Called only under the lock. Returns the signal that stopped
  // it (SIGINT, SIGTERM), or 0.
  std::function<int(TimePoint deadline)> ask_due;
  // Returns at `until`, or sooner when the wait is stopped.
  std::function<void(TimePoint until)> sleep_until;
};

enum class WaitResult { AllSucceeded, SomeFailed, TimedOut, Interrupted, Terminated };

struct WaitOutcome {
  WaitResult result = WaitResult::TimedOut;
  std::vector<Task> tasks;  // as last read
  // 0 all succeeded; 3 any failed, rejected or expired; 75 timed out; 130/143 stopped.
  ExitCode exit() const;
};

class Waiter {
 public:
  Waiter(Clock& clock, WaitPorts ports, WaitOptions options);

  WaitOutcome wait();

  // Thread-safe (from a signal-handling thread): wait() returns Interrupted (SIGINT) or
  // Terminated (any other signal) at its next look; the caller also ends a sleep_until() under way.
  void stop(int signal_number);

 private:
  Clock& clock_;
  WaitPorts ports_;
  WaitOptions options_;
  std::atomic<int> stop_signal_{0};
};

}  // namespace taskledger::scheduler
