#pragma once
// Every outbound call in flight in this process (STS, the metadata service, CloudAudit), so that
// one stop signal ends them all, whatever each waits for: a connect, a handshake, a server that
// trickles. Credential fetches made before any scheduler runs are among them. After a stop, a
// call that starts is aborted at once, and a pause between calls ends early.
//
// The CLB calls of a run are the scheduler's to end (it records what comes back within its
// grace); they take no part here. Thread-safe.
#include <string>

#include "taskledger/domain/Time.h"

namespace taskledger::tencent {

class CallControl;

class CallRegistry {
 public:
  // A call in flight: aborted by stopAll() until withdrawn (at once, if a stop came before).
  static void enroll(CallControl& control);
  static void withdraw(CallControl& control);

  // Aborts every call enrolled and every one enrolled later; the first signal is remembered.
  // For the process's signal watcher.
  static void stopAll(int sig);
  // The signal (SIGINT or SIGTERM) that stopped the process, or 0.
  static int stopSignal();
  // Waits until `until` or a stop, whichever comes first; false when stopped.
  static bool sleepUntil(TimePoint until);
  // When a stop came: throws taskledger::Error, exit 130 (SIGINT) or 143 (SIGTERM), "<where>:
  // stopped by SIGTERM".
  static void throwIfStopped(const std::string& where);
};

}  // namespace taskledger::tencent
