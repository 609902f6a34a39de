#include "taskledger/scheduler/Waiter.h"

#include <algorithm>
#include <csignal>

namespace taskledger::scheduler {

ExitCode WaitOutcome::exit() const {
  switch (result) {
    case WaitResult::AllSucceeded: return ExitCode::Ok;
    case WaitResult::SomeFailed: return ExitCode::ReportMatched;
    case WaitResult::TimedOut: return ExitCode::TryLater;
    case WaitResult::Interrupted: return ExitCode::Interrupted;
    case WaitResult::Terminated: return ExitCode::Terminated;
  }
  return ExitCode::Failure;
}

Waiter::Waiter(Clock& clock, WaitPorts ports, WaitOptions options)
    : clock_(clock), ports_(std::move(ports)), options_(options) {}

void Waiter::stop(int signal_number) {
  stop_signal_ = signal_number;
}

WaitOutcome Waiter::wait() {
  const TimePoint deadline = clock_.now() + options_.timeout;
  WaitOutcome out;
  bool just_asked = false;
  while (true) {
    out.tasks = ports_.load();
    bool all_resolved = std::none_of(out.tasks.begin(), out.tasks.end(), [](const Task& t) { return isUnresolved(t.state); });
    if (all_resolved) {
      bool all_succeeded = std::all_of(out.tasks.begin(), out.tasks.end(),
                                       [](const Task& t) { return t.state == TaskState::Succeeded; });
      out.result = all_succeeded ? WaitResult::AllSucceeded : WaitResult::SomeFailed;
      return out;
    }
    if (int sig = stop_signal_.load()) {
      out.result = sig == SIGINT ? WaitResult::Interrupted : WaitResult::Terminated;
      return out;
    }
    TimePoint now = clock_.now();
    if (now >= deadline) {
      out.result = WaitResult::TimedOut;
      return out;
    }

    TimePoint soonest_due = TimePoint::max();
    for (const auto& t : out.tasks) {
      if (isUnresolved(t.state)) soonest_due = std::min(soonest_due, t.next_check_at);
    }
    // Ours are due: ask, unless somebody else is asking, then look at the ledger at once. A task
    // still due right after an ask (the run ended early) is asked again only after a poll.
    if (!just_asked && soonest_due <= now) {
      int stopped_by = 0;
      if (ports_.with_lock([&] { stopped_by = ports_.ask_due(deadline); })) {
        if (stopped_by) stop(stopped_by);
        just_asked = true;
        continue;
      }
    }
    just_asked = false;

    // Whoever holds the lock may resolve ours at any moment: look again after a poll, or when one
    // of ours becomes due, whichever is sooner.
    TimePoint next_look = std::min(now + options_.poll, deadline);
    if (soonest_due > now) next_look = std::min(next_look, soonest_due);
    ports_.sleep_until(next_look);
  }
}

}  // namespace taskledger::scheduler
