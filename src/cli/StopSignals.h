#pragma once
// How the commands that talk to servers (`run`, `wait`, `credentials`, `discover`) hear SIGINT
// and SIGTERM from their first line on: the signals are blocked before any thread starts and
// taken by a process-wide watcher that ends every outbound call in flight (CallRegistry), so a
// credential fetch made before the scheduler starts ends at once too, and the command exits
// 130/143. Watchers made later (the scheduler's, the wait's) are told as well.
#include "taskledger/scheduler/SignalWatcher.h"

namespace taskledger::cli {

class StopSignals {
 public:
  // Make it before any thread starts, and keep it for the whole command.
  StopSignals();

 private:
  scheduler::SignalWatcher watcher_;
};

// The exit code of a command that ended with `code`: 130/143 when a stop signal came first, so
// that an error it caused (an aborted call) reads as the stop it was.
int exitAfterStop(int code);

}  // namespace taskledger::cli
