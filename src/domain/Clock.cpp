#include "taskledger/domain/Clock.h"

#include <condition_variable>
#include <mutex>

namespace taskledger {

struct SystemClock::Impl {
  std::mutex mutex;
  std::condition_variable cv;
  std::uint64_t generation = 0;  // protected by mutex; bumped by wake()
};

SystemClock::SystemClock() : impl_(new Impl) {}
SystemClock::~SystemClock() { delete impl_; }

TimePoint SystemClock::now() const {
  return std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now());
}

void SystemClock::sleepUntil(TimePoint deadline) {
  std::unique_lock lock(impl_->mutex);
  auto gen = impl_->generation;
  impl_->cv.wait_until(lock, deadline, [&] { return impl_->generation != gen; });
}

void SystemClock::wake() {
  {
    std::lock_guard lock(impl_->mutex);
    ++impl_->generation;
  }
  impl_->cv.notify_all();
}

}  // namespace taskledger
