#include "taskledger/tencent/CallRegistry.h"

#include <signal.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <vector>

#include "taskledger/domain/Error.h"
#include "taskledger/tencent/ApiCaller.h"

namespace taskledger::tencent {
namespace {

std::mutex registry_mutex;
std::condition_variable stopped_cv;
// protected by registry_mutex:
std::vector<CallControl*> in_flight;
int stop_signal = 0;

std::string why(int sig) { return std::string("stopped by ") + (sig == SIGINT ? "SIGINT" : "SIGTERM"); }

}  // namespace

void CallRegistry::enroll(CallControl& control) {
  std::lock_guard lock(registry_mutex);
  in_flight.push_back(&control);
  if (stop_signal) control.abort(why(stop_signal));
}

void CallRegistry::withdraw(CallControl& control) {
  std::lock_guard lock(registry_mutex);
  in_flight.erase(std::remove(in_flight.begin(), in_flight.end(), &control), in_flight.end());
}

void CallRegistry::stopAll(int sig) {
  {
    std::lock_guard lock(registry_mutex);
    if (!stop_signal) stop_signal = sig;
    for (CallControl* control : in_flight) control->abort(why(stop_signal));
  }
  stopped_cv.notify_all();
}

int CallRegistry::stopSignal() {
  std::lock_guard lock(registry_mutex);
  return stop_signal;
}

bool CallRegistry::sleepUntil(TimePoint until) {
  std::unique_lock lock(registry_mutex);
  stopped_cv.wait_until(lock, clampForWait(until), [] { return stop_signal != 0; });
  return stop_signal == 0;
}

void CallRegistry::throwIfStopped(const std::string& where) {
  const int sig = stopSignal();
  if (!sig) return;
  throw Error(sig == SIGINT ? ExitCode::Interrupted : ExitCode::Terminated, where + ": " + why(sig));
}

}  // namespace taskledger::tencent
