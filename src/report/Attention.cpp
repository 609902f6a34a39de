#include "taskledger/report/Attention.h"

#include <algorithm>
#include <string>

namespace taskledger::report {

std::vector<ReasonGroup> topReasons(const Summary& s, std::size_t limit) {
  // failure_reasons is already largest first.
  const std::size_t n = std::min(limit, s.failure_reasons.size());
  return {s.failure_reasons.begin(), s.failure_reasons.begin() + static_cast<std::ptrdiff_t>(n)};
}

}  // namespace taskledger::report
