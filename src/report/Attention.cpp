#include "taskledger/report/Attention.h"

#include <algorithm>
#include <set>
#include <string>
#include <utility>

namespace taskledger::report {

Attention attentionOf(const Summary& s) {
  Attention a;
  a.failed = s.totals.of(TaskClass::Failed);
  a.stuck = s.totals.of(TaskClass::Stuck);
  a.rejected = s.totals.of(TaskClass::Rejected);
  a.never_checked = s.never_checked_total;
  // A region parked by several codes is still one region to look at.
  std::set<std::pair<std::string, std::string>> parked;
  for (const auto& p : s.parked_regions) parked.emplace(p.profile, p.region);
  a.parked_regions = static_cast<std::int64_t>(parked.size());
  a.total = s.totals.total;
  return a;
}

std::vector<ReasonGroup> topReasons(const Summary& s, std::size_t limit) {
  // failure_reasons is already largest first.
  const std::size_t n = std::min(limit, s.failure_reasons.size());
  return {s.failure_reasons.begin(), s.failure_reasons.begin() + static_cast<std::ptrdiff_t>(n)};
}

}  // namespace taskledger::report
