#include "taskledger/scheduler/SignalWatcher.h"

#include <pthread.h>

#include <algorithm>
#include <mutex>
#include <vector>

namespace taskledger::scheduler {
namespace {

sigset_t stopSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

// Every watcher alive. Callbacks run under the lock, so a watcher's destructor, which takes it
// out, never runs while its callback does.
std::mutex watchers_mutex;
std::vector<const std::function<void(int)>*> watchers;

void tellEveryWatcher(int sig) {
  std::lock_guard lock(watchers_mutex);
  for (const auto* on_signal : watchers) (*on_signal)(sig);
}

}  // namespace

void SignalWatcher::blockStopSignals() {
  sigset_t set = stopSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

SignalWatcher::SignalWatcher(std::function<void(int)> on_signal)
    : set_(stopSignals()), on_signal_(std::move(on_signal)) {
  {
    std::lock_guard lock(watchers_mutex);
    watchers.push_back(&on_signal_);
  }
  thread_ = std::thread([this] {
    while (true) {
      int sig = 0;
      if (sigwait(&set_, &sig) != 0) continue;
      if (done_) return;
      tellEveryWatcher(sig);
    }
  });
}

SignalWatcher::~SignalWatcher() {
  {
    std::lock_guard lock(watchers_mutex);
    watchers.erase(std::find(watchers.begin(), watchers.end(), &on_signal_));
  }
  done_ = true;
  pthread_kill(thread_.native_handle(), SIGTERM);
  thread_.join();
}

}  // namespace taskledger::scheduler
