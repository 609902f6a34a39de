#include "taskledger/domain/Clock.h"

#include <chrono>
#include <thread>

namespace taskledger {

TimePoint SystemClock::now() const {
  return std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now());
}

void SystemClock::sleepUntil(TimePoint until) { std::this_thread::sleep_until(until); }

}  // namespace taskledger
