#include "StopSignals.h"

#include <csignal>

#include "taskledger/domain/ExitCode.h"
#include "taskledger/tencent/CallRegistry.h"

namespace taskledger::cli {
namespace {

// Blocks first: the watcher's thread, and every thread after it, must inherit the mask.
std::function<void(int)> blockedThenStopAll() {
  scheduler::SignalWatcher::blockStopSignals();
  return [](int sig) { tencent::CallRegistry::stopAll(sig); };
}

}  // namespace

StopSignals::StopSignals() : watcher_(blockedThenStopAll()) {}

int exitAfterStop(int code) {
  const int sig = tencent::CallRegistry::stopSignal();
  if (!sig || code == 0) return code;
  return static_cast<int>(sig == SIGINT ? ExitCode::Interrupted : ExitCode::Terminated);
}

}  // namespace taskledger::cli
