// Nested watchers, as `wait` has them: its own while it sleeps, and its run's while it asks.
#include "taskledger/scheduler/SignalWatcher.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <vector>

namespace taskledger::scheduler {
namespace {

// What the watchers heard, and a way to wait for it without sleeping a fixed time.
struct Heard {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<int> outer, inner;

  bool waitFor(std::size_t outer_count, std::size_t inner_count) {
    std::unique_lock lock(mutex);
    // A bound on waiting for the event, not a measurement.
    return changed.wait_for(lock, std::chrono::seconds(30),
                            [&] { return outer.size() >= outer_count && inner.size() >= inner_count; });
  }
  std::function<void(int)> recorder(std::vector<int>& into) {
    return [this, &into](int sig) {
      std::lock_guard lock(mutex);
      into.push_back(sig);
      changed.notify_all();
    };
  }
};

TEST(SignalWatcher, ASignalReachesEveryWatcherAliveWhicheverThreadTakesIt) {
  SignalWatcher::blockStopSignals();
  Heard heard;
  SignalWatcher outer(heard.recorder(heard.outer));
  {
    SignalWatcher inner(heard.recorder(heard.inner));
    // Several, since the kernel picks either thread each time.
    for (int i = 0; i < 5; ++i) {
      ASSERT_EQ(kill(getpid(), i % 2 ? SIGINT : SIGTERM), 0);
      ASSERT_TRUE(heard.waitFor(static_cast<std::size_t>(i + 1), static_cast<std::size_t>(i + 1))) << "signal " << i;
    }
  }
  // The inner one gone, the outer one still hears.
  ASSERT_EQ(kill(getpid(), SIGTERM), 0);
  ASSERT_TRUE(heard.waitFor(6, 5));
  std::lock_guard lock(heard.mutex);
  EXPECT_EQ(heard.outer, (std::vector<int>{SIGTERM, SIGINT, SIGTERM, SIGINT, SIGTERM, SIGTERM}));
  EXPECT_EQ(heard.inner, (std::vector<int>{SIGTERM, SIGINT, SIGTERM, SIGINT, SIGTERM}));
}

}  // namespace
}  // namespace taskledger::scheduler
