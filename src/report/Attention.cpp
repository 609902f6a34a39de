#include "taskledger/report/Attention.h"

#include <algorithm>
#include <string>

namespace taskledger::report {

Attention attentionOf(const Summary& s) {
  // The report's own headline, so that the chat and the report never count differently.
  Attention a;
  a.total = s.totals.total;
  for (const HeadlineItem& item : headline(s)) {
    if (item.key == "failed") a.failed = item.count;
    if (item.key == "stuck") a.stuck = item.count;
    if (item.key == "rejected") a.rejected = item.count;
    if (item.key == "never_checked") a.never_checked = item.count;
    if (item.key == "parked_regions") a.parked_regions = item.count;
  }
  return a;
}

std::vector<ReasonGroup> topReasons(const Summary& s, std::size_t limit) {
  // failure_reasons is already largest first.
  const std::size_t n = std::min(limit, s.failure_reasons.size());
  return {s.failure_reasons.begin(), s.failure_reasons.begin() + static_cast<std::ptrdiff_t>(n)};
}

}  // namespace taskledger::report
