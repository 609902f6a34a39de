#include "taskledger/scheduler/SignalWatcher.h"

#include <poll.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <mutex>
#include <system_error>
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

int checked(int fd, const char* what) {
  if (fd < 0) throw std::system_error(errno, std::generic_category(), std::string("signal watcher: ") + what);
  return fd;
}

}  // namespace

void SignalWatcher::blockStopSignals() {
  sigset_t set = stopSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

SignalWatcher::SignalWatcher(std::function<void(int)> on_signal) : on_signal_(std::move(on_signal)) {
  const sigset_t set = stopSignals();
  signal_fd_ = checked(::signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC), "signalfd");
  try {
    wake_fd_ = checked(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC), "eventfd");
  } catch (...) {
    ::close(signal_fd_);
    throw;
  }
  {
    std::lock_guard lock(watchers_mutex);
    watchers.push_back(&on_signal_);
  }
  thread_ = std::thread([this] { watch(); });
}

void SignalWatcher::watch() {
  while (true) {
    pollfd fds[2] = {{signal_fd_, POLLIN, 0}, {wake_fd_, POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) continue;  // EINTR
    // Several watchers' threads wake for one signal; the read dequeues it for exactly one.
    signalfd_siginfo info{};
    while (::read(signal_fd_, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
      tellEveryWatcher(static_cast<int>(info.ssi_signo));
    }
    if (fds[1].revents & POLLIN) return;
  }
}

SignalWatcher::~SignalWatcher() {
  {
    std::lock_guard lock(watchers_mutex);
    watchers.erase(std::find(watchers.begin(), watchers.end(), &on_signal_));
  }
  const std::uint64_t one = 1;
  [[maybe_unused]] const auto written = ::write(wake_fd_, &one, sizeof one);
  thread_.join();
  ::close(signal_fd_);
  ::close(wake_fd_);
}

}  // namespace taskledger::scheduler
