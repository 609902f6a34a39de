#pragma once
#include <string>

#include "taskledger/report/Summary.h"

namespace taskledger::report {

// Exactly the shape of DESIGN.md "Report JSON", keys always present and in that order, times in
// UTC ISO-8601, durations in seconds (millisecond precision). Missing values are null.
std::string renderJson(const Summary& s);

}  // namespace taskledger::report
