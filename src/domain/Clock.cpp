#include "taskledger/domain/Clock.h"

#include <chrono>

namespace taskledger {

TimePoint SystemClock::now() const {
  return std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now());
}

}  // namespace taskledger
