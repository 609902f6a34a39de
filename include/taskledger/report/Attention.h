#pragma once
// What a chat robot posts besides the headline (report --notify): the top reasons. Taken from the
// Summary the report already computed; no query of its own.
#include <cstdint>
#include <vector>

#include "taskledger/report/Summary.h"

namespace taskledger::report {

// The largest reason groups (failed and rejected), at most `limit`, largest first.
std::vector<ReasonGroup> topReasons(const Summary& s, std::size_t limit);

}  // namespace taskledger::report
