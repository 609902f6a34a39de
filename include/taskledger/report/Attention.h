#pragma once
// What needs a person in a report's window, in five counts: the headline a chat robot posts
// (report --notify). Taken from the Summary the report already computed; no query of its own.
#include <cstdint>
#include <vector>

#include "taskledger/report/Summary.h"

namespace taskledger::report {

struct Attention {
  std::int64_t failed = 0;
  std::int64_t stuck = 0;
  std::int64_t rejected = 0;
  std::int64_t never_checked = 0;   // unresolved tasks no run ever asked about
  std::int64_t parked_regions = 0;  // distinct (profile, region) parked during the window
  std::int64_t total = 0;           // every task of the window

  // A quiet day: nothing above needs anyone.
  bool quiet() const { return failed + stuck + rejected + never_checked + parked_regions == 0; }
};

Attention attentionOf(const Summary& s);

// The largest reason groups (failed and rejected), at most `limit`, largest first.
std::vector<ReasonGroup> topReasons(const Summary& s, std::size_t limit);

}  // namespace taskledger::report
